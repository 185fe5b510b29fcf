package dev.lockstep.app;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstRun;
import dev.lockstep.burst.DirectFirer;
import dev.lockstep.burst.Firer;
import dev.lockstep.burst.HttpFirer;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.ingest.HealthProbe;
import dev.lockstep.ingest.IngestSettings;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.mode.Mode;
import dev.lockstep.mode.Pipeline;
import java.net.URI;
import java.time.Duration;

/**
 * Runs one burst of a plan through one mode, the way the CLI and the console do: a clean queue,
 * the mode's pipeline, an HTTP ingest on a free loopback port (or the pipeline directly), fire,
 * drain, audit.
 */
public final class BurstLauncher {
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

    public static AuditReport run(LockstepRuntime runtime, Mode mode, BurstPlan plan, Options options,
                                  BurstRun.ProgressListener progress) throws InterruptedException {
        runtime.purgeQueue(mode);
        try (Pipeline pipeline = runtime.newPipeline(mode, faultFor(plan, options))) {
            return fire(runtime, pipeline, plan, options, progress);
        }
    }

    /**
     * Runs a plan through a pipeline that stays up afterwards (the console's own lockstep workers,
     * so its live views and the audit count the same work). The pipeline's queue is emptied first.
     */
    public static AuditReport runOn(LockstepRuntime runtime, Pipeline pipeline, BurstPlan plan, Options options,
                                    BurstRun.ProgressListener progress) throws InterruptedException {
        runtime.purgeQueue(pipeline.mode());
        return fire(runtime, pipeline, plan, options, progress);
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
            Firer firer = new HttpFirer(server.baseUrl(), runtime.config().hmacSecret());
            return BurstRun.run(plan, pipeline, runtime.store(pipeline.mode()), firer, options.inFlight(),
                    options.drainTimeout(), progress);
        }
    }

    /**
     * Fires a plan at an ingest running elsewhere (headless workers sharing this runtime's Redis
     * and MongoDB) and audits through them. The lockstep queue and database are reset first.
     */
    public static AuditReport runAgainst(LockstepRuntime runtime, URI target, BurstPlan plan, Options options,
                                         BurstRun.ProgressListener progress) throws InterruptedException {
        runtime.purgeQueue(Mode.LOCKSTEP);
        ObservedPipeline remote = new ObservedPipeline(runtime.laneQueue(), runtime.store(Mode.LOCKSTEP));
        return BurstRun.run(plan, remote, runtime.store(Mode.LOCKSTEP),
                new HttpFirer(target, runtime.config().hmacSecret()), options.inFlight(), options.drainTimeout(),
                progress);
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
