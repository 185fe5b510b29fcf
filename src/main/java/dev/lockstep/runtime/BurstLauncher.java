package dev.lockstep.runtime;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.DirectFirer;
import dev.lockstep.burst.Firer;
import dev.lockstep.burst.HttpFirer;
import dev.lockstep.burst.RetryPolicy;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.ingest.HealthProbe;
import dev.lockstep.ingest.IngestSettings;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.RunIds;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one burst of a plan through one mode, the way the CLI and the console do: a clean queue,
 * the mode's pipeline, an HTTP ingest on a free loopback port (or the pipeline directly), fire,
 * drain, audit.
 */
public final class BurstLauncher {
    private static final Logger log = LoggerFactory.getLogger(BurstLauncher.class);
    /** Cap on paused holders per run: each pause lasts a lock TTL, so a few make the point. */
    static final int MAX_PAUSES = 6;

    private BurstLauncher() {
    }

    /**
     * @param overHttp     fire signed webhooks over HTTP (else straight into the pipeline)
     * @param inFlight     deliveries in flight at once
     * @param pauseRate    paused-holder fault rate (0 = off)
     * @param drainTimeout longest wait for the drain
     */
    public record Options(boolean overHttp, int inFlight, double pauseRate, Duration drainTimeout) {
    }

    /** Where a burst goes. */
    public sealed interface Target {
        /** A new pipeline of {@code mode}, closed after the run. */
        record NewPipeline(Mode mode) implements Target {
        }

        /**
         * A pipeline that stays up afterwards (the console's own lockstep workers, so its live views
         * and the audit count the same work).
         */
        record Running(Pipeline pipeline) implements Target {
        }

        /**
         * An ingest running elsewhere (headless workers sharing this runtime's Redis and MongoDB),
         * audited through the shared servers. Always the lockstep mode.
         */
        record Remote(URI ingest) implements Target {
        }
    }

    /**
     * Runs one plan as a new run (a burst, not part of a compare): the target mode's queue is
     * emptied, the plan fired, the drain awaited and the store audited.
     */
    public static AuditReport run(LockstepRuntime runtime, Target target, BurstPlan plan, Options options,
                                  BurstRun.ProgressListener progress) throws InterruptedException {
        return run(runtime, target, plan, options, progress, RunIds.next(), "");
    }

    /**
     * Runs one plan as run {@code runId} (docs/DESIGN.md, "Runs and the journal"): the mode's journal
     * records its entries under the run id while it runs, the report carries the run id, the compare
     * id ({@code compareId}, empty for a burst) and the journal entries dropped meanwhile, and is kept
     * in the {@link RunArchive}; then runs past {@code runs.retain} are pruned.
     */
    public static AuditReport run(LockstepRuntime runtime, Target target, BurstPlan plan, Options options,
                                  BurstRun.ProgressListener progress, String runId, String compareId)
            throws InterruptedException {
        Mode mode = target instanceof Target.NewPipeline t ? t.mode()
                : target instanceof Target.Running t ? t.pipeline().mode() : Mode.LOCKSTEP;
        EventJournal journal = runtime.journal(mode);
        long droppedBefore = journal.droppedCount();
        journal.useRun(runId);
        AuditReport report;
        try {
            report = runUntagged(runtime, target, plan, options, progress);
        } finally {
            journal.useRun(null);
        }
        report = report.withRun(runId, compareId, journal.droppedCount() - droppedBefore);
        try {
            runtime.archive().save(new RunArchive.Run(report, plan.spec().seed(), System.currentTimeMillis()));
            runtime.retainRuns();
        } catch (RuntimeException e) {
            log.warn("run {} was audited but could not be kept or older runs pruned: {}", runId, e.toString());
        }
        return report;
    }

    private static AuditReport runUntagged(LockstepRuntime runtime, Target target, BurstPlan plan, Options options,
                                           BurstRun.ProgressListener progress) throws InterruptedException {
        if (target instanceof Target.NewPipeline t) {
            runtime.purgeQueue(t.mode());
            try (Pipeline pipeline = runtime.newPipeline(t.mode(), faultFor(plan, options))) {
                return fire(runtime, pipeline, plan, options, progress);
            }
        }
        if (target instanceof Target.Running t) {
            runtime.purgeQueue(t.pipeline().mode());
            return fire(runtime, t.pipeline(), plan, options, progress);
        }
        URI ingest = ((Target.Remote) target).ingest();
        runtime.purgeQueue(Mode.LOCKSTEP);
        ObservedPipeline remote = new ObservedPipeline(runtime.laneQueue(), runtime.store(Mode.LOCKSTEP));
        return BurstRun.run(plan, remote, runtime.store(Mode.LOCKSTEP),
                new HttpFirer(ingest, runtime.config().hmacSecret(), retryPolicy(runtime)), options.inFlight(), options.drainTimeout(),
                progress);
    }

    /** The paused-holder fault a run asks for, seeded by the plan so a run is repeatable. */
    public static PausedHolderFault faultFor(BurstPlan plan, Options options) {
        return options.pauseRate() > 0
                ? new PausedHolderFault(options.pauseRate(), plan.spec().seed(), MAX_PAUSES)
                : PausedHolderFault.NONE;
    }

    private static AuditReport fire(LockstepRuntime runtime, Pipeline pipeline, BurstPlan plan, Options options,
                                    BurstRun.ProgressListener progress) throws InterruptedException {
        if (!options.overHttp()) {
            return BurstRun.run(plan, pipeline, runtime.store(pipeline.mode()), new DirectFirer(pipeline),
                    options.inFlight(), options.drainTimeout(), progress);
        }
        IngestSettings settings = IngestSettings.from(runtime.config()).withPort(0)
                .withWorkerThreads(Math.max(IngestSettings.DEFAULT_WORKER_THREADS, options.inFlight()));
        try (WebhookServer server = WebhookServer.start(settings, pipeline, healthOf(runtime))) {
            Firer firer = new HttpFirer(server.baseUrl(), runtime.config().hmacSecret(), retryPolicy(runtime));
            return BurstRun.run(plan, pipeline, runtime.store(pipeline.mode()), firer, options.inFlight(),
                    options.drainTimeout(), progress);
        }
    }

    /** The injector's retries, from {@code burst.retry.*}. */
    public static RetryPolicy retryPolicy(LockstepRuntime runtime) {
        var c = runtime.config();
        return new RetryPolicy(c.burstRetries(), c.burstRetryBase(), c.burstRetryCap());
    }

    /** The webhook endpoint's health answers, from the runtime's infrastructure. */
    public static HealthProbe healthOf(LockstepRuntime runtime) {
        return new HealthProbe() {
            @Override
            public boolean redisUp() {
                return runtime.infra().redisHealthy();
            }

            @Override
            public boolean mongoUp() {
                return runtime.infra().mongoHealthy();
            }
        };
    }

    /** The base URL of an ingest, for messages. */
    public static String describe(URI baseUrl) {
        return baseUrl + WebhookServer.ORDERS_PATH;
    }
}
