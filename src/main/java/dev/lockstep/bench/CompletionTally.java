package dev.lockstep.bench;

import dev.lockstep.lock.HeldLease;
import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.worker.JobHandler;
import dev.lockstep.worker.LaneListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks the run while it goes, at the cost of a few atomics per event: every event completed
 * exactly once, each order's events in acceptance order, never two handlers on one order at a time.
 * Also the no-op {@link #handler()}: it only does the overlap check and returns APPLIED.
 */
final class CompletionTally implements LaneListener {
    private final int events;
    private final AtomicIntegerArray completions;
    private final AtomicLongArray lastIndexPerOrder;
    private final AtomicIntegerArray runningPerOrder;
    private final AtomicLong completed = new AtomicLong();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder outOfOrder = new LongAdder();
    private final LongAdder overlaps = new LongAdder();
    private final LongAdder laneRuns = new LongAdder();
    private final LongAdder leaseTrouble = new LongAdder();
    private final CountDownLatch allDone = new CountDownLatch(1);
    private volatile long lastCompletionNanos;

    CompletionTally(int events, int orders) {
        this.events = events;
        this.completions = new AtomicIntegerArray(events);
        this.lastIndexPerOrder = new AtomicLongArray(orders);
        for (int i = 0; i < orders; i++) {
            lastIndexPerOrder.set(i, -1);
        }
        this.runningPerOrder = new AtomicIntegerArray(orders);
    }

    /** The benchmark's handler: no work, only the one-holder-per-order check. */
    JobHandler handler() {
        return (ClaimedJob job, HeldLease lease) -> {
            int o = (int) job.orderId() - 1;
            if (runningPerOrder.incrementAndGet(o) > 1) {
                overlaps.increment();
            }
            runningPerOrder.decrementAndGet(o);
            return ApplyResult.APPLIED;
        };
    }

    @Override
    public void completed(ClaimedJob job, ApplyResult result, String worker) {
        int index = BenchPayload.indexOf(job.payload());
        if (completions.getAndIncrement(index) > 0) {
            duplicates.increment();
        }
        long previous = lastIndexPerOrder.getAndSet((int) job.orderId() - 1, index);
        if (previous > index) {
            outOfOrder.increment();
        }
        if (completed.incrementAndGet() == events) {
            lastCompletionNanos = System.nanoTime();
            allDone.countDown();
        }
    }

    @Override
    public void leaseHeld(long orderId, long millis) {
        laneRuns.increment();
    }

    @Override
    public void fenced(ClaimedJob job, String worker) {
        leaseTrouble.increment();
    }

    @Override
    public void leaseLost(ClaimedJob job, String worker) {
        leaseTrouble.increment();
    }

    @Override
    public void retried(ClaimedJob job, String error, int attempts, String worker) {
        leaseTrouble.increment();
    }

    @Override
    public void parked(ClaimedJob job, String error, int attempts, String worker) {
        leaseTrouble.increment();
    }

    @Override
    public void revoked(long orderId, long fence, String reason) {
        leaseTrouble.increment();
    }

    /** Waits for the last completion. @return false on timeout */
    boolean awaitAll(long timeout, TimeUnit unit) throws InterruptedException {
        return allDone.await(timeout, unit);
    }

    long lastCompletionNanos() {
        return lastCompletionNanos;
    }

    long completed() {
        return completed.get();
    }

    long laneRuns() {
        return laneRuns.sum();
    }

    /** Events that never completed. */
    long missing() {
        long n = 0;
        for (int i = 0; i < events; i++) {
            if (completions.get(i) == 0) {
                n++;
            }
        }
        return n;
    }

    long duplicates() {
        return duplicates.sum();
    }

    long outOfOrder() {
        return outOfOrder.sum();
    }

    long overlaps() {
        return overlaps.sum();
    }

    /** Fenced, lost, retried, parked or reaped lanes: none are expected with a no-op handler. */
    long leaseTrouble() {
        return leaseTrouble.sum();
    }
}
