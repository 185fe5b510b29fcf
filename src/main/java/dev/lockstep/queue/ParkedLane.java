package dev.lockstep.queue;

/**
 * A lane parked after its head event failed too often; its later events wait for an operator.
 *
 * @param orderId  the order
 * @param headJob  the failing head job id
 * @param effectId the head event's effect id
 * @param attempts attempts made
 * @param error    the last error
 * @param parkedAt epoch millis
 * @param depth    events waiting in the lane, head included
 */
public record ParkedLane(long orderId, String headJob, String effectId, int attempts, String error, long parkedAt,
                         long depth) {
}
