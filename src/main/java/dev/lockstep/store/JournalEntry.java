package dev.lockstep.store;

/**
 * One line of the per-event journal.
 *
 * @param orderId  order id
 * @param effectId the event's effect id (topic#eventId); empty for lane-level entries
 * @param topic    topic wire name; may be empty
 * @param stage    what happened
 * @param worker   worker id and thread; empty when not a worker step
 * @param token    fencing token involved; 0 if none
 * @param at       epoch millis
 * @param detail   free text (error message, reason); may be empty
 */
public record JournalEntry(long orderId, String effectId, String topic, JournalStage stage, String worker, long token,
                           long at, String detail) {

    /** An entry about one event, stamped now. */
    public static JournalEntry of(dev.lockstep.order.OrderEvent e, JournalStage stage, String worker, long token,
                                  String detail) {
        return new JournalEntry(e.orderId(), e.effectId(), e.topic().wire(), stage, worker, token,
                System.currentTimeMillis(), detail);
    }
}
