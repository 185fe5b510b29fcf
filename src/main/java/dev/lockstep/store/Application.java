package dev.lockstep.store;

import dev.lockstep.order.Topic;

/**
 * One time a handler applied (or knowingly skipped) an event on an order.
 *
 * @param effectId  {@link dev.lockstep.order.OrderEvent#effectId()}
 * @param topic     the event's topic
 * @param updatedAt the event's source updated_at
 * @param outcome   {@link ApplyResult#APPLIED} or {@link ApplyResult#SKIPPED_STALE}
 * @param token     fencing token of the writer (0 when unfenced)
 * @param worker    worker id and thread
 * @param at        epoch millis of the write
 */
public record Application(String effectId, Topic topic, long updatedAt, ApplyResult outcome, long token,
                          String worker, long at) {
}
