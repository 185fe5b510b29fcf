package dev.lockstep.store;

import dev.lockstep.order.OrderEvent;
import java.util.List;
import java.util.Map;

/**
 * Where a mode's handlers apply order events, and where the auditor and the console read them
 * back. Each mode has its own MongoDB database, so runs never mix.
 */
public interface OrderStore {

    /** A token for writers that hold no fencing token ({@code unsafe}, {@code seed}). */
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
