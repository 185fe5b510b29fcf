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
            long waited = System.nanoTime() - posted;
            waitsMicros.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(waited), waitsMicros.getHighestTrackableValue()));
            maxNanos.accumulateAndGet(waited, Math::max);
            probePending.set(false);
        });
    }

    /** The longest a probe waited for the EDT since start (or the last reset), milliseconds. */
    public double maxMillis() {
        return maxNanos.get() / 1e6;
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
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
