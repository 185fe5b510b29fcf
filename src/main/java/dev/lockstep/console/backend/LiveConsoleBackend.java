package dev.lockstep.console.backend;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.fleet.WorkerInfo;
import dev.lockstep.fleet.WorkerRegistry;
import dev.lockstep.ingest.IngestSettings;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.metrics.ProcessMetrics;
import dev.lockstep.mode.LockstepAdmin;
import dev.lockstep.mode.LockstepPipeline;
import dev.lockstep.pipeline.DedupKey;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.queue.DuplicateHit;
import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.queue.ParkedLane;
import dev.lockstep.queue.PausedLane;
import dev.lockstep.queue.QueueStats;
import dev.lockstep.priority.BackgroundPriority;
import dev.lockstep.runtime.BurstLauncher;
import dev.lockstep.runtime.BurstRun;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.runtime.PipelineMetrics;
import dev.lockstep.runtime.RunArchive;
import dev.lockstep.runtime.WorkerBeacon;
import dev.lockstep.store.RunIds;
import dev.lockstep.worker.WorkerSettings;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's backend on the real stack: a {@link LockstepRuntime} (embedded or external Redis
 * and MongoDB), the console's own lockstep workers and webhook ingest (unless attached only), the
 * operator's controls, and bursts and compares run in the background. While its workers run the
 * console is a member of the fleet like a headless worker (docs/DESIGN.md, "The fleet"): it beats
 * as kind {@code console}, and its ingest serves {@code GET /metrics} for this process
 * (docs/DESIGN.md, "Metrics").
 */
public final class LiveConsoleBackend implements ConsoleBackend {
    private static final Logger log = LoggerFactory.getLogger(LiveConsoleBackend.class);
    private static final int HOLD_WINDOW = 40; // interval histograms kept (~10 s at 4 Hz)
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(30);

    private final LockstepRuntime runtime;
    private final LockstepAdmin admin;
    private final LockstepPipeline lockstep;
    private final WebhookServer ingest;
    private final boolean workersHere;
    private final WorkerRegistry registry;
    private final WorkerBeacon beacon;
    private final String startCommand;
    private final Deque<Histogram> holdWindow = new ArrayDeque<>();
    private final List<RunResult> runs = new CopyOnWriteArrayList<>();
    private final AtomicReference<RunProgress> progress = new AtomicReference<>(RunProgress.IDLE);
    private final AtomicReference<Pipeline> current = new AtomicReference<>();
    private volatile Mode mode = Mode.LOCKSTEP;
    private volatile Thread runner;

    /**
     * @param runtime     the process's runtime
     * @param workersHere run lockstep workers and the webhook ingest in this process; false to only
     *                    watch and operate servers that headless workers elsewhere work on
     */
    public LiveConsoleBackend(LockstepRuntime runtime, boolean workersHere) {
        this(runtime, workersHere, step -> { });
    }

    /**
     * @param steps told each start-up step that may take a while (the console's start-up window)
     */
    public LiveConsoleBackend(LockstepRuntime runtime, boolean workersHere, Consumer<String> steps) {
        this.runtime = runtime;
        steps.accept("loading the kept runs");
        try {
            runtime.retainRuns();
            for (RunArchive.Run r : runtime.archive().load()) {
                runs.add(new RunResult(r.report(), r.seed(), r.finishedAt()));
            }
        } catch (RuntimeException e) {
            log.warn("the kept runs could not be loaded: {}", e.toString());
        }
        steps.accept(workersHere ? "starting the workers and the webhook ingest" : "attaching to the queue");
        this.admin = runtime.admin();
        this.workersHere = workersHere;
        this.lockstep = (LockstepPipeline) runtime.newPipeline(Mode.LOCKSTEP, PausedHolderFault.NONE);
        this.current.set(lockstep);
        this.registry = runtime.workerRegistry();
        WebhookServer server = null;
        WorkerBeacon beat = null;
        if (workersHere) {
            // one registry of metrics for this process, its lockstep pipeline bound once (compares'
            // short-lived pipelines are not: they come and go within a run)
            ProcessMetrics metrics = new ProcessMetrics(WorkerSettings.processId());
            PipelineMetrics.bind(metrics, lockstep);
            lockstep.start();
            server = startIngest(metrics);
            WebhookServer started = server;
            // the pipeline it runs now: a compare's unsafe and naive-lock runs show as that mode meanwhile
            beat = WorkerBeacon.start(registry, "console", runtime.config().workerThreads(), current::get,
                    () -> started.baseUrl().toString());
        }
        this.ingest = server;
        this.beacon = beat;
        var infra = runtime.infra();
        this.startCommand = WorkerStartCommand.of(runtime.config(), infra.redisUri(), infra.mongoUri(), workersHere);
    }

    /**
     * The console's backend on a runtime of its own, both started on a lowered thread ({@link BackgroundPriority}):
     * the workers, ingest and embedded servers they start give way to the window when they saturate the cores,
     * while the caller (which starts the EDT) keeps its priority. The runtime is closed if the backend cannot start.
     */
    public static LiveConsoleBackend startLowered(LockstepConfig config, boolean workersHere, Consumer<String> steps)
            throws Exception {
        return BackgroundPriority.callLowered("console-start", () -> {
            LockstepRuntime runtime = LockstepRuntime.start(config, steps);
            try {
                return new LiveConsoleBackend(runtime, workersHere, steps);
            } catch (RuntimeException e) {
                runtime.close();
                throw e;
            }
        });
    }

    /** The runtime this backend runs on (it closes it when it closes). */
    public LockstepRuntime runtime() {
        return runtime;
    }

    /** The configured port, or a free one when it is taken (a second console on one machine). */
    private WebhookServer startIngest(ProcessMetrics metrics) {
        IngestSettings settings = IngestSettings.from(runtime.config());
        try {
            return WebhookServer.start(settings, lockstep, BurstLauncher.healthOf(runtime), metrics);
        } catch (RuntimeException e) {
            if (hasCause(e, BindException.class) && settings.port() != 0) {
                log.warn("port {} is taken; the console's ingest listens on a free port instead", settings.port());
                return WebhookServer.start(settings.withPort(0), lockstep, BurstLauncher.healthOf(runtime), metrics);
            }
            throw e;
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public EnvironmentInfo environment() {
        var infra = runtime.infra();
        return new EnvironmentInfo(infra.redisUri(), infra.redisEmbedded(), infra.redisHealthy(), infra.mongoUri(),
                infra.mongoEmbedded(), infra.mongoHealthy(), workersHere ? runtime.config().workerThreads() : 0, mode,
                ingest == null ? "" : ingest.baseUrl() + WebhookServer.ORDERS_PATH,
                runtime.journal(mode).waitingCount(), runtime.journal(mode).droppedCount());
    }

    @Override
    public QueueStats queueStats() {
        return admin.stats();
    }

    @Override
    public RunCounters.Snapshot counters() {
        return current.get().counters().snapshot();
    }

    @Override
    public List<LeaseInfo> leases(int limit) {
        return admin.leases(limit);
    }

    @Override
    public List<ParkedLane> parked(int limit) {
        return admin.parked(limit);
    }

    @Override
    public List<PausedLane> paused(int limit) {
        return admin.paused(limit);
    }

    @Override
    public List<WorkerInfo> workers() {
        return registry.list();
    }

    @Override
    public String workerId() {
        return beacon == null ? "" : beacon.id();
    }

    @Override
    public String workerStartCommand() {
        return startCommand;
    }

    @Override
    public synchronized LeaseHoldTimes leaseHoldTimes() {
        holdWindow.addLast(lockstep.leaseHoldInterval());
        while (holdWindow.size() > HOLD_WINDOW) {
            holdWindow.removeFirst();
        }
        Histogram all = new Histogram(3);
        holdWindow.forEach(all::add);
        if (all.getTotalCount() == 0) {
            return LeaseHoldTimes.NONE;
        }
        return new LeaseHoldTimes(all.getValueAtPercentile(50), all.getValueAtPercentile(99), all.getMaxValue(),
                all.getTotalCount());
    }

    @Override
    public List<DuplicateInfo> latestDuplicates(int limit) {
        List<DuplicateInfo> out = new ArrayList<>();
        for (DuplicateHit h : runtime.laneQueue().recentDuplicates(limit)) {
            out.add(new DuplicateInfo(effectIdOf(h.dedupKey()), h.orderId(), h.firstSeen(), h.lastHit(), h.copies() + 1));
        }
        return out;
    }

    /** shop|topic|id → topic#id, the effect id the rest of the console shows; a key it cannot read as is. */
    private static String effectIdOf(String dedupKey) {
        DedupKey key;
        try {
            key = DedupKey.parse(dedupKey);
        } catch (IllegalArgumentException e) {
            return dedupKey;
        }
        return key.topic() + "#" + key.id();
    }

    @Override
    public long release(long orderId) {
        return admin.release(orderId);
    }

    @Override
    public long pause(long orderId) {
        return admin.pause(orderId);
    }

    @Override
    public boolean resume(long orderId) {
        return admin.resume(orderId);
    }

    @Override
    public boolean retryHead(long orderId) {
        return admin.retryHead(orderId);
    }

    @Override
    public boolean skipHead(long orderId) {
        return admin.skipHead(orderId);
    }

    @Override
    public OrderTimeline timeline(Mode m, long orderId, String runId) {
        runtime.journal(m).flush();
        return OrderTimeline.of(m, orderId, runtime.journal(m).forOrder(orderId), runtime.store(m).order(orderId),
                runId);
    }

    @Override
    public void startBurst(BurstRequest request) {
        start(request, List.of(request.mode()));
    }

    @Override
    public void startCompare(BurstRequest request) {
        start(request, List.of(Mode.UNSAFE, Mode.NAIVE_LOCK, Mode.LOCKSTEP));
    }

    private synchronized void start(BurstRequest request, List<Mode> modes) {
        if (runner != null && runner.isAlive()) {
            throw new IllegalStateException("a burst is already running");
        }
        BurstPlan plan = BurstPlan.generate(toSpec(request));
        BurstLauncher.Options options = new BurstLauncher.Options(request.transport() == Transport.HTTP,
                request.inFlight(), request.pausedHolderFault() ? 0.02 : 0, DRAIN_TIMEOUT);
        progress.set(new RunProgress(true, BurstRun.Phase.PREPARING, modes.get(0), 0, 0, 1, modes.size(), ""));
        // it is started from the EDT's side (an action thread): lowered, so the burst gives way to the window
        Thread t = BackgroundPriority.newThread(() -> runAll(plan, options, modes), "console-burst");
        t.setDaemon(true);
        runner = t;
        t.start();
    }

    /** The one place a console burst request becomes the generator's spec. */
    static BurstSpec toSpec(BurstRequest r) {
        return BurstSpec.of(r.orders(), r.duplicateRate(), r.reorderRate(), r.seed()).withEventsPerOrder(r.eventsPerOrder());
    }

    private void runAll(BurstPlan plan, BurstLauncher.Options options, List<Mode> modes) {
        int step = 0;
        // a compare: one run id per mode's run, each tagged with the compare's id (docs/DESIGN.md, "Runs and the journal")
        String compareId = modes.size() > 1 ? RunIds.nextCompare() : "";
        try {
            for (Mode m : modes) {
                step++;
                int s = step;
                boolean last = s == modes.size();
                mode = m;
                // the runtime's phases as they come, but DONE only once the run's result is in runs(),
                // so a view showing "Done" finds the run it sums up
                BurstRun.ProgressListener listener = (phase, done, total) -> {
                    if (phase != BurstRun.Phase.DONE) {
                        progress.set(new RunProgress(!phase.terminal(), phase, m, done, total, s, modes.size(), ""));
                    }
                };
                AuditReport report;
                if (m == Mode.LOCKSTEP && workersHere) {
                    current.set(lockstep);
                    lockstep.useFault(BurstLauncher.faultFor(plan, options));
                    try {
                        report = BurstLauncher.run(runtime, new BurstLauncher.Target.Running(lockstep), plan, options,
                                listener, RunIds.next(), compareId);
                    } finally {
                        lockstep.useFault(PausedHolderFault.NONE);
                    }
                } else {
                    try (Pipeline p = runtime.newPipeline(m, BurstLauncher.faultFor(plan, options))) {
                        current.set(p);
                        report = BurstLauncher.run(runtime, new BurstLauncher.Target.Running(p), plan, options,
                                listener, RunIds.next(), compareId);
                    } finally {
                        current.set(lockstep);
                    }
                }
                runs.add(new RunResult(report, plan.spec().seed(), System.currentTimeMillis()));
                while (runs.size() > runtime.config().runsRetain()) {
                    runs.remove(0); // as the archive keeps them
                }
                progress.set(new RunProgress(!last, BurstRun.Phase.DONE, m, report.handled(), report.accepted(), s,
                        modes.size(), ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.set(new RunProgress(false, BurstRun.Phase.STOPPED, mode, 0, 0, step, modes.size(),
                    "stopped by the operator"));
        } catch (RuntimeException e) {
            log.warn("console burst failed", e);
            progress.set(new RunProgress(false, BurstRun.Phase.FAILED, mode, 0, 0, step, modes.size(),
                    String.valueOf(e.getMessage())));
        } finally {
            current.set(lockstep);
        }
    }

    @Override
    public void stopRun() {
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public RunProgress runProgress() {
        return progress.get();
    }

    @Override
    public List<RunResult> runs() {
        return List.copyOf(runs);
    }

    @Override
    public synchronized void clearRuns() {
        if (runner != null && runner.isAlive()) {
            throw new IllegalStateException("a burst is running; clear the runs when it has finished");
        }
        runtime.clearRuns();
        runs.clear();
    }

    @Override
    public void close() {
        stopRun();
        Thread t = runner;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (beacon != null) {
            beacon.close(); // gone from every Workers view at once, not after its heartbeat lapses
        }
        if (ingest != null) {
            ingest.close();
        }
        lockstep.close();
        runtime.close();
    }
}
