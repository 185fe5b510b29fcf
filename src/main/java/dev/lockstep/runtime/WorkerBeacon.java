package dev.lockstep.runtime;

import dev.lockstep.fleet.WorkerInfo;
import dev.lockstep.fleet.WorkerRegistry;
import dev.lockstep.logging.LogLimiter;
import dev.lockstep.mode.LockstepPipeline;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.worker.WorkerSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this process's heartbeat to the {@link WorkerRegistry} while its workers run
 * (docs/DESIGN.md, "The fleet"): id, host, pid, version, threads, lanes held and events/s. A Redis
 * outage costs a line per interval, never the process; closing leaves the registry at once.
 */
public final class WorkerBeacon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerBeacon.class);
    /** The jar's Implementation-Version ("dev" when run from classes). */
    private static final String VERSION = java.util.Objects.requireNonNullElse(
            WorkerBeacon.class.getPackage().getImplementationVersion(), "dev");

    private final WorkerRegistry registry;
    private final String id;
    private final String kind;
    private final int threads;
    private final Supplier<Pipeline> pipeline;
    private final Supplier<String> ingestUrl;
    private final long startedAt = System.currentTimeMillis();
    private final LogLimiter failures = new LogLimiter(log, Duration.ofSeconds(30));
    private final Thread thread;
    private volatile boolean stopped;
    private long lastHandled;
    private long lastAtNanos;

    private WorkerBeacon(WorkerRegistry registry, String kind, int threads, Supplier<Pipeline> pipeline,
                         Supplier<String> ingestUrl) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.id = WorkerSettings.processId();
        this.kind = kind;
        this.threads = threads;
        this.pipeline = pipeline;
        this.ingestUrl = ingestUrl;
        this.thread = new Thread(this::run, "lockstep-heartbeat");
        this.thread.setDaemon(true);
    }

    /**
     * Starts beating for this process.
     *
     * @param kind      {@code worker} or {@code console}
     * @param pipeline  the pipeline whose workers run now (read at every beat: a console switches it)
     * @param ingestUrl its ingest's base URL, or empty
     */
    public static WorkerBeacon start(WorkerRegistry registry, String kind, int threads, Supplier<Pipeline> pipeline,
                                     Supplier<String> ingestUrl) {
        WorkerBeacon b = new WorkerBeacon(registry, kind, threads, pipeline, ingestUrl);
        b.beatOnce(); // listed from the first moment, not one interval later
        b.thread.start();
        return b;
    }

    /** This process's worker id in the registry and in its lease holders' names. */
    public String id() {
        return id;
    }

    private void run() {
        long interval = registry.beatInterval().toMillis();
        while (!stopped) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            if (!stopped) {
                beatOnce();
            }
        }
    }

    void beatOnce() {
        try {
            registry.beat(info());
        } catch (RuntimeException e) {
            failures.log("could not write this process's heartbeat; it will show as gone until Redis answers", e);
        }
    }

    private WorkerInfo info() {
        Pipeline p = pipeline.get();
        long handled = p == null ? 0 : p.counters().snapshot().handled();
        int held = p instanceof LockstepPipeline l ? l.workers().watchdog().held().size() : 0;
        long now = System.nanoTime();
        double eps = 0;
        if (lastAtNanos != 0 && now > lastAtNanos && handled >= lastHandled) {
            eps = (handled - lastHandled) * 1e9 / (now - lastAtNanos);
        }
        lastHandled = handled;
        lastAtNanos = now;
        int colon = id.lastIndexOf(':');
        String host = colon < 0 ? id : id.substring(0, colon);
        String url = ingestUrl.get();
        return new WorkerInfo(id, kind, host, ProcessHandle.current().pid(), VERSION,
                p == null ? "" : p.mode().id(), threads, held, handled, Math.round(eps * 10) / 10.0,
                url == null ? "" : url, startedAt, System.currentTimeMillis());
    }

    /** Stops beating and leaves the registry (a graceful stop is visible at once). */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            registry.leave(id);
        } catch (RuntimeException e) {
            log.debug("could not leave the worker registry; the heartbeat will lapse", e);
        }
    }
}
