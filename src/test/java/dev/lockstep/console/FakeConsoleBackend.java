package dev.lockstep.console;

import dev.lockstep.audit.Anomalies;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.DuplicateInfo;
import dev.lockstep.console.backend.EnvironmentInfo;
import dev.lockstep.console.backend.LeaseHoldTimes;
import dev.lockstep.console.backend.OrderTimeline;
import dev.lockstep.console.backend.RunProgress;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.fleet.WorkerInfo;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.queue.ParkedLane;
import dev.lockstep.queue.PausedLane;
import dev.lockstep.queue.QueueStats;
import dev.lockstep.runtime.BurstRun;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.StoredOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory simulation of the console's backend, for developing, testing and screenshotting the
 * console before (and besides) the real stack: a burst moves the counters, workers hold leases,
 * one lock is stuck (order {@value #STUCK_ORDER}, a paused holder), one lane is parked (order
 * {@value #PARKED_ORDER}), and order journals show overlapping handlers in {@code unsafe} and
 * {@code seed}. A release of the stuck lock makes the paused holder's late write show up rejected.
 */
public final class FakeConsoleBackend implements ConsoleBackend {
    public static final long STUCK_ORDER = 4242;
    public static final long STUCK_TOKEN = 7;
    public static final String STUCK_HOLDER = "worker-2/t3";
    public static final long PARKED_ORDER = 777;
    /** The fleet: this console's own process (its holders {@code worker-1/t<n>}) and the stuck holder's. */
    public static final String SELF_PROCESS = "worker-1";
    public static final String STUCK_PROCESS = "worker-2";
    public static final String START_COMMAND = "java -jar target/lockstep.jar worker --no-ingest"
            + " --redis-uri redis://lockstep:***@127.0.0.1:6379 --mongo-uri mongodb://127.0.0.1:27017";
    /** An order of two runs (bursts reuse order ids): all four events in the older, two in the latest. */
    public static final long TWO_RUN_ORDER = 1000025;
    public static final String OLDER_RUN = "r-20260101-090000-1";
    public static final String LATEST_RUN = "r-20260101-093000-2";
    /** Worker threads simulated; {@code -Dfake.workers=500} makes the lock table heavy (EDT stall checks). */
    private static final int WORKERS = Integer.getInteger("fake.workers", 8);
    private static final long TICK_MILLIS = 50;

    private final double deliveriesPerSecond;
    private final ScheduledExecutorService sim;
    private final Random random = new Random(7);
    private final long createdAt = System.currentTimeMillis();
    private final Deque<DuplicateInfo> duplicates = new ArrayDeque<>();
    private final List<RunResult> runs = new ArrayList<>();

    // the current run
    private Mode mode = Mode.LOCKSTEP;
    private List<Mode> plan = List.of();
    private int step;
    private BurstRequest request;
    private String compareId = "";
    private boolean running;
    private boolean stopRequested;
    private BurstRun.Phase phase;
    private double acceptedAtStepStart;
    private double handledAtStepStart;
    private long runStartedAt;
    private double toFire;
    private double fired;
    private double backlog;
    private long runSentStart;
    private long runDupStart;
    private long runAppliedStart;

    // cumulative counters
    private double accepted;
    private double duplicatesDropped;
    private double applied;
    private double skippedStale;
    private long staleWritesRejected;
    private double overlaps;
    private long enqueued;
    private long completed;
    private long released;
    private double sent;
    private List<LeaseInfo> workerLeases = List.of();
    private LeaseHoldTimes holdTimes = LeaseHoldTimes.NONE;

    // the stuck lock and the parked lane
    private boolean stuckHeld = true;
    private long stuckReleasedAt;
    /** When the stuck lock's lease was made to lapse (0: it is renewed); the reaper recovers it shortly after. */
    private long stuckLapsedAt;
    private final java.util.Map<Long, PausedLane> pausedLanes = new java.util.LinkedHashMap<>();
    private boolean parkedLane = true;
    private volatile boolean failing;
    /** The processes in the simulated registry, by id; the kind of each. */
    private final java.util.Map<String, String> processes = new java.util.TreeMap<>(java.util.Map.of(
            SELF_PROCESS, "console", STUCK_PROCESS, "worker"));

    public FakeConsoleBackend() {
        this(6_000);
    }

    /** @param deliveriesPerSecond how fast a simulated burst fires */
    public FakeConsoleBackend(double deliveriesPerSecond) {
        this.deliveriesPerSecond = deliveriesPerSecond;
        sim = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-backend-sim");
            t.setDaemon(true);
            return t;
        });
        sim.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Removes every process from the simulated registry (the Workers view's empty state). */
    public synchronized void clearWorkers() {
        processes.clear();
    }

    /** Makes every read fail, as an unreachable server would. */
    public void setFailing(boolean fail) {
        failing = fail;
    }

    private volatile long journalWaiting;
    private volatile long journalDropped;

    /** The journal's buffer as an outage would leave it. */
    public void setJournal(long waiting, long dropped) {
        journalWaiting = waiting;
        journalDropped = dropped;
    }

    private void checkReachable() {
        if (failing) {
            throw new IllegalStateException("Connection refused: 127.0.0.1:6379");
        }
    }

    /**
     * Makes the stuck lock's lease lapse now, as a paused holder's would; the simulated reaper
     * recovers the lane {@value #REAPER_DELAY_MILLIS} ms later (the lock then disappears).
     */
    public synchronized void lapseStuckLease() {
        stuckLapsedAt = System.currentTimeMillis();
    }

    static final long REAPER_DELAY_MILLIS = 1_000;

    private synchronized void tick() {
        double dt = TICK_MILLIS / 1000.0;
        long now = System.currentTimeMillis();
        if (stuckHeld && stuckLapsedAt > 0 && now - stuckLapsedAt >= REAPER_DELAY_MILLIS) {
            stuckHeld = false; // the reaper revoked it: nothing left to release
        }
        if (running) {
            double dupShare = request.duplicateRate() / (1 + request.duplicateRate());
            double fire = stopRequested ? 0 : Math.min(toFire - fired, deliveriesPerSecond * dt);
            fired += fire;
            sent += fire;
            double dups = fire * dupShare;
            duplicatesDropped += dups;
            accepted += fire - dups;
            backlog += fire - dups;
            enqueued += Math.round(fire - dups);
            double process = Math.min(backlog, deliveriesPerSecond * 0.85 * dt * (0.8 + random.nextDouble() * 0.4));
            backlog -= process;
            completed += Math.round(process);
            applied += process * 0.93;
            skippedStale += process * 0.07;
            if (mode != Mode.LOCKSTEP) {
                overlaps += process * (mode == Mode.UNSAFE ? 0.03 : 0.012);
            }
            for (int i = 0; i < 3 && dups > 0; i++) {
                long order = 1000 + random.nextInt(request.orders());
                String effect = Topic.values()[random.nextInt(4)].wire() + "#evt-" + order + "-" + random.nextInt(4);
                duplicates.addFirst(new DuplicateInfo(effect, order, now - 20 - random.nextInt(400), now,
                        2 + (random.nextInt(10) == 0 ? 1 : 0)));
            }
            while (duplicates.size() > 100) {
                duplicates.removeLast();
            }
            List<LeaseInfo> leases = new ArrayList<>();
            int busy = backlog > 0 ? WORKERS : (int) Math.min(WORKERS, Math.ceil(process));
            for (int w = 0; w < busy; w++) {
                long since = now - random.nextInt(40);
                leases.add(new LeaseInfo(1000 + random.nextInt(request.orders()), "worker-1/t" + (w + 1),
                        1 + random.nextInt(6), since, since + 10_000, 10_000));
            }
            workerLeases = leases;
            holdTimes = new LeaseHoldTimes(3 + random.nextDouble() * 2, 18 + random.nextDouble() * 14,
                    60 + random.nextDouble() * 30, completed);
            phase = fired < toFire && !stopRequested ? BurstRun.Phase.FIRING : BurstRun.Phase.DRAINING;
            if ((fired >= toFire || stopRequested) && backlog < 1) {
                finishStep(now);
            }
        }
    }

    private static final class Format {
        static String count(long n) {
            return String.format(java.util.Locale.ROOT, "%,d", n);
        }
    }

    private void finishStep(long now) {
        backlog = 0;
        workerLeases = List.of();
        runs.add(result(now));
        if (!stopRequested && step < plan.size()) {
            beginStep(now);
        } else {
            running = false;
            phase = stopRequested ? BurstRun.Phase.STOPPED : BurstRun.Phase.DONE;
        }
    }

    private RunResult result(long now) {
        int orders = request.orders();
        long sentRun = Math.round(sent) - runSentStart;
        long dups = Math.round(duplicatesDropped) - runDupStart;
        long acc = sentRun - dups;
        long app = Math.round(applied) - runAppliedStart;
        double seconds = Math.max(0.001, (now - runStartedAt) / 1000.0);
        Random r = new Random(request.seed() * 31 + mode.ordinal());
        Anomalies a = switch (mode) {
            case UNSAFE -> new Anomalies(orders * 3 / 100 + r.nextInt(5), orders / 5 + r.nextInt(20),
                    orders / 20 + r.nextInt(5), dups * 2 / 5, 2 + r.nextInt(3), orders / 25 + r.nextInt(5),
                    orders * 6 / 100 + r.nextInt(9));
            case NAIVE_LOCK -> new Anomalies(0, orders / 40 + r.nextInt(5), orders / 30 + r.nextInt(5), dups / 9,
                    r.nextInt(3), orders / 60 + r.nextInt(3), orders / 50 + r.nextInt(4));
            case LOCKSTEP -> Anomalies.NONE;
        };
        long handled = mode == Mode.LOCKSTEP ? acc : acc - a.neverApplied();
        AuditReport report = new AuditReport(mode, orders, sentRun, acc, dups, 0, handled,
                Math.min(app, handled), Math.max(0, handled - app), mode == Mode.LOCKSTEP && request.pausedHolderFault()
                ? 1 : 0, seconds, sentRun / seconds,
                new AuditReport.AckLatency(mode == Mode.UNSAFE ? 9.5 : 1.8,
                        mode == Mode.UNSAFE ? 85 : mode == Mode.NAIVE_LOCK ? 24 : 12.5, mode == Mode.UNSAFE ? 240 : 61),
                a, true);
        return new RunResult(report.withRun(dev.lockstep.store.RunIds.next(), compareId, 0), request.seed(), now);
    }

    private void beginStep(long now) {
        mode = plan.get(step++);
        runStartedAt = now;
        toFire = request.events() * (1 + request.duplicateRate());
        fired = 0;
        backlog = 0;
        runSentStart = Math.round(sent);
        runDupStart = Math.round(duplicatesDropped);
        runAppliedStart = Math.round(applied);
        phase = BurstRun.Phase.FIRING;
        acceptedAtStepStart = accepted;
        handledAtStepStart = applied + skippedStale;
    }

    private synchronized void begin(BurstRequest r, List<Mode> modes) {
        if (running) {
            throw new IllegalStateException("a " + (plan.size() > 1 ? "compare" : "burst") + " is already running");
        }
        compareId = modes.size() > 1 ? dev.lockstep.store.RunIds.nextCompare() : "";
        request = r;
        plan = modes;
        step = 0;
        running = true;
        stopRequested = false;
        beginStep(System.currentTimeMillis());
    }

    @Override
    public synchronized EnvironmentInfo environment() {
        checkReachable();
        return new EnvironmentInfo("redis://127.0.0.1:6379", true, true, "mongodb://127.0.0.1:27017", true, true,
                WORKERS, mode, "http://127.0.0.1:8088/webhooks/orders", journalWaiting, journalDropped);
    }

    @Override
    public synchronized QueueStats queueStats() {
        checkReachable();
        long waiting = Math.round(backlog) + (stuckHeld ? 3 : 0) + (parkedLane ? 3 : 0);
        long leased = workerLeases.size() + (stuckHeld ? 1 : 0);
        return new QueueStats(waiting, running ? Math.min(400, Math.round(backlog / 4)) : 0, leased, 0,
                parkedLane ? 1 : 0, enqueued, completed, Math.round(duplicatesDropped), 0, 0, released);
    }

    @Override
    public synchronized RunCounters.Snapshot counters() {
        checkReachable();
        return new RunCounters.Snapshot(Math.round(accepted), Math.round(duplicatesDropped), Math.round(applied),
                Math.round(skippedStale), staleWritesRejected, Math.round(overlaps), 0, parkedLane ? 1 : 0);
    }

    @Override
    public synchronized List<LeaseInfo> leases(int limit) {
        checkReachable();
        List<LeaseInfo> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        if (stuckHeld) {
            long deadline = stuckLapsedAt > 0 ? stuckLapsedAt : now + 6_000 - (now - createdAt) % 3_000;
            out.add(new LeaseInfo(STUCK_ORDER, STUCK_HOLDER, STUCK_TOKEN, createdAt - 47_000, deadline, 10_000));
        }
        out.addAll(workerLeases);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    @Override
    public synchronized List<ParkedLane> parked(int limit) {
        checkReachable();
        return parkedLane ? List.of(new ParkedLane(PARKED_ORDER, "job-777-2", "orders/paid#evt-777-2", 5,
                "MongoTimeoutException: timed out after 5000 ms", createdAt - 95_000, 3)) : List.of();
    }

    @Override
    public synchronized List<PausedLane> paused(int limit) {
        checkReachable();
        return pausedLanes.values().stream().limit(limit).toList();
    }

    @Override
    public synchronized long pause(long orderId) {
        PausedLane was = pausedLanes.get(orderId);
        if (was != null) {
            return was.pausedAt();
        }
        boolean held = orderId == STUCK_ORDER && stuckHeld
                || workerLeases.stream().anyMatch(l -> l.orderId() == orderId);
        long at = System.currentTimeMillis();
        pausedLanes.put(orderId, new PausedLane(orderId, at, !held, 3));
        return at;
    }

    @Override
    public synchronized boolean resume(long orderId) {
        return pausedLanes.remove(orderId) != null;
    }

    /** A process leaves the registry, as a killed one's heartbeat lapses. */
    public synchronized void removeWorker(String id) {
        processes.remove(id);
    }

    @Override
    public synchronized List<WorkerInfo> workers() {
        checkReachable();
        long now = System.currentTimeMillis();
        List<WorkerInfo> out = new ArrayList<>();
        processes.forEach((id, kind) -> {
            boolean self = id.equals(SELF_PROCESS);
            int held = (int) (self ? workerLeases.size() : stuckHeld ? 1 : 0);
            out.add(new WorkerInfo(id, kind, "fake-host", self ? 4101 : 4102, "1.0.0", "lockstep", WORKERS, held,
                    Math.round(self ? applied + skippedStale : 37), self && running ? deliveriesPerSecond * 0.85 : 0,
                    self ? "http://127.0.0.1:8088" : "", createdAt - (self ? 60_000 : 3_600_000),
                    now - (now - createdAt) % 1_000));
        });
        return out;
    }

    @Override
    public String workerId() {
        return SELF_PROCESS;
    }

    @Override
    public String workerStartCommand() {
        return START_COMMAND;
    }

    @Override
    public synchronized LeaseHoldTimes leaseHoldTimes() {
        checkReachable();
        return holdTimes;
    }

    @Override
    public synchronized List<DuplicateInfo> latestDuplicates(int limit) {
        checkReachable();
        return duplicates.stream().limit(limit).toList();
    }

    @Override
    public synchronized long release(long orderId) {
        if (orderId == STUCK_ORDER && stuckHeld) {
            stuckHeld = false;
            stuckReleasedAt = System.currentTimeMillis();
            staleWritesRejected++;
            released++;
            return STUCK_TOKEN + 1;
        }
        for (LeaseInfo l : workerLeases) {
            if (l.orderId() == orderId) {
                workerLeases = workerLeases.stream().filter(x -> x != l).toList();
                released++;
                return l.token() + 1;
            }
        }
        return -1;
    }

    @Override
    public synchronized boolean retryHead(long orderId) {
        boolean was = orderId == PARKED_ORDER && parkedLane;
        parkedLane = parkedLane && !was;
        return was;
    }

    @Override
    public synchronized boolean skipHead(long orderId) {
        return retryHead(orderId);
    }

    @Override
    public synchronized OrderTimeline timeline(Mode m, long orderId, String runId) {
        checkReachable();
        if (orderId == STUCK_ORDER && m == Mode.LOCKSTEP) {
            return stuckTimeline();
        }
        if (orderId == TWO_RUN_ORDER) {
            long t0 = createdAt - 193_000;
            List<JournalEntry> all = new ArrayList<>(SyntheticJournal.entries(m, orderId, t0, OLDER_RUN, 4));
            List<JournalEntry> latest = SyntheticJournal.entries(m, orderId, createdAt - 2_000, LATEST_RUN, 2);
            all.addAll(latest);
            return OrderTimeline.of(m, orderId, all,
                    SyntheticJournal.documents(m, orderId, createdAt - 2_000, latest), runId);
        }
        return SyntheticJournal.of(m, orderId, createdAt + orderId % 1000);
    }

    private OrderTimeline stuckTimeline() {
        long t0 = createdAt - 47_050;
        String create = "orders/create#evt-4242-0";
        String paid = "orders/paid#evt-4242-1";
        List<JournalEntry> j = new ArrayList<>();
        List<Application> history = new ArrayList<>();
        String run = SyntheticJournal.RUN;
        j.add(new JournalEntry(run, STUCK_ORDER, create, "orders/create", JournalStage.ENQUEUED, "", 0, t0, t0 + 1, ""));
        j.add(new JournalEntry(run, STUCK_ORDER, create, "orders/create", JournalStage.APPLIED, "worker-1/t1", 6, t0 + 3,
                t0 + 9, ""));
        history.add(new Application(create, Topic.CREATE, t0, ApplyResult.APPLIED, 6, "worker-1/t1", t0 + 9));
        j.add(new JournalEntry(run, STUCK_ORDER, paid, "orders/paid", JournalStage.ENQUEUED, "", 0, t0 + 20, t0 + 21, ""));
        OrderState state = OrderState.CREATED;
        if (!stuckHeld) {
            long r = stuckReleasedAt;
            j.add(new JournalEntry(run, STUCK_ORDER, "", "", JournalStage.RELEASED, "console", STUCK_TOKEN + 1, r, r,
                    "released by an operator"));
            j.add(new JournalEntry(run, STUCK_ORDER, paid, "orders/paid", JournalStage.APPLIED, "worker-1/t5",
                    STUCK_TOKEN + 1, r + 4, r + 11, ""));
            history.add(new Application(paid, Topic.PAID, t0 + 20, ApplyResult.APPLIED, STUCK_TOKEN + 1,
                    "worker-1/t5", r + 11));
            j.add(new JournalEntry(run, STUCK_ORDER, paid, "orders/paid", JournalStage.REJECTED, STUCK_HOLDER, STUCK_TOKEN,
                    t0 + 50, r + 30, "stale write refused: store fence " + (STUCK_TOKEN + 1) + " > token " + STUCK_TOKEN));
            state = OrderState.PAID;
        }
        StoredOrder doc = new StoredOrder(STUCK_ORDER, "o-4242", state, t0, stuckHeld ? 6 : STUCK_TOKEN + 1, history);
        return new OrderTimeline(Mode.LOCKSTEP, STUCK_ORDER, j, List.of(doc));
    }

    @Override
    public void startBurst(BurstRequest r) {
        begin(r, List.of(r.mode()));
    }

    @Override
    public void startCompare(BurstRequest r) {
        begin(r, List.of(Mode.UNSAFE, Mode.NAIVE_LOCK, Mode.LOCKSTEP));
    }

    @Override
    public synchronized void stopRun() {
        stopRequested = running;
    }

    @Override
    public synchronized RunProgress runProgress() {
        checkReachable();
        if (request == null) {
            return RunProgress.IDLE;
        }
        if (phase == BurstRun.Phase.FIRING) {
            return new RunProgress(running, phase, mode, Math.round(fired), Math.round(toFire), step, plan.size(), "");
        }
        // draining and after: accepted events handled, of those accepted
        long acceptedRun = Math.round(accepted - acceptedAtStepStart);
        long handledRun = Math.min(acceptedRun, Math.round(applied + skippedStale - handledAtStepStart));
        return new RunProgress(running, phase, mode, handledRun, acceptedRun, step, plan.size(),
                phase == BurstRun.Phase.STOPPED ? "stopped by the operator" : "");
    }

    @Override
    public synchronized List<RunResult> runs() {
        checkReachable();
        return List.copyOf(runs);
    }

    /** Runs kept from an earlier session, as a restarted console finds them. */
    public synchronized void keep(List<RunResult> earlier) {
        runs.addAll(0, earlier);
    }

    @Override
    public synchronized void clearRuns() {
        if (running) {
            throw new IllegalStateException("a burst is running; clear the runs when it has finished");
        }
        runs.clear();
    }

    @Override
    public void close() {
        sim.shutdownNow();
    }
}
