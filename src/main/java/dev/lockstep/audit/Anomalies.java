package dev.lockstep.audit;

/**
 * What the auditor found wrong in one run (docs/DESIGN.md, "Audit terms"), one count per
 * {@link AnomalyKind}. All zero in a healthy run.
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
        return kindsFound() == 0;
    }

    /** The sum over all kinds. */
    public long total() {
        long sum = 0;
        for (AnomalyKind k : AnomalyKind.values()) {
            sum += k.of(this);
        }
        return sum;
    }

    /** How many kinds are non-zero. */
    public int kindsFound() {
        int n = 0;
        for (AnomalyKind k : AnomalyKind.values()) {
            if (k.of(this) != 0) {
                n++;
            }
        }
        return n;
    }
}
