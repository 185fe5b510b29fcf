package dev.lockstep.queue;

/**
 * A delivery dropped as a duplicate, as the enqueue script logged it.
 *
 * @param orderId   the order
 * @param dedupKey  shop|topic|event id (else webhook id, else body hash)
 * @param firstSeen epoch ms the event was first accepted (0 if unknown)
 * @param lastHit   epoch ms of the latest dropped copy
 * @param copies    dropped copies among the recent hits
 */
public record DuplicateHit(long orderId, String dedupKey, long firstSeen, long lastHit, int copies) {
}
