package dev.lockstep.cli;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.ingest.IngestSettings;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.metrics.ProcessMetrics;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.runtime.BurstLauncher;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.runtime.PipelineMetrics;
import dev.lockstep.runtime.WorkerBeacon;
import dev.lockstep.worker.WorkerSettings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Headless: the webhook ingest and the worker pool without a window. Several of these (on one or
 * many machines) can share one Redis or Redis Cluster and one MongoDB. Ctrl-C (SIGTERM) stops
 * gracefully: stop accepting, stop claiming, finish or hand back leased lanes, exit.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run the webhook ingest and the queue worker headless (no window).")
public final class WorkerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

    @Mixin
    ConfigOptions config;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "lockstep", converter = ModeConverter.class,
            description = "unsafe, naive-lock or lockstep (default ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--no-ingest", description = "Only work the queue; do not serve webhooks (for extra worker processes).")
    boolean noIngest;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Also serve GET /health and GET /metrics (Prometheus) on this port (0 = a free port);"
                    + " for --no-ingest workers, whose ingest port serves none.")
    Integer metricsPort;

    @Override
    public Integer call() throws Exception {
        LockstepConfig cfg = config.load();
        Mode m = mode;
        if (!noIngest) {
            // before anything starts: a refused ingest leaves nothing running behind it
            WebhookServer.refuseWellKnownSecretOffLoopback(IngestSettings.from(cfg));
        }
        // the ingest first: while the runtime waits for its servers, /health answers 503 saying what
        // it waits for and webhooks 503 (the provider retries), instead of the port refusing connections
        if (metricsPort != null) {
            Flags.within("--metrics-port", metricsPort, 0, 65535);
        }
        StartingIngest starting = new StartingIngest(m);
        ProcessMetrics metrics = new ProcessMetrics(WorkerSettings.processId());
        WebhookServer server = noIngest ? null
                : WebhookServer.start(IngestSettings.from(cfg), starting, starting, metrics);
        WebhookServer status = metricsPort == null ? null
                : WebhookServer.startStatusOnly(IngestSettings.from(cfg).withPort(metricsPort), starting, metrics);
        AtomicReference<LockstepRuntime> runtimeRef = new AtomicReference<>();
        AtomicReference<Pipeline> pipelineRef = new AtomicReference<>();
        AtomicReference<WorkerBeacon> beaconRef = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: no new webhooks, no new claims; finishing leased lanes");
            try {
                if (beaconRef.get() != null) {
                    beaconRef.get().close(); // gone from the Workers view at once, not after its heartbeat lapses
                }
                if (server != null) {
                    server.close();
                }
                if (status != null) {
                    status.close();
                }
                if (pipelineRef.get() != null) {
                    pipelineRef.get().close();
                }
                if (runtimeRef.get() != null) {
                    runtimeRef.get().close();
                }
            } finally {
                stopped.countDown();
            }
        }, "lockstep-shutdown"));
        if (server != null) {
            System.out.println("Webhooks: POST " + BurstLauncher.describe(server.baseUrl()) + "   health: GET "
                    + server.baseUrl() + WebhookServer.HEALTH_PATH + " (503 until Redis and MongoDB answer)");
            System.out.flush();
        }
        if (status != null) {
            System.out.println("Health: GET " + status.baseUrl() + WebhookServer.HEALTH_PATH + "   metrics: GET "
                    + status.baseUrl() + WebhookServer.METRICS_PATH);
            System.out.flush();
        }
        LockstepRuntime runtime;
        Pipeline pipeline;
        try {
            runtime = LockstepRuntime.start(cfg, starting);
            runtimeRef.set(runtime);
            runtime.infra().leaveShutdownToOwner(); // the hook above stops the servers after the lanes are handed back
            pipeline = runtime.newPipeline(m, PausedHolderFault.NONE);
            pipelineRef.set(pipeline);
            PipelineMetrics.bind(metrics, pipeline);
            pipeline.start();
            Pipeline started = pipeline;
            beaconRef.set(WorkerBeacon.start(runtime.workerRegistry(), "worker", cfg.workerThreads(), () -> started,
                    () -> server == null ? "" : server.baseUrl().toString()));
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (status != null) {
                status.close();
            }
            throw e;
        }
        starting.ready(pipeline, BurstLauncher.healthOf(runtime));
        System.out.printf("Lockstep worker (%s mode): %d threads, Redis %s%s, MongoDB %s%s%n", m.id(),
                cfg.workerThreads(), runtime.infra().redisUri(), runtime.infra().redisEmbedded() ? " (embedded)" : "",
                runtime.infra().mongoUri(), runtime.infra().mongoEmbedded() ? " (embedded)" : "");
        System.out.println("Ctrl-C stops gracefully.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
