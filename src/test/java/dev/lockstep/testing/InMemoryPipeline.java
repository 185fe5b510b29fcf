package dev.lockstep.testing;

import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.QueueUnavailableException;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.OrderStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A small in-memory {@link Pipeline} for tests about firing and orchestration (not about queues):
 * dedups on the delivery's key with a concurrent set, hands accepted events to a worker pool that
 * applies them to a store, and counts in the audit's terms. Hooks let a test block, refuse or lose
 * deliveries.
 */
public final class InMemoryPipeline implements Pipeline {
    private final OrderStore store;
    private final RunCounters counters = new RunCounters();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<Delivery> accepted = new CopyOnWriteArrayList<>();
    private final Object drainLock = new Object();
    private long pending;
    private ExecutorService workers;

    /** Runs first in every accept, on the sender's thread (e.g. to wait on a latch). */
    public volatile Consumer<Delivery> beforeAccept = d -> { };
    /** Deliveries for which accept throws, as a queue that is down would. */
    public volatile Predicate<Delivery> refuse = d -> false;
    /** Accepted events the workers silently drop (lost work). */
    public volatile Predicate<Delivery> lose = d -> false;
    /** Runs in the worker before an event is applied (e.g. to hold the drain). */
    public volatile Consumer<Delivery> beforeApply = d -> { };

    /** @param store where accepted events are applied; null to only accept */
    public InMemoryPipeline(OrderStore store) {
        this.store = store;
    }

    @Override
    public Mode mode() {
        return Mode.LOCKSTEP;
    }

    @Override
    public synchronized void start() {
        if (workers == null) {
            workers = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "in-memory-pipeline-worker");
                t.setDaemon(true);
                return t;
            });
        }
    }

    @Override
    public AcceptResult accept(Delivery delivery) {
        beforeAccept.accept(delivery);
        if (refuse.test(delivery)) {
            throw new QueueUnavailableException("refused by the test", null);
        }
        if (!seen.add(delivery.dedupKey())) {
            counters.duplicateDropped();
            return AcceptResult.DUPLICATE;
        }
        accepted.add(delivery);
        counters.accepted();
        if (store != null) {
            synchronized (drainLock) {
                pending++;
            }
            workers.execute(() -> handle(delivery));
        }
        return AcceptResult.QUEUED;
    }

    private void handle(Delivery delivery) {
        try {
            beforeApply.accept(delivery);
            if (lose.test(delivery)) {
                return;
            }
            ApplyResult r = store.apply(delivery.event(), OrderStore.NO_FENCE, Thread.currentThread().getName());
            if (r == ApplyResult.SKIPPED_STALE) {
                counters.skippedStale();
            } else if (r.handled()) {
                counters.applied();
            }
        } finally {
            synchronized (drainLock) {
                pending--;
                drainLock.notifyAll();
            }
        }
    }

    /** Every delivery accepted (not a duplicate), in acceptance order. */
    public List<Delivery> accepted() {
        return List.copyOf(accepted);
    }

    @Override
    public RunCounters counters() {
        return counters;
    }

    @Override
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return awaitPendingAtMost(0, timeout);
    }

    /** Waits until at most {@code n} accepted events are still unhandled. */
    public boolean awaitPendingAtMost(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drainLock) {
            while (pending > n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drainLock, left);
            }
            return true;
        }
    }

    @Override
    public synchronized void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
