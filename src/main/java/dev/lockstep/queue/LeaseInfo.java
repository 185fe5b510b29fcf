package dev.lockstep.queue;

/**
 * A held order lock: the lease of one lane.
 *
 * @param orderId  the order
 * @param holder   worker id and thread holding it
 * @param token    its fencing token
 * @param since    epoch millis the lease was taken
 * @param deadline epoch millis it lapses unless renewed
 */
public record LeaseInfo(long orderId, String holder, long token, long since, long deadline) {
}
