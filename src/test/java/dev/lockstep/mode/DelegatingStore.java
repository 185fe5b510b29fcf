package dev.lockstep.mode;

import dev.lockstep.order.OrderEvent;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.OrderStore;
import dev.lockstep.store.StoredOrder;
import java.util.List;
import java.util.Map;

/** An OrderStore passing every call to another. */
class DelegatingStore implements OrderStore {
    private final OrderStore d;

    DelegatingStore(OrderStore d) {
        this.d = d;
    }

    @Override
    public ApplyResult apply(OrderEvent event, long token, String worker) {
        return d.apply(event, token, worker);
    }

    @Override
    public void raiseFence(long orderId, long token) {
        d.raiseFence(orderId, token);
    }

    @Override
    public void seedStock(Map<String, Long> stockBySku) {
        d.seedStock(stockBySku);
    }

    @Override
    public Map<String, Long> stock() {
        return d.stock();
    }

    @Override
    public List<StoredOrder> orders() {
        return d.orders();
    }

    @Override
    public List<StoredOrder> order(long orderId) {
        return d.order(orderId);
    }

    @Override
    public void reset() {
        d.reset();
    }
}
