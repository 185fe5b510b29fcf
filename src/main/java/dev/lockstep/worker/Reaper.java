package dev.lockstep.worker;

import dev.lockstep.logging.LogLimiter;
import dev.lockstep.queue.LaneQueue;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stalled-lane recovery and the queue's timers: periodically revokes leases past their deadline in
 * every partition (their worker died, or stalled without renewing), finishes revocations whose
 * revoker died, and moves due retries back to ready. Each revocation is finished by raising the
 * store's fence and only then handing the lane on. Any number of processes may reap the same queue;
 * the scripts make each step happen once. Busy, a pass runs every {@code reapInterval}; idle (no
 * work seen for a lease), every half lease, so an idle process costs Redis a few calls a second.
 */
final class Reaper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reaper.class);
    private static final int BATCH = 100;

    private final LaneQueue queue;
    private final WakeSignal wake;
    private final Consumer<LaneQueue.Revocation> finish;
    private final LongSupplier lastActivity;
    private final long busyInterval;
    private final long idleInterval;
    private final ScheduledExecutorService timer;
    private final LogLimiter failures = new LogLimiter(log, Duration.ofSeconds(10));

    Reaper(LaneQueue queue, WakeSignal wake, Consumer<LaneQueue.Revocation> finish, WorkerSettings settings,
           String name, LongSupplier lastActivity) {
        this.queue = queue;
        this.wake = wake;
        this.finish = finish;
        this.lastActivity = lastActivity;
        this.busyInterval = settings.reapInterval().toMillis();
        this.idleInterval = Math.max(busyInterval, queue.leaseMs() / 2);
        java.util.concurrent.ScheduledThreadPoolExecutor executor = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                r -> {
                    Thread t = new Thread(r, name + "-reaper");
                    t.setDaemon(true);
                    return t;
                });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // the next pass is dropped on close
        this.timer = executor;
        // the first pass comes soon (lanes a dead process left); then the pace follows the pool's activity
        timer.schedule(this::passAndReschedule, busyInterval, TimeUnit.MILLISECONDS);
    }

    /** One pass over every partition. @return leases revoked or revocations finished */
    int reapOnce() {
        int n = 0;
        for (int p = 0; p < queue.keys().partitions(); p++) {
            LaneQueue.Reaped reaped;
            do {
                reaped = queue.reap(p, BATCH);
                for (LaneQueue.Revocation r : reaped.revocations()) {
                    log.info("recovering the lane of order {} (fence now {})", r.orderId(), r.fence());
                    finish.accept(r); // one failing revocation never stops the others
                }
                if (reaped.lanesReadied() > 0) {
                    // a script that failed half-way (a slot moving on Redis Cluster) left these lanes in no state
                    log.info("readied {} lane(s) of partition {} that were in no state", reaped.lanesReadied(), p);
                }
                n += reaped.revocations().size();
            } while (reaped.revocations().size() == BATCH);
            if (reaped.readyLeft() > 0) {
                wake.wake(p);
            }
        }
        return n;
    }

    private void passAndReschedule() {
        try {
            reapOnce();
        } catch (RuntimeException e) {
            failures.log("reaping stalled lanes failed; will retry", e);
        }
        boolean idle = System.currentTimeMillis() - lastActivity.getAsLong() > queue.leaseMs();
        try {
            timer.schedule(this::passAndReschedule, idle ? idleInterval : busyInterval, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing
        }
    }

    @Override
    public void close() {
        // no interrupt: a renewal or pass under way finishes its Redis call, then the timer stops
        timer.shutdown();
    }
}
