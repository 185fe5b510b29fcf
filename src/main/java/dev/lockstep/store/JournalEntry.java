package dev.lockstep.store;

import java.util.Objects;

/**
 * One line of the per-event journal (docs/DESIGN.md, "Runs and the journal").
 *
 * @param runId     the run it belongs to ({@link RunIds}); empty when recorded, and then the journal
 *                  stamps its current run
 * @param orderId   order id
 * @param effectId  the event's effect id (topic#eventId); empty for lane-level entries
 * @param topic     topic wire name; may be empty
 * @param stage     what happened
 * @param worker    worker id and thread; empty when not a worker step
 * @param token     fencing token involved; 0 if none
 * @param startedAt epoch millis the step began: received (ingest entries), claimed (handler
 *                  outcomes); {@code at} for lane entries
 * @param at        epoch millis the step ended (enqueued, answered duplicate, outcome known)
 * @param detail    free text (error message, reason); may be empty
 * @param operator  who took an operator step ({@code user@host}: the OS user and machine of the
 *                  console or tool); empty for every other entry
 */
public record JournalEntry(String runId, long orderId, String effectId, String topic, JournalStage stage,
                           String worker, long token, long startedAt, long at, String detail, String operator) {

    public JournalEntry {
        runId = runId == null ? "" : runId;
        Objects.requireNonNull(stage, "stage");
        effectId = effectId == null ? "" : effectId;
        topic = topic == null ? "" : topic;
        worker = worker == null ? "" : worker;
        detail = detail == null ? "" : detail;
        operator = operator == null ? "" : operator;
        startedAt = startedAt <= 0 || startedAt > at ? at : startedAt;
    }

    /** An entry that no operator took. */
    public JournalEntry(String runId, long orderId, String effectId, String topic, JournalStage stage, String worker,
                        long token, long startedAt, long at, String detail) {
        this(runId, orderId, effectId, topic, stage, worker, token, startedAt, at, detail, "");
    }

    /** A step that began and ended at {@code at}, in the journal's current run. */
    public JournalEntry(long orderId, String effectId, String topic, JournalStage stage, String worker, long token,
                        long at, String detail) {
        this("", orderId, effectId, topic, stage, worker, token, at, at, detail);
    }

    /** An entry about one event that began at {@code startedAt} and ends now, in the journal's current run. */
    public static JournalEntry of(dev.lockstep.order.OrderEvent e, JournalStage stage, String worker, long token,
                                  long startedAt, String detail) {
        return new JournalEntry("", e.orderId(), e.effectId(), e.topic().wire(), stage, worker, token, startedAt,
                System.currentTimeMillis(), detail);
    }

    /**
     * An ingest entry (enqueued, duplicate) placed at the delivery's arrival: the queue's answer can
     * reach the accepting thread after a handler has already applied the event, and the timeline must
     * still show the event enqueued before it was applied.
     */
    public static JournalEntry accepted(dev.lockstep.order.OrderEvent e, JournalStage stage, long receivedAt,
                                        String detail) {
        return new JournalEntry("", e.orderId(), e.effectId(), e.topic().wire(), stage, "", 0, receivedAt, receivedAt,
                detail);
    }

    /** An operator's step at {@code at}, in the journal's current run: who took it is part of the entry. */
    public static JournalEntry byOperator(String operator, long orderId, String effectId, String topic,
                                          JournalStage stage, long token, long at, String detail) {
        return new JournalEntry("", orderId, effectId, topic, stage, "operator", token, at, at, detail, operator);
    }

    /** This entry in run {@code run}. */
    public JournalEntry inRun(String run) {
        return new JournalEntry(run, orderId, effectId, topic, stage, worker, token, startedAt, at, detail, operator);
    }

    /** The topic of an effect id ({@code <topic>#<eventId>}); empty for a lane entry. */
    static String topicOf(String effectId) {
        int hash = effectId.indexOf('#');
        return hash < 0 ? "" : effectId.substring(0, hash);
    }
}
