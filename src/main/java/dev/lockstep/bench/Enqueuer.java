package dev.lockstep.bench;

import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** How a producer hands its events to the queue: one round trip each, or pipelined batches. */
sealed interface Enqueuer {

    /**
     * Enqueues {@code count} events from {@code from}, counting answers other than QUEUED.
     */
    void enqueue(ProducerWork work, int from, int count, AtomicLong notQueued);

    /** The largest number of events one call takes. */
    int batch();

    /** {@code LaneQueue.enqueue}, one script call and round trip per event. */
    record OneByOne(LaneQueue queue) implements Enqueuer {
        @Override
        public void enqueue(ProducerWork work, int from, int count, AtomicLong notQueued) {
            for (int k = from; k < from + count; k++) {
                if (queue.enqueue(work.orderId(k), work.dedupKey(k), work.payload(k)) != ResultCode.QUEUED) {
                    notQueued.incrementAndGet();
                }
            }
        }

        @Override
        public int batch() {
            return 1;
        }
    }

    /** The same script, pipelined: one round trip per batch. */
    record Pipelined(PipelinedEnqueuer enqueuer, int batch) implements Enqueuer {
        @Override
        public void enqueue(ProducerWork work, int from, int count, AtomicLong notQueued) {
            List<PipelinedEnqueuer.Event> events = new ArrayList<>(count);
            for (int k = from; k < from + count; k++) {
                events.add(new PipelinedEnqueuer.Event(work.orderId(k), work.dedupKey(k), work.payload(k)));
            }
            for (ResultCode r : enqueuer.enqueueAll(events)) {
                if (r != ResultCode.QUEUED) {
                    notQueued.incrementAndGet();
                }
            }
        }
    }
}
