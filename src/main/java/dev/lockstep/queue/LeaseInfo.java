package dev.lockstep.queue;

/**
 * A held order lock: the lease of one lane.
 *
 * @param orderId  the order
 * @param holder   worker id and thread holding it
 * @param token    its fencing token
 * @param since    epoch millis the lease was taken
 * @param deadline epoch millis it lapses unless renewed
 * @param leaseMs  the queue's lease length
 */
public record LeaseInfo(long orderId, String holder, long token, long since, long deadline, long leaseMs) {
    /** A lane held this many lease lengths is shown as stuck: no handler call should take that long. */
    public static final int STUCK_AFTER_LEASES = 3;

    /** Whether the lane has been held past {@value #STUCK_AFTER_LEASES} lease lengths at {@code now}. */
    public boolean stuck(long now) {
        return leaseMs > 0 && now - since > STUCK_AFTER_LEASES * leaseMs;
    }
}
