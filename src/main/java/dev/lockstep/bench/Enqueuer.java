package dev.lockstep.bench;

import dev.lockstep.queue.GroupCommitEnqueuer;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
     * The path a webhook takes: each event enqueued on its own through the group commit, and the
     * next one sent only once the previous one's answer is in (a provider waits for the 2xx), as one
     * connection of the ingest does. Like the ingest, nothing waits per event: each answer, on the
     * group commit's thread, sends the producer's next event; the producer's thread waits for the
     * whole chain.
     */
    record GroupCommit(GroupCommitEnqueuer enqueuer) implements Enqueuer {
        @Override
        public void enqueue(ProducerWork work, int from, int count, AtomicLong notQueued) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            send(work, from, from + count, notQueued, done);
            done.join();
        }

        private void send(ProducerWork work, int k, int end, AtomicLong notQueued, CompletableFuture<Void> done) {
            if (k == end) {
                done.complete(null);
                return;
            }
            enqueuer.enqueueAsync(work.orderId(k), work.dedupKey(k), work.payload(k)).whenComplete((code, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
                    return;
                }
                if (code != ResultCode.QUEUED) {
                    notQueued.incrementAndGet();
                }
                send(work, k + 1, end, notQueued, done);
            });
        }

        /** All of a producer's events in one call: the chain above sends them one at a time. */
        @Override
        public int batch() {
            return Integer.MAX_VALUE;
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
