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

    /** The run every synthetic order is in, unless given. */
    static final String RUN = "r-20260101-120000-3";

    static OrderTimeline of(Mode mode, long orderId, long t0) {
        List<JournalEntry> j = entries(mode, orderId, t0, RUN, TOPICS.length);
        return new OrderTimeline(mode, orderId, j, documents(mode, orderId, t0, j));
    }

    /** The first {@code events} events' entries in run {@code run}, as {@code mode} records them. */
    static List<JournalEntry> entries(Mode mode, long orderId, long t0, String run, int events) {
        List<JournalEntry> j = new ArrayList<>();
        long[] arrive = {0, 6, 9, 30};
        long[][] runs = switch (mode) {
            // start, end relative to t0
            case LOCKSTEP -> new long[][] {{2, 8}, {10, 15}, {16, 21}, {32, 37}};
            case NAIVE_LOCK -> new long[][] {{2, 14}, {9, 19}, {24, 29}, {31, 36}};
            case UNSAFE -> new long[][] {{0, 12}, {6, 15}, {9, 18}, {30, 35}};
        };
        long token = 10;
        for (int i = 0; i < events; i++) {
            Topic topic = TOPICS[i];
            String effect = topic.wire() + "#evt-" + orderId + "-" + i;
            long at = t0 + arrive[i];
            j.add(new JournalEntry(run, orderId, effect, topic.wire(), JournalStage.ENQUEUED, "", 0, at, at + 1, ""));
            if (i == 1) {
                j.add(new JournalEntry(run, orderId, effect, topic.wire(),
                        mode == Mode.LOCKSTEP ? JournalStage.DUPLICATE : JournalStage.ENQUEUED, "", 0, at + 3, at + 3,
                        mode == Mode.LOCKSTEP ? "dedup hit" : "second copy passed the dedup check"));
            }
            String worker = "worker-1/t" + (i % 3 + 1);
            long t = mode == Mode.LOCKSTEP ? ++token : 0;
            boolean stale = mode == Mode.NAIVE_LOCK && i == 1; // paid applied after updated moved on: a guard skips it
            JournalStage end = stale ? JournalStage.SKIPPED : JournalStage.APPLIED;
            j.add(new JournalEntry(run, orderId, effect, topic.wire(), end, worker, t, t0 + runs[i][0], t0 + runs[i][1],
                    ""));
        }
        j.sort(java.util.Comparator.comparingLong(JournalEntry::at));
        return j;
    }

    /** The stored documents the entries of {@code j} leave. */
    static List<StoredOrder> documents(Mode mode, long orderId, long t0, List<JournalEntry> j) {
        List<Application> history = new ArrayList<>();
        List<Application> history2 = new ArrayList<>();
        long token = 0;
        for (JournalEntry e : j) {
            if (!e.stage().handlerOutcome()) {
                continue;
            }
            Topic topic = Topic.fromWire(e.topic()).orElseThrow();
            boolean stale = e.stage() == JournalStage.SKIPPED;
            token = Math.max(token, e.token());
            Application a = new Application(e.effectId(), topic, e.startedAt(),
                    stale ? ApplyResult.SKIPPED_STALE : ApplyResult.APPLIED, e.token(), e.worker(), e.at());
            history.add(a);
            if (mode == Mode.UNSAFE && topic == Topic.CREATE) {
                history2.add(a); // the second create copy inserted the order again
            }
        }
        List<StoredOrder> docs = new ArrayList<>();
        docs.add(new StoredOrder(orderId, "o-" + orderId, mode == Mode.NAIVE_LOCK ? OrderState.PAID : OrderState.FULFILLED,
                t0 + 30, mode == Mode.LOCKSTEP ? token : 0, history));
        if (mode == Mode.UNSAFE) {
            docs.add(new StoredOrder(orderId, "o-" + orderId + "-dup", OrderState.CREATED, t0, 0, history2));
        }
        return docs;
    }
}
