package dev.lockstep.burst;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A generated flash-sale burst: the deliveries to fire, in arrival order, and the ground truth the
 * auditor checks the store against. Immutable; {@link #generate} is deterministic for a spec.
 *
 * @param spec             what was generated
 * @param deliveries       every delivery in arrival order (duplicate copies included)
 * @param expected         ground truth per order id, in order id order
 * @param initialStock     initial stock per SKU
 * @param expectedStock    correct final stock per SKU: initial − Σ quantities of the orders not cancelled
 * @param events           distinct events (merchant actions; each has one effect id)
 * @param duplicatedEvents events delivered more than once
 * @param reorderedEvents  events whose first delivery arrives after the first delivery of a later event
 *                         of the same order
 */
public record BurstPlan(BurstSpec spec, List<WebhookDelivery> deliveries, Map<Long, ExpectedOrder> expected,
                        Map<String, Long> initialStock, Map<String, Long> expectedStock, long events,
                        long duplicatedEvents, long reorderedEvents) {

    public BurstPlan {
        Objects.requireNonNull(spec, "spec");
        deliveries = List.copyOf(deliveries);
        expected = Collections.unmodifiableMap(new LinkedHashMap<>(expected));
        initialStock = Collections.unmodifiableMap(new LinkedHashMap<>(initialStock));
        expectedStock = Collections.unmodifiableMap(new LinkedHashMap<>(expectedStock));
    }

    /** Generates the burst {@code spec} describes; the same spec always gives the same plan. */
    public static BurstPlan generate(BurstSpec spec) {
        return new BurstGenerator(spec).generate();
    }

    /** Number of orders. */
    public int orders() {
        return expected.size();
    }

    /** Deliveries beyond the first of each event (the copies a dedup must drop). */
    public long duplicateDeliveries() {
        return deliveries.size() - events;
    }

    /**
     * Correct final stock: for every SKU, initial − Σ quantities of the orders that are not
     * cancelled (stock moves once per order, whatever order its events arrive in).
     */
    public static Map<String, Long> expectedStock(Map<String, Long> initialStock, Collection<ExpectedOrder> orders) {
        Map<String, Long> stock = new LinkedHashMap<>(initialStock);
        for (ExpectedOrder o : orders) {
            if (o.cancelled()) {
                continue;
            }
            o.lineItems().forEach(li -> stock.merge(li.sku(), (long) -li.quantity(), Long::sum));
        }
        return stock;
    }
}
