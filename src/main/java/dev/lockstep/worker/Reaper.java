package dev.lockstep.worker;

import dev.lockstep.queue.LaneQueue;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stalled-lane recovery: periodically revokes leases past their deadline in every partition (their
 * worker died, or stalled without renewing). Any number of processes may reap the same queue;
 * the script makes each revocation happen once.
 */
final class Reaper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reaper.class);
    private static final int BATCH = 100;

    private final LaneQueue queue;
    private final LaneListener listener;
    private final ScheduledExecutorService timer;

    Reaper(LaneQueue queue, LaneListener listener, long intervalMs, String name) {
        this.queue = queue;
        this.listener = listener;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-reaper");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::reapSafely, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** One pass over every partition. @return leases revoked */
    int reapOnce() {
        int n = 0;
        for (int p = 0; p < queue.keys().partitions(); p++) {
            List<LaneQueue.Revoked> revoked;
            do {
                revoked = queue.reap(p, BATCH);
                for (LaneQueue.Revoked r : revoked) {
                    log.info("recovered stalled lane of order {} (fence now {})", r.orderId(), r.newFence());
                    listener.reaped(r.orderId(), r.newFence());
                }
                n += revoked.size();
            } while (revoked.size() == BATCH);
        }
        return n;
    }

    private void reapSafely() {
        try {
            reapOnce();
        } catch (RuntimeException e) {
            log.warn("reaping stalled lanes failed; will retry", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
