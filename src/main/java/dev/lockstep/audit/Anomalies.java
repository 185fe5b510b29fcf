package dev.lockstep.audit;

import java.util.function.ToLongFunction;

/**
 * What the auditor found wrong in one run (docs/DESIGN.md, "Audit terms"). All zero in a healthy run.
 *
 * @param duplicateOrders    Σ over order ids of (documents − 1)
 * @param lostInventoryUnits Σ over SKUs of |stock − correct stock|
 * @param outOfOrder         orders whose history shows an older event applied after a newer one
 * @param appliedTwice       events whose effect was applied more than once
 * @param neverApplied       accepted events with no handling in the store at all
 * @param finalStateMismatch orders whose stored state or updated_at differs from the ground truth
 *                           (an order with no document counts)
 * @param overlaps           times two handlers of one order ran at once (in-handler guard)
 */
public record Anomalies(long duplicateOrders, long lostInventoryUnits, long outOfOrder, long appliedTwice,
                        long neverApplied, long finalStateMismatch, long overlaps) {

    public static final Anomalies NONE = new Anomalies(0, 0, 0, 0, 0, 0, 0);

    /** Whether every kind is zero. */
    public boolean none() {
        for (Kind k : Kind.values()) {
            if (k.of(this) != 0) {
                return false;
            }
        }
        return true;
    }

    /** How many kinds are non-zero. */
    public int kindsFound() {
        int n = 0;
        for (Kind k : Kind.values()) {
            if (k.of(this) != 0) {
                n++;
            }
        }
        return n;
    }

    /** The anomaly kinds, in report order, with their JSON names and one-line meanings. */
    public enum Kind {
        DUPLICATE_ORDERS("duplicateOrders", "extra documents stored for one order id", Anomalies::duplicateOrders),
        LOST_INVENTORY_UNITS("lostInventoryUnits", "units of stock off from initial − Σ non-cancelled orders",
                Anomalies::lostInventoryUnits),
        OUT_OF_ORDER("outOfOrder", "orders where an older event was applied after a newer one",
                Anomalies::outOfOrder),
        APPLIED_TWICE("appliedTwice", "events whose effect was applied more than once", Anomalies::appliedTwice),
        NEVER_APPLIED("neverApplied", "accepted events the store never handled (lost work)",
                Anomalies::neverApplied),
        FINAL_STATE_MISMATCH("finalStateMismatch", "orders whose final state or updated_at is wrong or missing",
                Anomalies::finalStateMismatch),
        OVERLAPS("overlaps", "times two handlers of one order ran at once", Anomalies::overlaps);

        private final String field;
        private final String meaning;
        private final ToLongFunction<Anomalies> value;

        Kind(String field, String meaning, ToLongFunction<Anomalies> value) {
            this.field = field;
            this.meaning = meaning;
            this.value = value;
        }

        /** The JSON field name. */
        public String field() {
            return field;
        }

        /** One line saying what is counted. */
        public String meaning() {
            return meaning;
        }

        public long of(Anomalies a) {
            return value.applyAsLong(a);
        }
    }
}
