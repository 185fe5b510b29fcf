package dev.lockstep.console.backend;

/** The integrity audit's anomaly counts of one run (docs/DESIGN.md, "Audit terms"). */
public record Anomalies(long duplicateOrders, long lostInventoryUnits, long outOfOrder, long appliedTwice,
                        long neverApplied, long finalStateMismatch, long overlaps) {
    public static final Anomalies NONE = new Anomalies(0, 0, 0, 0, 0, 0, 0);

    public long total() {
        return duplicateOrders + lostInventoryUnits + outOfOrder + appliedTwice + neverApplied + finalStateMismatch
                + overlaps;
    }
}
