package dev.lockstep.console;

import dev.lockstep.console.backend.OrderTimeline;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.StoredOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Made-up journals of one order with four events (create, paid, updated, fulfilled) as each mode
 * would record them: serialized in {@code lockstep}; in {@code seed} two handlers overlap and a
 * lock-busy event is re-queued behind a later one; in {@code unsafe} handlers start on arrival,
 * overlap freely and the order is stored twice.
 */
final class SyntheticJournal {
    private static final Topic[] TOPICS = {Topic.CREATE, Topic.PAID, Topic.UPDATED, Topic.FULFILLED};

    private SyntheticJournal() {
    }

    static OrderTimeline of(Mode mode, long orderId, long t0) {
        List<JournalEntry> j = new ArrayList<>();
        List<Application> history = new ArrayList<>();
        List<Application> history2 = new ArrayList<>();
        long[] arrive = {0, 6, 9, 30};
        long[][] runs = switch (mode) {
            // start, end relative to t0
            case LOCKSTEP -> new long[][] {{2, 8}, {10, 15}, {16, 21}, {32, 37}};
            case SEED -> new long[][] {{2, 14}, {9, 19}, {24, 29}, {31, 36}};
            case UNSAFE -> new long[][] {{0, 12}, {6, 15}, {9, 18}, {30, 35}};
        };
        long token = 10;
        for (int i = 0; i < TOPICS.length; i++) {
            Topic topic = TOPICS[i];
            String effect = topic.wire() + "#evt-" + orderId + "-" + i;
            long at = t0 + arrive[i];
            j.add(new JournalEntry(orderId, effect, topic.wire(), JournalStage.RECEIVED, "", 0, at, ""));
            if (mode != Mode.UNSAFE) {
                j.add(new JournalEntry(orderId, effect, topic.wire(), JournalStage.ENQUEUED, "", 0, at + 1, ""));
            }
            if (i == 1) {
                j.add(new JournalEntry(orderId, effect, topic.wire(), JournalStage.RECEIVED, "", 0, at + 3,
                        "provider retry"));
                j.add(new JournalEntry(orderId, effect, topic.wire(),
                        mode == Mode.LOCKSTEP ? JournalStage.DUPLICATE : JournalStage.RECEIVED, "", 0, at + 3,
                        mode == Mode.LOCKSTEP ? "dedup hit" : "second copy passed the dedup check"));
            }
            String worker = "worker-1/t" + (i % 3 + 1);
            long t = mode == Mode.LOCKSTEP ? ++token : 0;
            if (mode != Mode.UNSAFE) {
                j.add(new JournalEntry(orderId, effect, topic.wire(), JournalStage.CLAIMED, worker, t,
                        t0 + runs[i][0], ""));
            }
            boolean stale = mode == Mode.SEED && i == 1; // paid applied after updated moved on: a guard skips it
            JournalStage end = stale ? JournalStage.SKIPPED : JournalStage.APPLIED;
            j.add(new JournalEntry(orderId, effect, topic.wire(), end, worker, t, t0 + runs[i][1], ""));
            Application a = new Application(effect, topic, at, stale ? ApplyResult.SKIPPED_STALE : ApplyResult.APPLIED,
                    t, worker, t0 + runs[i][1]);
            history.add(a);
            if (mode == Mode.UNSAFE && i == 0) {
                history2.add(a); // the second create copy inserted the order again
            }
        }
        j.sort(java.util.Comparator.comparingLong(JournalEntry::at));
        List<StoredOrder> docs = new ArrayList<>();
        docs.add(new StoredOrder(orderId, "o-" + orderId, mode == Mode.SEED ? OrderState.PAID : OrderState.FULFILLED,
                t0 + 30, mode == Mode.LOCKSTEP ? token : 0, history));
        if (mode == Mode.UNSAFE) {
            docs.add(new StoredOrder(orderId, "o-" + orderId + "-dup", OrderState.CREATED, t0, 0, history2));
        }
        return new OrderTimeline(mode, orderId, j, docs);
    }
}
