package dev.lockstep.queue;

/**
 * The head job of a lane this process holds a lease on.
 *
 * @param partition partition of the order
 * @param orderId   the order (the lane)
 * @param jobId     the job at the lane's head
 * @param token     the fencing token of this lease; the store refuses writes below the newest
 * @param payload   the event JSON
 * @param attempts  failed attempts so far
 */
public record ClaimedJob(int partition, long orderId, String jobId, long token, String payload, int attempts) {
}
