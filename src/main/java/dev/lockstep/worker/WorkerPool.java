package dev.lockstep.worker;

import dev.lockstep.logging.LogLimiter;
import dev.lockstep.lock.HeldLease;
import dev.lockstep.lock.LeaseWatchdog;
import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ResultCode;
import dev.lockstep.store.ApplyResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Claims lanes and runs their jobs. A lease is held by a lane slot ({@code settings.lanes()} of them);
 * handler threads ({@code settings.threads()}, fewer) run the held lanes' jobs, each lane's in order,
 * taking them from one queue in claim order. One drainer thread does all the queue's bookkeeping in
 * one pipelined round trip per tick: it records every job finished since the last tick, continues
 * each lane with its next entries under the same lease, hands lanes on, and claims ready lanes for
 * the free slots (one drain script call per partition), ahead of the threads only as far as threads
 * are free to take them. Idle, the drainer waits for a partition to announce work (pub/sub), for a
 * handler to finish, or for the next retry falling due: no sweeping.
 *
 * <p>Every handler call has a deadline: past it the attempt is failed and its lane revoked in Redis,
 * and a fresh thread takes the stuck one's place; the store's fence is raised and the lane handed on
 * by a small bounded pool of revoker threads, so a stalled store never holds up the deadline checks
 * (docs/DESIGN.md, "Data path").
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    /**
     * Revocations a passed deadline leaves to finish (fence, then hand on) at once: each may wait out
     * the store's timeout. More wait in a bounded queue; past that they are left to the reaper.
     */
    static final int REVOKERS = 2;

    private final LaneQueue queue;
    private final JobHandler handler;
    private final LaneListener listener;
    private final WorkerSettings settings;
    private final String name;
    private final WakeSignal wake;
    private final WakeSubscriber subscriber;
    private final LeaseWatchdog watchdog;
    private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
    /** Lane slots by holder name: each holds at most one lane; their jobs wait in {@link #work} for a runner. */
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final List<Slot> free = new ArrayList<>();
    /** Jobs of held lanes, one entry per slot at most, taken by the handler threads in claim order. */
    private final LinkedBlockingQueue<Work> work = new LinkedBlockingQueue<>();
    private final List<Runner> runners = new CopyOnWriteArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger replaced = new AtomicInteger();
    private final AtomicLong nextDue = new AtomicLong(Long.MAX_VALUE);
    private final LogLimiter failures = new LogLimiter(log, Duration.ofSeconds(10));
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean stopped;
    private Reaper reaper;
    private Thread drainer;
    private Thread supervisor;
    private ThreadPoolExecutor revokers;

    public WorkerPool(UnifiedJedis redis, LaneQueue queue, JobHandler handler, LaneListener listener,
                      WorkerSettings settings, String name) {
        this.queue = queue;
        this.handler = handler;
        this.listener = listener;
        this.settings = settings;
        this.name = name;
        this.wake = new WakeSignal(queue.keys().partitions());
        this.subscriber = new WakeSubscriber(redis, queue.keys().wakeChannel(), wake, name);
        this.watchdog = new LeaseWatchdog(queue, name);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        queue.checkPartitionCount();
        running = true;
        subscriber.start();
        try {
            if (!subscriber.awaitSubscribed(5000)) {
                log.warn("{}: wake subscription not confirmed within 5 s; the reaper's passes will find work",
                        name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reaper = new Reaper(queue, wake, r -> finishRevocation(r, "lease expired: lane recovered"), settings, name,
                this::lastActivity);
        for (int i = 0; i < settings.lanes(); i++) {
            startSlot(name + "-slot-" + i);
        }
        for (int i = 0; i < settings.threads(); i++) {
            startRunner(name + "-worker-" + i);
        }
        revokers = revokers(name);
        drainer = daemon(this::drainLoop, name + "-drainer");
        supervisor = daemon(this::superviseLoop, name + "-deadlines");
        log.info("{}: {} worker threads running up to {} lanes at once on queue '{}' ({} partitions)", name,
                settings.threads(), settings.lanes(), queue.keys().queue(), queue.keys().partitions());
    }

    private void startSlot(String slotName) {
        Slot h = new Slot(slotName);
        slots.put(h.holder, h);
        synchronized (free) {
            free.add(h);
        }
    }

    private void startRunner(String threadName) {
        Runner r = new Runner();
        runners.add(r);
        r.thread = daemon(r, threadName);
    }

    /** At most {@link #REVOKERS} threads and a queue of one revocation per handler thread (at least 8): a deadline revokes the lane of a call. */
    private ThreadPoolExecutor revokers(String poolName) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor e = new ThreadPoolExecutor(REVOKERS, REVOKERS, 10, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(8, settings.threads())), r -> {
                    Thread t = new Thread(r, poolName + "-revoker-" + n.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    private Thread daemon(Runnable r, String threadName) {
        Thread t = new Thread(r, threadName);
        t.setDaemon(true);
        synchronized (threads) {
            threads.add(t);
        }
        t.start();
        return t;
    }

    /** Whether the pool is claiming work (started and not closing). */
    public boolean running() {
        return running;
    }

    /** Lanes being worked on by this process right now. */
    public int busy() {
        return busy.get();
    }

    /** Handler threads replaced after their call overran its deadline, since start. */
    public int replacedHandlers() {
        return replaced.get();
    }

    public LeaseWatchdog watchdog() {
        return watchdog;
    }

    /** When this pool last completed or claimed work (0: never): the reaper runs at its idle pace until it does. */
    private volatile long lastActivity;

    private long lastActivity() {
        return lastActivity;
    }

    // ---- handler threads ---------------------------------------------------------------------------

    /** What a slot reports to the drainer: jobs it finished under one lease, or that it is free again. */
    private record Done(Slot slot, HeldLease lease, List<ClaimedJob> jobs, List<ApplyResult> results,
                        boolean resend) {
    }

    /** Jobs of one held lane for a handler thread to run. */
    private record Work(Slot slot, List<ClaimedJob> jobs) {
    }

    /**
     * A handler thread: runs the jobs of whichever held lane is next in {@link #work}. Lanes held
     * (slots) outnumber threads, so the next lane is claimed and waiting while one runs: a round trip
     * of the drainer carries many lanes, and a thread that has work queued never parks between lanes.
     */
    private final class Runner implements Runnable {
        volatile Thread thread;
        /** Set when the call it runs overran its deadline: it ends once that call returns. */
        volatile boolean retired;
        /** Inside a handler call (between a slot's beginCall and endCall). */
        volatile boolean inCall;

        @Override
        public void run() {
            try {
                runWork();
            } finally {
                runners.remove(this);
            }
        }

        private void runWork() {
            while (!retired) {
                Work w;
                try {
                    w = work.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    if (retired || stopped) {
                        return;
                    }
                    continue;
                }
                if (w == null) {
                    if (stopped) {
                        return;
                    }
                    continue;
                }
                if (w.slot().abandoned()) {
                    continue; // its lane was revoked meanwhile
                }
                w.slot().runner = this;
                w.slot().runJobs(w.jobs());
            }
        }
    }

    /**
     * One lane slot: the holder identity a lease is claimed for. It holds at most one lane at a time;
     * its jobs run, in order, on whichever handler thread takes them.
     */
    private final class Slot {
        private static final long ABANDONED = -1;
        final String slotName;
        final String holder;
        /** The runner running this slot's call now. */
        volatile Runner runner;
        volatile HeldLease lease;
        volatile ClaimedJob current;
        volatile long callStartedNanos;
        /** The number of the handler call in progress, 0 between calls, {@link #ABANDONED} once its deadline passed. */
        final AtomicLong call = new AtomicLong();
        private long calls;
        volatile int ranOnLane;

        Slot(String slotName) {
            this.slotName = slotName;
            this.holder = settings.workerId() + "/" + slotName;
        }

        boolean abandoned() {
            return call.get() == ABANDONED;
        }

        private void beginCall(ClaimedJob job) {
            current = job;
            callStartedNanos = System.nanoTime();
            runner.inCall = true;
            call.set(++calls);
        }

        /** Whether the call just returned is still this slot's: false when its deadline passed and the lane was revoked. */
        private boolean endCall() {
            callStartedNanos = 0;
            runner.inCall = false;
            long c = call.get();
            if (c == ABANDONED || !call.compareAndSet(c, 0)) {
                return false;
            }
            current = null;
            return true;
        }

        private void runJobs(List<ClaimedJob> jobs) {
            HeldLease l = lease;
            boolean announced = false;
            if (jobs.size() > 1 && !l.lost() && handler.handlesRuns()) {
                if (runAtOnce(jobs, l)) {
                    return;
                }
                announced = true;
            }
            List<ClaimedJob> ran = new ArrayList<>(jobs.size());
            List<ApplyResult> results = new ArrayList<>(jobs.size());
            for (ClaimedJob job : jobs) {
                if (l.lost() || !ran.isEmpty() && (l.mayNotContinue(queue.leaseMs()) || !running)) {
                    break;
                }
                if (!announced) {
                    listener.claimed(job, holder);
                }
                ApplyResult result = null;
                Throwable error = null;
                beginCall(job);
                try {
                    result = handler.handle(job, l);
                } catch (Throwable t) {
                    error = t;
                }
                if (!endCall()) {
                    // the deadline passed: the lane was revoked and a new thread took this one's place
                    if (result != null) {
                        lateResult(job, result);
                    }
                    return;
                }
                if (error != null) {
                    failed(job, l, ran, error);
                    return;
                }
                if (result == ApplyResult.REJECTED_FENCE) {
                    listener.fenced(job, holder);
                    // the lease is gone; jobs run before it are re-run by the next holder (already applied)
                    report(new Done(this, l, List.of(), List.of(), false));
                    return;
                }
                ran.add(job);
                results.add(result);
            }
            if (ran.isEmpty()) {
                for (ClaimedJob job : jobs) {
                    listener.leaseLost(job, holder);
                }
                report(new Done(this, l, List.of(), List.of(), false));
                return;
            }
            ranOnLane += ran.size();
            l.finishing(true);
            report(new Done(this, l, ran, results, false));
        }

        /**
         * Runs the lane's jobs in one handler call, when the handler can.
         *
         * @return false when the call threw: the per-job path runs them instead (their claims are
         *         announced already), so a failing job is found and retried or parked alone
         */
        private boolean runAtOnce(List<ClaimedJob> jobs, HeldLease l) {
            for (ClaimedJob job : jobs) {
                listener.claimed(job, holder);
            }
            List<ApplyResult> results = null;
            Throwable error = null;
            beginCall(jobs.get(0));
            try {
                results = handler.handleRun(jobs, l);
            } catch (Throwable t) {
                error = t;
            }
            if (!endCall()) {
                // the deadline passed: the lane was revoked and a new thread took this one's place
                if (results != null && results.contains(ApplyResult.REJECTED_FENCE)) {
                    lateResult(jobs.get(results.indexOf(ApplyResult.REJECTED_FENCE)), ApplyResult.REJECTED_FENCE);
                }
                return true;
            }
            if (error != null) {
                failures.log("handler run failed; running its jobs one by one", error);
                return false;
            }
            int n = Math.min(results.size(), jobs.size());
            for (int i = 0; i < n; i++) {
                if (results.get(i) == ApplyResult.REJECTED_FENCE) {
                    listener.fenced(jobs.get(i), holder);
                    report(new Done(this, l, List.of(), List.of(), false));
                    return true;
                }
            }
            ranOnLane += n;
            l.finishing(true);
            report(new Done(this, l, new ArrayList<>(jobs.subList(0, n)), new ArrayList<>(results.subList(0, n)), false));
            return true;
        }

        /** A handler call threw: finish the jobs run before it, then retry the failed one in place or park. */
        private void failed(ClaimedJob job, HeldLease l, List<ClaimedJob> ranBefore, Throwable error) {
            String message = error.getClass().getSimpleName() + ": " + error.getMessage();
            failures.log("handler failed", error);
            try {
                if (!ranBefore.isEmpty()) {
                    LaneQueue.DrainResult r = queue.drain(job.partition(),
                            List.of(new LaneQueue.Finished(l.member(), ids(ranBefore), true, false)), List.of());
                    if (!r.finished().get(0).completed()) {
                        lose(ranBefore, l);
                        return;
                    }
                    for (ClaimedJob j : ranBefore) {
                        listener.completed(j, ApplyResult.APPLIED, holder);
                    }
                }
                failAttempt(job, message, false, holder);
            } catch (RuntimeException e) {
                failures.log("could not record a failed attempt; its lease will lapse and the lane be recovered", e);
            }
            report(new Done(this, l, List.of(), List.of(), false));
        }

        /**
         * The outcome of a call that returned after its deadline passed. Refused by the store's fence, it
         * is reported as a stale write (I6); landed before the fence went up, it is what the re-run
         * finds already applied, so nothing else is reported for it.
         */
        private void lateResult(ClaimedJob job, ApplyResult result) {
            if (result == ApplyResult.REJECTED_FENCE) {
                notifying(() -> listener.fenced(job, holder));
            }
        }

        private void lose(List<ClaimedJob> jobs, HeldLease l) {
            for (ClaimedJob j : jobs) {
                listener.leaseLost(j, holder);
            }
            report(new Done(this, l, List.of(), List.of(), false));
        }
    }

    private void report(Done d) {
        done.add(d);
        wake.wake(-1);
    }

    /**
     * Retries a failed attempt in place (or parks the lane after the last); revoking when its call may still run.
     *
     * @return the revocation still to finish ({@link #finishRevocation}), or null when the lane was not revoked
     */
    private LaneQueue.Revocation failAttempt(ClaimedJob job, String message, boolean revoke, String worker) {
        int attempts = job.attempts() + 1;
        LaneQueue.FailResult r;
        if (attempts >= settings.maxAttempts()) {
            r = queue.park(job, message, revoke);
            if (r.code() == ResultCode.PARKED) {
                log.warn("parked order {} after {} attempts: {}", job.orderId(), attempts, message);
                listener.parked(job, message, attempts, worker);
            }
        } else {
            Duration backoff = settings.backoffFor(attempts);
            r = queue.retry(job, message, backoff, revoke);
            if (r.code() == ResultCode.RETRY_SCHEDULED) {
                listener.retried(job, message, attempts, worker);
                nextDue.accumulateAndGet(System.currentTimeMillis() + backoff.toMillis(), Math::min);
            }
        }
        if (r.code() != ResultCode.RETRY_SCHEDULED && r.code() != ResultCode.PARKED) {
            listener.leaseLost(job, worker);
        }
        return r.revocation();
    }

    /** Raises the store's fence (the listener), then hands the lane on. Failing, it is left to the reaper. */
    void finishRevocation(LaneQueue.Revocation r, String reason) {
        try {
            listener.revoked(r.orderId(), r.fence(), reason);
            queue.handOn(r);
        } catch (RuntimeException e) {
            failures.log("could not finish a revocation; the reaper will finish it", e);
        }
    }

    private static List<String> ids(List<ClaimedJob> jobs) {
        List<String> ids = new ArrayList<>(jobs.size());
        for (ClaimedJob j : jobs) {
            ids.add(j.jobId());
        }
        return ids;
    }

    // ---- the drainer -------------------------------------------------------------------------------

    private void drainLoop() {
        int partitions = queue.keys().partitions();
        boolean[] maybeReady = new boolean[partitions];
        java.util.Arrays.fill(maybeReady, true);
        int offset = 0;
        List<Done> pending = new ArrayList<>();
        // due retries are moved to ready by the first claiming round after this process's own next
        // retry fell due (and at start); the reaper's passes promote other processes' retries
        boolean promoteDue = true;
        while (!stopped) {
            try {
                Done d;
                while ((d = done.poll()) != null) {
                    pending.add(d);
                }
                wake.drainAnnounced(maybeReady);
                long due = nextDue.get();
                if (due <= System.currentTimeMillis()) {
                    nextDue.compareAndSet(due, Long.MAX_VALUE);
                    java.util.Arrays.fill(maybeReady, true);
                    promoteDue = true;
                }
                List<Slot> idle = takeFree();
                Map<Integer, LaneQueue.DrainRequest> requests = plan(pending, idle, maybeReady, offset, promoteDue);
                if (requests.values().stream().anyMatch(r -> r.freeHolders() != null && !r.freeHolders().isEmpty())) {
                    promoteDue = false; // the scripts that claim promoted what was due; the reaper does the rest
                }
                offset = (offset + 1) % partitions;
                if (requests.isEmpty()) {
                    // only slots done without a completion were pending: plan() freed them already
                    pending.clear();
                    giveBack(idle);
                    long wait = Math.min(settings.idleWait().toMillis() * 50,
                            Math.max(1, nextDue.get() - System.currentTimeMillis()));
                    wake.await(wait);
                    continue;
                }
                Map<Integer, LaneQueue.DrainResult> results;
                try {
                    results = queue.drainAll(requests);
                } catch (RuntimeException e) {
                    failures.log("drain round failed; retrying", e);
                    giveBack(idle);
                    for (Done x : pending) {
                        if (!x.jobs().isEmpty()) {
                            done.add(new Done(x.slot(), x.lease(), x.jobs(), x.results(), true));
                        }
                    }
                    pending.clear();
                    pause(settings.idleWait().toMillis());
                    continue;
                }
                try {
                    apply(requests, results, pending, idle, maybeReady);
                } finally {
                    pending.clear(); // processed (or lost with the exception): never twice
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                failures.log("drainer failed; continuing", e);
            }
        }
    }

    private List<Slot> takeFree() {
        synchronized (free) {
            if (!running) {
                return new ArrayList<>();
            }
            List<Slot> idle = new ArrayList<>(free);
            free.clear();
            return idle;
        }
    }

    private void giveBack(List<Slot> idle) {
        synchronized (free) {
            for (Slot h : idle) {
                if (!h.abandoned()) {
                    free.add(h);
                }
            }
        }
    }

    /** The partitions' requests: every finished lane, and the free slots spread over maybe-ready partitions. */
    private Map<Integer, LaneQueue.DrainRequest> plan(List<Done> pending, List<Slot> idle, boolean[] maybeReady,
                                                      int offset, boolean promoteDue) {
        Map<Integer, List<LaneQueue.Finished>> finished = new LinkedHashMap<>();
        for (Done d : pending) {
            if (d.jobs().isEmpty()) {
                continue;
            }
            boolean cont = running && d.slot().ranOnLane < settings.maxContinue();
            finished.computeIfAbsent(d.lease().partition(), k -> new ArrayList<>())
                    .add(new LaneQueue.Finished(d.lease().member(), ids(d.jobs()), cont, d.resend()));
        }
        // slots done without a completion (failed, fenced, lost) are free again
        for (Done d : pending) {
            if (d.jobs().isEmpty()) {
                endLane(d.slot(), d.lease());
                if (running && !d.slot().abandoned()) {
                    idle.add(d.slot());
                }
            }
        }
        aheadAllowance(idle);
        int partitions = maybeReady.length;
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            int p = (offset + i) % partitions;
            if (maybeReady[p]) {
                targets.add(p);
            }
        }
        Map<Integer, List<String>> holders = new HashMap<>();
        if (!targets.isEmpty() && !idle.isEmpty()) {
            int t = 0;
            for (Slot h : idle) {
                holders.computeIfAbsent(targets.get(t % targets.size()), k -> new ArrayList<>()).add(h.holder);
                t++;
            }
        } else {
            giveBack(idle);
            idle.clear();
        }
        Map<Integer, LaneQueue.DrainRequest> requests = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            List<LaneQueue.Finished> f = finished.getOrDefault(p, List.of());
            List<String> h = holders.getOrDefault(p, List.of());
            if (!f.isEmpty() || !h.isEmpty()) {
                requests.put(p, new LaneQueue.DrainRequest(f, running ? h : null, promoteDue));
            }
        }
        return requests;
    }

    /**
     * Keeps in {@code idle} only the slots this round may claim for: lanes are claimed ahead for the
     * threads free to take them, {@code lanes / threads} per thread not in a call, less the lanes
     * already waiting for a thread. So a process whose every thread is stuck in a call claims nothing
     * more, and other processes take the work. A slot freed by a completion is refilled in the same
     * script call regardless: that keeps the lanes held, it does not add to them.
     */
    private void aheadAllowance(List<Slot> idle) {
        int freeThreads = 0;
        for (Runner r : runners) {
            if (!r.retired && !r.inCall) {
                freeThreads++;
            }
        }
        int perThread = Math.max(1, settings.lanes() / settings.threads());
        int allowed = Math.max(0, freeThreads * perThread - work.size());
        if (idle.size() > allowed) {
            List<Slot> extra = new ArrayList<>(idle.subList(allowed, idle.size()));
            idle.subList(allowed, idle.size()).clear();
            giveBack(extra);
        }
    }

    private void apply(Map<Integer, LaneQueue.DrainRequest> requests, Map<Integer, LaneQueue.DrainResult> results,
                       List<Done> pending, List<Slot> idle, boolean[] maybeReady) {
        Map<String, Done> byLease = new HashMap<>();
        for (Done d : pending) {
            if (!d.jobs().isEmpty()) {
                byLease.put(d.lease().member(), d);
            }
        }
        // a claim round that found nothing is no activity: the reaper stays at its idle pace
        for (LaneQueue.DrainResult r : results.values()) {
            if (!r.finished().isEmpty() || !r.claims().isEmpty()) {
                lastActivity = System.currentTimeMillis();
                break;
            }
        }
        // one small method per partition, completion and claim: the JIT compiles them whole early
        // instead of OSR-compiling one big loop again and again
        List<Slot> nowFree = new ArrayList<>();
        for (Map.Entry<Integer, LaneQueue.DrainRequest> e : requests.entrySet()) {
            int p = e.getKey();
            LaneQueue.DrainResult r = results.get(p);
            maybeReady[p] = r.readyLeft() > 0;
            List<LaneQueue.Finished> sent = e.getValue().finished();
            for (int i = 0; i < sent.size(); i++) {
                applyFinish(byLease.get(sent.get(i).lease()), r.finished().get(i), nowFree);
            }
            for (LaneQueue.Claim c : r.claims()) {
                applyClaim(c, idle, nowFree);
            }
        }
        for (Slot h : nowFree) {
            if (!idle.contains(h)) {
                idle.add(h);
            }
        }
        giveBack(idle);
    }

    private void applyFinish(Done d, LaneQueue.FinishResult f, List<Slot> nowFree) {
        Slot h = d.slot();
        if (f.completed()) {
            for (int j = 0; j < d.jobs().size(); j++) {
                ClaimedJob job = d.jobs().get(j);
                ApplyResult result = d.results().get(j);
                notifying(() -> listener.completed(job, result, h.holder));
            }
        } else {
            for (ClaimedJob j : d.jobs()) {
                notifying(() -> listener.leaseLost(j, h.holder));
            }
        }
        if (f.continues() && !h.abandoned()) {
            d.lease().finishing(false);
            work.add(new Work(h, f.next()));
        } else {
            endLane(h, d.lease());
            nowFree.add(h);
        }
    }

    private void applyClaim(LaneQueue.Claim c, List<Slot> idle, List<Slot> nowFree) {
        Slot h = slots.get(c.holder());
        if (h == null || h.abandoned() || !running) {
            // claimed for a slot that is gone: hand the lane straight back, token-checked
            handBack(c.jobs().get(0));
            return;
        }
        idle.remove(h);
        nowFree.remove(h);
        startLane(h, c.jobs());
    }

    /** A listener that throws must not leave the drainer's round half-applied. */
    private void notifying(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            failures.log("lane listener failed", e);
        }
    }

    private void startLane(Slot h, List<ClaimedJob> jobs) {
        h.lease = watchdog.watch(jobs.get(0));
        h.ranOnLane = 0;
        busy.incrementAndGet();
        work.add(new Work(h, jobs));
    }

    private void endLane(Slot h, HeldLease lease) {
        if (h.lease == lease && lease != null) {
            watchdog.forget(lease);
            listener.leaseHeld(lease.orderId(), System.currentTimeMillis() - lease.since());
            h.lease = null;
            busy.decrementAndGet();
        }
    }

    private void handBack(ClaimedJob job) {
        try {
            LaneQueue.Revocation r = queue.releaseHeld(job);
            if (r != null) {
                finishRevocation(r, "handed back at shutdown");
            }
        } catch (RuntimeException e) {
            failures.log("could not hand back order " + job.orderId() + "; its lease will lapse and be recovered", e);
        }
    }

    // ---- deadlines ---------------------------------------------------------------------------------

    private void superviseLoop() {
        long deadlineNanos = settings.handlerDeadline().toNanos();
        long tick = Math.max(10, Math.min(1000, settings.handlerDeadline().toMillis() / 4));
        while (!stopped) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            for (Slot h : slots.values()) {
                long call = h.call.get();
                long started = h.callStartedNanos;
                ClaimedJob job = h.current;
                HeldLease lease = h.lease;
                if (call > 0 && started != 0 && job != null && lease != null && !lease.frozen()
                        && System.nanoTime() - started > deadlineNanos
                        && h.call.compareAndSet(call, Slot.ABANDONED)) {
                    abandon(h, job, lease);
                }
            }
        }
    }

    /**
     * A handler call overran its deadline: fail the attempt and revoke the lane in Redis, hand the
     * revocation to the revokers, and start a thread in its place. Nothing here waits on the store:
     * raising its fence may take the store's whole timeout, and the other handlers' deadlines are
     * checked meanwhile.
     */
    private void abandon(Slot h, ClaimedJob job, HeldLease lease) {
        Runner stuck = h.runner;
        stuck.retired = true;
        slots.remove(h.holder);
        log.warn("{}: handler of order {} passed its {} ms deadline; attempt failed, lane revoked, thread replaced",
                name, job.orderId(), settings.handlerDeadline().toMillis());
        String reason = "deadline of " + settings.handlerDeadline().toMillis() + " ms passed";
        try {
            LaneQueue.Revocation r = failAttempt(job, reason, true, h.holder);
            if (r != null) {
                finishLater(r, reason);
            }
        } catch (RuntimeException e) {
            failures.log("could not fail an overrunning attempt; its lease will lapse and be recovered", e);
        }
        endLane(h, lease);
        stuck.thread.interrupt();
        int n = replaced.incrementAndGet();
        if (running) {
            startSlot(h.slotName + "r" + n);
            startRunner(stuck.thread.getName() + "r" + n);
        }
    }

    /**
     * Finishes a revocation on a revoker thread: the store's fence, then the hand-on, in that order
     * ({@link #finishRevocation}). When the revokers are all waiting on a stalled store and their
     * queue is full, the lane stays revoked in Redis and the reaper finishes it once its hand-on
     * deadline passes: nothing runs it before the fence is up.
     */
    private void finishLater(LaneQueue.Revocation r, String reason) {
        try {
            revokers.execute(() -> finishRevocation(r, reason));
        } catch (RejectedExecutionException e) {
            // one kind of line whatever the order (the limiter keeps one entry per kind)
            failures.log("could not queue a revocation (revokers at their bound, or closing); the reaper will finish it", e);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops claiming, lets handlers finish the job they run (their lanes are handed back, not
     * continued), then stops. Leases still held after that (a handler stuck in a call) are handed back
     * token-checked, with the store's fence raised first, as the reaper would.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                if (!stopped) {
                    stopped = true;
                    subscriber.close();
                    watchdog.close();
                }
                return;
            }
            running = false;
        }
        subscriber.close();
        wake.wake(-1);
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1000, queue.leaseMs()));
        while (System.nanoTime() < until && (busy.get() > 0 || !done.isEmpty())) {
            wake.wake(-1);
            pause(5);
        }
        stopped = true;
        wake.wake(-1);
        List<Thread> all;
        synchronized (threads) {
            all = new ArrayList<>(threads);
        }
        // Threads that may be inside a Redis call are not interrupted: they see `stopped` within a poll
        // (200 ms); a call cut short must never hand a half-read connection back to the shared pool.
        supervisor.interrupt(); // it only sleeps between deadline checks
        for (Thread t : all) {
            try {
                t.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (reaper != null) {
            reaper.close();
        }
        // revocations under way finish (their store call has its own timeout); those left are the reaper's
        revokers.shutdown();
        try {
            revokers.awaitTermination(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.close();
        for (HeldLease l : watchdog.held()) {
            try {
                LaneQueue.Revocation r = queue.releaseHeld(new ClaimedJob(l.partition(), l.orderId(), "", l.token(),
                        "", 0, l.member()));
                if (r != null) {
                    finishRevocation(r, "handed back at shutdown");
                }
            } catch (RuntimeException e) {
                failures.log("could not hand back order " + l.orderId() + "; its lease will lapse", e);
            }
        }
        log.info("{}: stopped", name);
    }
}
