package dev.lockstep.runtime;

import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Drain;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.OrderStore;
import dev.lockstep.store.StoredOrder;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * A lockstep pipeline running in other processes (a burst with {@code --target}), seen through the
 * shared Redis and MongoDB: drained when no lane is ready, leased or delayed; its handled counts are
 * read from the store's history (what the remote handlers recorded). Remote overlaps and fenced
 * writes are not visible from here and read 0.
 */
final class ObservedPipeline implements Pipeline {
    private final LaneQueue queue;
    private final OrderStore store;
    private RunCounters counters = new RunCounters();

    ObservedPipeline(LaneQueue queue, OrderStore store) {
        this.queue = queue;
        this.store = store;
    }

    @Override
    public Mode mode() {
        return Mode.LOCKSTEP;
    }

    @Override
    public void start() {
        // the remote workers are running already
    }

    @Override
    public AcceptResult accept(Delivery delivery) {
        throw new UnsupportedOperationException("deliveries go to the remote ingest over HTTP");
    }

    @Override
    public synchronized RunCounters counters() {
        return counters;
    }

    @Override
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        boolean drained = Drain.await(timeout, () -> queue.stats().drained());
        recount();
        return drained;
    }

    private void recount() {
        RunCounters c = new RunCounters();
        Set<String> seen = new HashSet<>();
        for (StoredOrder o : store.orders()) {
            for (Application a : o.history()) {
                if (seen.add(o.orderId() + "/" + a.effectId())) {
                    if (a.outcome() == ApplyResult.SKIPPED_STALE) {
                        c.skippedStale();
                    } else {
                        c.applied();
                    }
                }
            }
        }
        synchronized (this) {
            counters = c;
        }
    }

    @Override
    public void close() {
        // nothing held
    }
}
