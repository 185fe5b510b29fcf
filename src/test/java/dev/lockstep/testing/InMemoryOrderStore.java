package dev.lockstep.testing;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.OrderStore;
import dev.lockstep.store.StoredOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, correct, in-memory {@link OrderStore} for tests about the burst and the auditor (not about
 * stores). {@link #apply} is idempotent per effect id, applies only events newer than the stored
 * order (their payload carries the order's state at that time), keeps cancelled terminal, and moves
 * stock once per order. {@link #put} and {@link #setStock} build arbitrary, broken stores by hand.
 */
public final class InMemoryOrderStore implements OrderStore {
    private final Map<Long, List<Doc>> docs = new LinkedHashMap<>();
    private final Map<String, Long> stock = new LinkedHashMap<>();
    private int nextDocId;

    @Override
    public synchronized ApplyResult apply(OrderEvent event, long token, String worker) {
        List<Doc> ofOrder = docs.computeIfAbsent(event.orderId(), k -> new ArrayList<>());
        Doc doc;
        if (ofOrder.isEmpty()) {
            doc = new Doc(event.orderId(), "doc-" + (++nextDocId));
            ofOrder.add(doc);
        } else {
            doc = ofOrder.get(0);
        }
        if (doc.history.stream().anyMatch(a -> a.effectId().equals(event.effectId()) && a.outcome() != ApplyResult.SKIPPED_STALE)) {
            return ApplyResult.ALREADY_APPLIED;
        }
        boolean fresh = doc.state == null;
        if (!fresh && (doc.state.terminal() || event.updatedAt() <= doc.updatedAt)) {
            doc.history.add(application(event, ApplyResult.SKIPPED_STALE, token, worker));
            return ApplyResult.SKIPPED_STALE;
        }
        OrderState carried = stateCarriedBy(event);
        if (fresh || doc.state.canAdvanceTo(carried)) {
            doc.state = carried;
        }
        doc.updatedAt = event.updatedAt();
        if (fresh) {
            doc.lineItems = event.lineItems();
        }
        boolean shouldHold = doc.state != OrderState.CANCELLED;
        if (shouldHold != doc.holdsStock) {
            long sign = shouldHold ? -1 : 1;
            doc.lineItems.forEach(li -> stock.merge(li.sku(), sign * li.quantity(), Long::sum));
            doc.holdsStock = shouldHold;
        }
        doc.history.add(application(event, ApplyResult.APPLIED, token, worker));
        return ApplyResult.APPLIED;
    }

    /** The state the event's payload shows: the topic's, or for an update the one its statuses imply. */
    private static OrderState stateCarriedBy(OrderEvent e) {
        return e.topic().impliedState().orElseGet(() -> "fulfilled".equals(e.fulfillmentStatus()) ? OrderState.FULFILLED
                : "paid".equals(e.financialStatus()) ? OrderState.PAID
                : "refunded".equals(e.financialStatus()) || "voided".equals(e.financialStatus()) ? OrderState.CANCELLED
                : OrderState.CREATED);
    }

    private static Application application(OrderEvent e, ApplyResult outcome, long token, String worker) {
        return new Application(e.effectId(), e.topic(), e.updatedAt(), outcome, token, worker, System.currentTimeMillis());
    }

    @Override
    public void raiseFence(long orderId, long token) {
    }

    @Override
    public synchronized void seedStock(Map<String, Long> stockBySku) {
        stock.clear();
        stock.putAll(stockBySku);
    }

    @Override
    public synchronized Map<String, Long> stock() {
        return Map.copyOf(stock);
    }

    @Override
    public synchronized List<StoredOrder> orders() {
        List<StoredOrder> all = new ArrayList<>();
        docs.values().forEach(d -> d.forEach(doc -> all.add(doc.snapshot())));
        return all;
    }

    @Override
    public synchronized List<StoredOrder> order(long orderId) {
        return docs.getOrDefault(orderId, List.of()).stream().map(Doc::snapshot).toList();
    }

    @Override
    public synchronized void reset() {
        docs.clear();
        stock.clear();
    }

    /** Adds a document exactly as given (duplicates of an order id allowed). */
    public synchronized void put(StoredOrder order) {
        Doc doc = new Doc(order.orderId(), order.documentId());
        doc.state = order.state();
        doc.updatedAt = order.updatedAt();
        doc.history.addAll(order.history());
        docs.computeIfAbsent(order.orderId(), k -> new ArrayList<>()).add(doc);
    }

    /** Replaces every document of one order. */
    public synchronized void replace(long orderId, List<StoredOrder> orders) {
        docs.remove(orderId);
        orders.forEach(this::put);
    }

    public synchronized void setStock(String sku, long units) {
        stock.put(sku, units);
    }

    public synchronized void removeStock(String sku) {
        stock.remove(sku);
    }

    private static final class Doc {
        final long orderId;
        final String documentId;
        final List<Application> history = new ArrayList<>();
        OrderState state;
        long updatedAt;
        List<LineItem> lineItems = List.of();
        boolean holdsStock;

        Doc(long orderId, String documentId) {
            this.orderId = orderId;
            this.documentId = documentId;
        }

        StoredOrder snapshot() {
            return new StoredOrder(orderId, documentId, state, updatedAt, 0, history);
        }
    }

    /** A history entry, for hand-built stores. */
    public static Application entry(String effectId, Topic topic, long updatedAt, ApplyResult outcome) {
        return new Application(effectId, topic, updatedAt, outcome, 0, "test", 0);
    }
}
