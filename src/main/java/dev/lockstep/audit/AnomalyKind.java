package dev.lockstep.audit;

import java.util.function.ToLongFunction;

/**
 * The anomaly kinds the audit counts (docs/DESIGN.md, "Audit terms"), in report order: the one
 * definition of each kind's JSON / CSV field name, its short label for tables and charts, and its
 * one-line meaning.
 */
public enum AnomalyKind {
    DUPLICATE_ORDERS("duplicateOrders", "Duplicate orders", "extra documents stored for one order id",
            Anomalies::duplicateOrders),
    LOST_INVENTORY_UNITS("lostInventoryUnits", "Lost inventory units",
            "units of stock off from initial − Σ non-cancelled orders", Anomalies::lostInventoryUnits),
    OUT_OF_ORDER("outOfOrder", "Applied out of order", "orders where an older event was applied after a newer one",
            Anomalies::outOfOrder),
    APPLIED_TWICE("appliedTwice", "Applied twice", "events whose effect was applied more than once",
            Anomalies::appliedTwice),
    NEVER_APPLIED("neverApplied", "Never applied", "accepted events the store never handled (lost work)",
            Anomalies::neverApplied),
    FINAL_STATE_MISMATCH("finalStateMismatch", "Final state mismatch",
            "orders whose final state or updated_at is wrong or missing", Anomalies::finalStateMismatch),
    OVERLAPS("overlaps", "Overlapping handlers", "times two handlers of one order ran at once", Anomalies::overlaps);

    private final String field;
    private final String label;
    private final String meaning;
    private final ToLongFunction<Anomalies> value;

    AnomalyKind(String field, String label, String meaning, ToLongFunction<Anomalies> value) {
        this.field = field;
        this.label = label;
        this.meaning = meaning;
        this.value = value;
    }

    /** The JSON and CSV field name, also the {@link Anomalies} component. */
    public String field() {
        return field;
    }

    /** A short label for tables and charts. */
    public String label() {
        return label;
    }

    /** One line saying what is counted. */
    public String meaning() {
        return meaning;
    }

    /** This kind's count in {@code a}. */
    public long of(Anomalies a) {
        return value.applyAsLong(a);
    }
}
