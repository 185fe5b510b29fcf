package dev.lockstep.queue;

/**
 * A lane an operator paused: no holder claims it until it is resumed.
 *
 * @param orderId  the order
 * @param pausedAt epoch millis (Redis time) it was paused
 * @param heldBack whether the queue has taken it out of the ready list (a claim found it, or its
 *                 holder let it go); false while it is still where it was (held, ready, idle...)
 * @param depth    events waiting in the lane
 */
public record PausedLane(long orderId, long pausedAt, boolean heldBack, long depth) {
}
