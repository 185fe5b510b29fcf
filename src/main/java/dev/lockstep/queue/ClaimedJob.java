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
 * @param lease     the lease member {@code <orderId>|<token>|<holder>|<since>}: every job run under one
 *                  lease shares it (and its token), however many of the lane's events it runs
 */
public record ClaimedJob(int partition, long orderId, String jobId, long token, String payload, int attempts,
                         String lease) {
}
