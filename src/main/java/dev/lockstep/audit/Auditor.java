package dev.lockstep.audit;

import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.ExpectedOrder;
import dev.lockstep.burst.FireStats;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.OrderStore;
import dev.lockstep.store.StoredOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares what a run left in the store with the burst's ground truth and the run's counters, and
 * reports in the terms of docs/DESIGN.md, "Audit terms". Reads the store once; changes nothing.
 */
public final class Auditor {
    private static final Logger log = LoggerFactory.getLogger(Auditor.class);

    private Auditor() {
    }

    /** Audits a run that drained. */
    public static AuditReport audit(Mode mode, BurstPlan plan, FireStats fire, RunCounters.Snapshot counters,
                                    OrderStore store, double seconds) {
        return audit(mode, plan, fire, counters, store, seconds, true);
    }

    /**
     * Audits one run.
     *
     * @param counters the pipeline's counters of this run only
     * @param seconds  from the first delivery fired until drained
     * @param drained  whether the pipeline drained before this audit
     */
    public static AuditReport audit(Mode mode, BurstPlan plan, FireStats fire, RunCounters.Snapshot counters,
                                    OrderStore store, double seconds, boolean drained) {
        long accepted = fire.sent() - fire.duplicates() - fire.rejected();
        Map<Long, List<StoredOrder>> docs = byOrderId(store.orders());
        Anomalies anomalies = new Anomalies(
                duplicateOrders(docs),
                lostInventoryUnits(plan.expectedStock(), store.stock()),
                outOfOrder(docs),
                appliedTwice(docs),
                neverApplied(plan, fire, docs),
                finalStateMismatch(plan, docs),
                counters.overlaps());
        return new AuditReport(mode, plan.orders(), fire.sent(), accepted, fire.duplicates(), fire.rejected(),
                counters.handled(), counters.applied(), counters.skippedStale(), counters.staleWritesRejected(),
                round(seconds, 1_000), seconds > 0 ? round(accepted / seconds, 10) : 0, ackLatencyMs(fire.ackLatency()),
                anomalies, drained, plan.events(), 0, "", "", fire.retries(), fire.givenUp());
    }

    /** Σ over order ids of (documents − 1). */
    static long duplicateOrders(Map<Long, List<StoredOrder>> docs) {
        long extra = 0;
        for (List<StoredOrder> d : docs.values()) {
            extra += d.size() - 1;
        }
        return extra;
    }

    /** Σ over SKUs (expected or stored) of |stock − expected|; a SKU missing on one side counts as 0 there. */
    static long lostInventoryUnits(Map<String, Long> expected, Map<String, Long> stock) {
        Set<String> skus = new TreeSet<>(expected.keySet());
        skus.addAll(stock.keySet());
        long lost = 0;
        for (String sku : skus) {
            lost += Math.abs(stock.getOrDefault(sku, 0L) - expected.getOrDefault(sku, 0L));
        }
        return lost;
    }

    /**
     * Orders (by id, counted once) where some document's history applies an event whose updated_at
     * is older than an event applied before it.
     */
    static long outOfOrder(Map<Long, List<StoredOrder>> docs) {
        long orders = 0;
        for (List<StoredOrder> d : docs.values()) {
            if (d.stream().anyMatch(Auditor::appliedOutOfOrder)) {
                orders++;
            }
        }
        return orders;
    }

    private static boolean appliedOutOfOrder(StoredOrder doc) {
        long newest = Long.MIN_VALUE;
        for (Application a : doc.history()) {
            if (a.outcome() != ApplyResult.APPLIED) {
                continue;
            }
            if (a.updatedAt() < newest) {
                return true;
            }
            newest = a.updatedAt();
        }
        return false;
    }

    /** Effects with more than one APPLIED entry over all documents of their order. */
    static long appliedTwice(Map<Long, List<StoredOrder>> docs) {
        long twice = 0;
        for (List<StoredOrder> d : docs.values()) {
            Map<String, Integer> applications = new HashMap<>();
            for (StoredOrder doc : d) {
                for (Application a : doc.history()) {
                    if (a.outcome() == ApplyResult.APPLIED) {
                        applications.merge(a.effectId(), 1, Integer::sum);
                    }
                }
            }
            twice += applications.values().stream().filter(n -> n > 1).count();
        }
        return twice;
    }

    /**
     * Accepted events with no handled entry (applied, skipped as stale, or found already applied) in
     * any document of their order. An event is accepted unless every one of its deliveries was
     * refused. When the firer could not tell which events its refusals belonged to, the count is a
     * lower bound: each refused delivery may have been the only one of an unhandled event.
     */
    static long neverApplied(BurstPlan plan, FireStats fire, Map<Long, List<StoredOrder>> docs) {
        Set<String> refused = fire.refusedEventsIfKnown().orElse(Set.of());
        long unhandled = 0;
        for (ExpectedOrder o : plan.expected().values()) {
            Set<String> handled = handledEffects(docs.getOrDefault(o.orderId(), List.of()));
            for (String effect : o.effectIds()) {
                if (!handled.contains(effect) && !refused.contains(effect)) {
                    unhandled++;
                }
            }
        }
        if (fire.refusedEventsIfKnown().isEmpty() && fire.rejected() > 0) {
            log.warn("the firer did not say which events its {} refused deliveries belonged to; neverApplied is a "
                    + "lower bound", fire.rejected());
            return Math.max(0, unhandled - fire.rejected());
        }
        return unhandled;
    }

    private static Set<String> handledEffects(List<StoredOrder> docs) {
        Set<String> handled = new HashSet<>();
        for (StoredOrder doc : docs) {
            for (Application a : doc.history()) {
                if (a.outcome().handled()) {
                    handled.add(a.effectId());
                }
            }
        }
        return handled;
    }

    /**
     * Orders of the plan with no document, or with a document (any, when duplicated) whose state or
     * updated_at differs from the ground truth: a reader may get any of the duplicates.
     */
    static long finalStateMismatch(BurstPlan plan, Map<Long, List<StoredOrder>> docs) {
        long mismatched = 0;
        for (ExpectedOrder o : plan.expected().values()) {
            List<StoredOrder> d = docs.getOrDefault(o.orderId(), List.of());
            if (d.isEmpty() || d.stream().anyMatch(doc -> doc.state() != o.state() || doc.updatedAt() != o.updatedAt())) {
                mismatched++;
            }
        }
        return mismatched;
    }

    private static Map<Long, List<StoredOrder>> byOrderId(List<StoredOrder> orders) {
        Map<Long, List<StoredOrder>> docs = new HashMap<>();
        for (StoredOrder o : orders) {
            docs.computeIfAbsent(o.orderId(), k -> new ArrayList<>(1)).add(o);
        }
        return docs;
    }

    private static AuditReport.AckLatency ackLatencyMs(Histogram micros) {
        if (micros == null || micros.getTotalCount() == 0) {
            return AuditReport.AckLatency.NONE;
        }
        return new AuditReport.AckLatency(
                round(micros.getValueAtPercentile(50) / 1_000.0, 1_000),
                round(micros.getValueAtPercentile(99) / 1_000.0, 1_000),
                round(micros.getMaxValue() / 1_000.0, 1_000));
    }

    private static double round(double value, int perUnit) {
        return Math.round(value * perUnit) / (double) perUnit;
    }
}
