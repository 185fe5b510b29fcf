package dev.lockstep.bench;

import dev.lockstep.queue.GroupCommitEnqueuer;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** How a producer hands its events to the queue: as webhooks do (group commit), or in bulk. */
sealed interface Enqueuer {

    /**
     * Enqueues {@code count} events from {@code from}, counting answers other than QUEUED.
     */
    void enqueue(ProducerWork work, int from, int count, AtomicLong notQueued);

    /** The largest number of events one call takes. */
    int batch();

    /**
     * The path a webhook takes: each event enqueued on its own and waited for, concurrent callers
     * gathered into one round trip by the group commit.
     */
    record GroupCommit(GroupCommitEnqueuer enqueuer) implements Enqueuer {
        @Override
        public void enqueue(ProducerWork work, int from, int count, AtomicLong notQueued) {
            for (int k = from; k < from + count; k++) {
                if (enqueuer.enqueue(work.orderId(k), work.dedupKey(k), work.payload(k)) != ResultCode.QUEUED) {
                    notQueued.incrementAndGet();
                }
            }
        }

        @Override
        public int batch() {
            return 1;
        }
    }

    /** Bulk: {@code batch} events per {@link LaneQueue#enqueueAll} call, as BullMQ's addBulk. */
    record Bulk(LaneQueue queue, int batch) implements Enqueuer {
        @Override
        public void enqueue(ProducerWork work, int from, int count, AtomicLong notQueued) {
            List<LaneQueue.Enqueue> events = new ArrayList<>(count);
            for (int k = from; k < from + count; k++) {
                events.add(new LaneQueue.Enqueue(work.orderId(k), work.dedupKey(k), work.payload(k)));
            }
            for (ResultCode r : queue.enqueueAll(events)) {
                if (r != ResultCode.QUEUED) {
                    notQueued.incrementAndGet();
                }
            }
        }
    }
}
