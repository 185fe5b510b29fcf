package dev.lockstep.console.live;

import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.EnvironmentInfo;
import dev.lockstep.pipeline.RunCounters;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the backend on its own thread about four times a second, builds one immutable
 * {@link ConsoleSnapshot} per tick and hands it to the EDT with one {@code invokeLater}. When the
 * EDT falls behind, only the newest snapshot is delivered (older ones are dropped, never queued).
 */
public final class ConsolePoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsolePoller.class);
    /** Lists are bounded so a huge queue never makes a tick slow. */
    static final int LEASE_LIMIT = 500;
    static final int PARKED_LIMIT = 200;
    static final int PAUSED_LIMIT = 200;
    static final int DUPLICATE_LIMIT = 100;
    /** Health checks do network round trips: once every this many ticks. */
    private static final int ENVIRONMENT_EVERY = 4;

    private final ConsoleBackend backend;
    private final EdtStallMonitor edt;
    private final Consumer<ConsoleSnapshot> onEdt;
    private final AtomicReference<ConsoleSnapshot> pending = new AtomicReference<>();
    private final ScheduledExecutorService timer;
    private final Duration period;
    private ConsoleSnapshot last = ConsoleSnapshot.empty();
    private long ticks;

    /**
     * @param onEdt receives each snapshot on the EDT (normally {@link ConsoleModel#update})
     */
    public ConsolePoller(ConsoleBackend backend, EdtStallMonitor edt, Duration period, Consumer<ConsoleSnapshot> onEdt) {
        this.backend = backend;
        this.edt = edt;
        this.period = period;
        this.onEdt = onEdt;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "console-poller");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a reading as soon as possible (after an action, so the views catch up at once). */
    public void pollNow() {
        if (!timer.isShutdown()) {
            timer.execute(this::tick);
        }
    }

    private void tick() {
        try {
            ConsoleSnapshot s = read(last, System.currentTimeMillis(), ticks++ % ENVIRONMENT_EVERY == 0);
            last = s;
            if (pending.getAndSet(s) == null) {
                SwingUtilities.invokeLater(() -> onEdt.accept(pending.getAndSet(null)));
            }
        } catch (RuntimeException e) {
            // never let one failure cancel the schedule
            log.warn("console poll failed", e);
        }
    }

    /** One reading: the backend's answers, rates against {@code previous}. Falls back to {@code previous} on error. */
    ConsoleSnapshot read(ConsoleSnapshot previous, long now, boolean withEnvironment) {
        ConsoleSnapshot.EdtStats edtStats = new ConsoleSnapshot.EdtStats(edt.maxMillis(), edt.p99Millis(),
                edt.recentMaxMillis());
        try {
            EnvironmentInfo env = withEnvironment || previous.env() == EnvironmentInfo.UNKNOWN
                    ? backend.environment() : previous.env();
            RunCounters.Snapshot counters = backend.counters();
            return new ConsoleSnapshot(now, env, backend.queueStats(), counters, rates(previous, counters, now),
                    backend.leases(LEASE_LIMIT), backend.parked(PARKED_LIMIT), backend.paused(PAUSED_LIMIT),
                    backend.leaseHoldTimes(), backend.latestDuplicates(DUPLICATE_LIMIT), backend.runProgress(), backend.runs(), edtStats,
                    new ConsoleSnapshot.Fleet(backend.workers(), backend.workerId(), backend.workerStartCommand()), "");
        } catch (RuntimeException e) {
            log.debug("backend read failed", e);
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ConsoleSnapshot(now, previous.env(), previous.queue(), previous.counters(),
                    ConsoleSnapshot.Rates.ZERO, previous.leases(), previous.parked(), previous.paused(),
                    previous.holdTimes(), previous.duplicates(), previous.progress(), previous.runs(), edtStats, previous.fleet(), why);
        }
    }

    static ConsoleSnapshot.Rates rates(ConsoleSnapshot previous, RunCounters.Snapshot now, long at) {
        double seconds = (at - previous.takenAt()) / 1000.0;
        if (seconds <= 0) {
            return previous.rates();
        }
        RunCounters.Snapshot before = previous.counters();
        return new ConsoleSnapshot.Rates(
                perSecond(now.applied() - before.applied(), seconds),
                perSecond(now.accepted() - before.accepted(), seconds),
                perSecond(now.duplicatesDropped() - before.duplicatesDropped(), seconds));
    }

    /** A counter that went down belongs to a new run: no rate for that step. */
    private static double perSecond(long delta, double seconds) {
        return delta <= 0 ? 0 : delta / seconds;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
