package dev.lockstep.runtime;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.audit.Auditor;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.FireStats;
import dev.lockstep.burst.Firer;
import dev.lockstep.logging.LogLimiter;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.store.OrderStore;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One burst run end to end, as the CLI and the console run it: generate the plan, reset and seed the
 * store, start the pipeline, fire, wait for the drain, audit. The caller owns (and closes) the
 * pipeline and the store.
 */
public final class BurstRun {
    private static final Logger log = LoggerFactory.getLogger(BurstRun.class);
    /** How often the drain wait reports progress. */
    private static final Duration DRAIN_POLL = Duration.ofMillis(200);
    private static final LogLimiter drainFailures = new LogLimiter(log, Duration.ofSeconds(10));

    private BurstRun() {
    }

    /**
     * The steps of a run, in order, ending in one of the three last ones. The one definition of a
     * run's phases: the console and the CLI show these names.
     */
    public enum Phase {
        /** Generating the plan, resetting and seeding the store, starting the pipeline. */
        PREPARING("Preparing"),
        /** Firing: done = deliveries answered, total = deliveries. */
        FIRING("Firing"),
        /** Waiting for the pipeline: done = accepted events handled, total = accepted (waiting = total − done). */
        DRAINING("Draining"),
        /** Comparing the store with the ground truth. */
        AUDITING("Auditing"),
        /** Finished and audited: done = handled, total = accepted. */
        DONE("Done"),
        /** Interrupted (an operator's Stop): nothing was audited. */
        STOPPED("Stopped"),
        /** Ended by an error: nothing was audited. */
        FAILED("Failed");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        /** The phase's name for people ("Draining"). */
        public String label() {
            return label;
        }

        /** Whether the run has ended in this phase. */
        public boolean terminal() {
            return this == DONE || this == STOPPED || this == FAILED;
        }
    }

    /** Told how a run progresses; may be called from many threads (firing is concurrent). */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(Phase phase, long done, long total);

        ProgressListener NONE = (phase, done, total) -> { };
    }

    /**
     * Runs a generated plan (the console runs each mode on the same plan). If the drain
     * times out the run is still audited: what did not finish shows as never applied, and the report
     * says {@code drained: false}.
     */
    public static AuditReport run(BurstPlan plan, Pipeline pipeline, OrderStore store, Firer firer, int inFlight,
                                  Duration drainTimeout, ProgressListener progress) throws InterruptedException {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(firer, "firer");
        Objects.requireNonNull(progress, "progress");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative, was " + drainTimeout);
        }
        try {
            return runPhases(plan, pipeline, store, firer, inFlight, drainTimeout, progress);
        } catch (InterruptedException e) {
            progress.progress(Phase.STOPPED, 0, 0);
            throw e;
        } catch (RuntimeException | Error e) {
            progress.progress(Phase.FAILED, 0, 0);
            throw e;
        }
    }

    private static AuditReport runPhases(BurstPlan plan, Pipeline pipeline, OrderStore store, Firer firer,
                                         int inFlight, Duration drainTimeout, ProgressListener progress)
            throws InterruptedException {
        progress.progress(Phase.PREPARING, 0, 0);
        store.reset();
        store.seedStock(plan.initialStock());
        pipeline.start();
        // The pipeline's counters run since its creation; this run's are the difference.
        RunCounters.Snapshot before = pipeline.counters().snapshot();

        log.info("firing {} deliveries of {} orders into {} with {} in flight", plan.deliveries().size(),
                plan.orders(), pipeline.mode().id(), inFlight);
        long started = System.nanoTime();
        FireStats fire = firer.fire(plan.deliveries(), inFlight,
                (done, total) -> progress.progress(Phase.FIRING, done, total));
        long accepted = fire.sent() - fire.duplicates() - fire.rejected();
        long fired = System.nanoTime();
        boolean drained = awaitDrained(pipeline, before, accepted, drainTimeout, progress);
        long finished = System.nanoTime();
        double seconds = (finished - started) / 1e9;
        if (!drained) {
            log.warn("{} did not drain within {}; auditing what was handled", pipeline.mode().id(), drainTimeout);
        } else {
            // how far the workers trail the ingest: the backlog left when the last delivery was answered
            log.info(String.format(java.util.Locale.ROOT, "%s: firing took %.1f s; drained %.1f s after the last delivery",
                    pipeline.mode().id(), (fired - started) / 1e9, (finished - fired) / 1e9));
        }

        progress.progress(Phase.AUDITING, 0, 0);
        RunCounters.Snapshot counters = minus(pipeline.counters().snapshot(), before);
        AuditReport report = Auditor.audit(pipeline.mode(), plan, fire, counters, store, seconds, drained);
        log.info("{} run audited: integrity {}", pipeline.mode().id(), report.integrity());
        progress.progress(Phase.DONE, report.handled(), report.accepted());
        return report;
    }

    private static boolean awaitDrained(Pipeline pipeline, RunCounters.Snapshot before, long accepted,
                                        Duration timeout, ProgressListener progress) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Duration slice = Duration.ofNanos(Math.max(0, Math.min(left, DRAIN_POLL.toNanos())));
            boolean drained;
            try {
                drained = pipeline.awaitDrained(slice);
            } catch (RuntimeException e) {
                // Redis (or MongoDB) restarting: the queue cannot be read now; the run waits for it
                // within its drain timeout instead of dying (docs/RELIABILITY.md)
                drainFailures.log("cannot read the queue while waiting for the drain; still waiting", e);
                drained = false;
                Thread.sleep(slice.toMillis());
            }
            long handled = pipeline.counters().snapshot().handled() - before.handled();
            progress.progress(Phase.DRAINING, handled, accepted);
            if (drained || left <= 0) {
                return drained;
            }
        }
    }

    static RunCounters.Snapshot minus(RunCounters.Snapshot after, RunCounters.Snapshot before) {
        return new RunCounters.Snapshot(
                after.accepted() - before.accepted(),
                after.duplicatesDropped() - before.duplicatesDropped(),
                after.applied() - before.applied(),
                after.skippedStale() - before.skippedStale(),
                after.staleWritesRejected() - before.staleWritesRejected(),
                after.overlaps() - before.overlaps(),
                after.retries() - before.retries(),
                after.parked() - before.parked());
    }
}
