package dev.lockstep.store;

import dev.lockstep.order.OrderEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a mode's handlers apply order events, and where the auditor and the console read them
 * back. Each mode has its own MongoDB database, so runs never mix.
 */
public interface OrderStore {

    /** A token for writers that hold no fencing token ({@code unsafe}, {@code naive-lock}). */
    long NO_FENCE = 0L;

    /**
     * Applies one event.
     *
     * @param event  the event
     * @param token  the writer's fencing token, or {@link #NO_FENCE}
     * @param worker who applies it (worker id and thread), recorded in the history
     */
    ApplyResult apply(OrderEvent event, long token, String worker);

    /**
     * Applies a run of one order's events in their order, under one token, with the same outcome
     * per event as {@link #apply} one by one. A store may write the run at once (then a failure
     * leaves none of its effects, see the implementation). {@link ApplyResult#REJECTED_FENCE} ends the
     * list: the events after it (and, for a store that writes runs at once, all of them) were not applied.
     *
     * @return the outcome of each event from the first, at least one
     */
    default List<ApplyResult> applyRun(List<OrderEvent> events, long token, String worker) {
        List<ApplyResult> out = new ArrayList<>(events.size());
        for (OrderEvent e : events) {
            ApplyResult r = apply(e, token, worker);
            out.add(r);
            if (r == ApplyResult.REJECTED_FENCE) {
                break;
            }
        }
        return out;
    }

    /** Calls this store made to its database server since it was created (reads and writes of the data path). */
    default long operations() {
        return 0;
    }

    /**
     * Makes the store refuse every write with a token below {@code token} for this order, now,
     * not only once a newer holder writes (a revoked lease: I6, docs/DESIGN.md, "Invariants"). No-op for unfenced stores.
     */
    void raiseFence(long orderId, long token);

    /** Sets each SKU's stock (the burst's initial stock). Replaces what was there. */
    void seedStock(Map<String, Long> stockBySku);

    /** Current stock per SKU. */
    Map<String, Long> stock();

    /** Every order document, duplicates included (several documents may share an order id). */
    List<StoredOrder> orders();

    /** One order's documents (normally one), for the console's timeline. */
    List<StoredOrder> order(long orderId);

    /** Drops everything this store holds (orders, stock, history). */
    void reset();
}
