package dev.lockstep.console.live;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.swing.SwingUtilities;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Measures how long the event dispatch thread keeps work waiting: a daemon thread posts a probe
 * with {@code invokeLater} every 20 ms (never more than one at a time) and records how long the
 * probe waited to run. The worst wait is the longest EDT stall.
 */
public final class EdtStallMonitor implements AutoCloseable {
    private static final long PROBE_EVERY_MILLIS = 20;

    /** The recent window: six 10-second buckets, so "the last minute" moves on in 10 s steps. */
    private static final long BUCKET_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int BUCKETS = 6;

    private final long[] bucketIndex = new long[BUCKETS];
    private final long[] bucketMaxNanos = new long[BUCKETS];
    private final SynchronizedHistogram waitsMicros = new SynchronizedHistogram(TimeUnit.MINUTES.toMicros(10), 3);
    private final AtomicLong maxNanos = new AtomicLong();
    private final AtomicBoolean probePending = new AtomicBoolean();
    private final ScheduledExecutorService prober;

    public EdtStallMonitor() {
        prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edt-stall-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    public EdtStallMonitor start() {
        prober.scheduleAtFixedRate(this::probe, 0, PROBE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void probe() {
        if (!probePending.compareAndSet(false, true)) {
            return; // the previous probe has not run yet: the EDT is busy, its wait is still growing
        }
        long posted = System.nanoTime();
        SwingUtilities.invokeLater(() -> {
            long ran = System.nanoTime();
            long waited = ran - posted;
            waitsMicros.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(waited), waitsMicros.getHighestTrackableValue()));
            maxNanos.accumulateAndGet(waited, Math::max);
            recordRecent(ran, waited);
            probePending.set(false);
        });
    }

    /** The longest a probe waited for the EDT since start (or the last reset), milliseconds. */
    public double maxMillis() {
        return maxNanos.get() / 1e6;
    }

    /**
     * The longest a probe waited in about the last minute, milliseconds: what the status bar shows, so a stall
     * at start-up or during one burst does not stand there for the rest of the session.
     */
    public double recentMaxMillis() {
        return recentMaxMillis(System.nanoTime());
    }

    synchronized double recentMaxMillis(long nowNanos) {
        long current = Math.floorDiv(nowNanos, BUCKET_NANOS);
        long max = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketIndex[i] > current - BUCKETS) {
                max = Math.max(max, bucketMaxNanos[i]);
            }
        }
        return max / 1e6;
    }

    synchronized void recordRecent(long nowNanos, long waitedNanos) {
        long index = Math.floorDiv(nowNanos, BUCKET_NANOS);
        int slot = (int) Math.floorMod(index, (long) BUCKETS);
        if (bucketIndex[slot] != index) {
            bucketIndex[slot] = index;
            bucketMaxNanos[slot] = 0;
        }
        bucketMaxNanos[slot] = Math.max(bucketMaxNanos[slot], waitedNanos);
    }

    /** 99th percentile of the probes' waits, milliseconds. */
    public double p99Millis() {
        return waitsMicros.getValueAtPercentile(99) / 1e3;
    }

    /** Probes recorded since start (or the last reset). */
    public long probes() {
        return waitsMicros.getTotalCount();
    }

    public void reset() {
        waitsMicros.reset();
        maxNanos.set(0);
        synchronized (this) {
            java.util.Arrays.fill(bucketMaxNanos, 0);
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
