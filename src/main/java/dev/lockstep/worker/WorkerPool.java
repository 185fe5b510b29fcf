package dev.lockstep.worker;

import dev.lockstep.lock.HeldLease;
import dev.lockstep.lock.LeaseWatchdog;
import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ResultCode;
import dev.lockstep.store.ApplyResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Claims lanes and runs their jobs. One dispatcher thread claims ready lanes in batches (one script
 * call per partition, one lane per idle handler thread, leased in that thread's name), so leases are
 * never taken for work that would wait; each handler thread runs its lane's jobs in order,
 * continuing to the lane's next job in the same call that completes the current one. Idle, the
 * dispatcher sleeps until a partition announces work (pub/sub) or a short timeout passes: no busy
 * polling.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final LaneQueue queue;
    private final JobHandler handler;
    private final LaneListener listener;
    private final WorkerSettings settings;
    private final String name;
    private final BlockingQueue<Handler> idle = new LinkedBlockingQueue<>();
    private final List<Handler> handlers = new ArrayList<>();
    private final WakeSignal wake;
    private final WakeSubscriber subscriber;
    private final LeaseWatchdog watchdog;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean running;
    private Reaper reaper;

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
        running = true;
        subscriber.start();
        try {
            if (!subscriber.awaitSubscribed(5000)) {
                log.warn("wake subscription not confirmed within 5 s; idle workers will poll every {} ms",
                        settings.idleWait().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reaper = new Reaper(queue, listener, settings.reapInterval().toMillis(), name);
        for (int i = 0; i < settings.threads(); i++) {
            Handler h = new Handler(name + "-worker-" + i);
            handlers.add(h);
            Thread t = new Thread(h, h.threadName);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Thread d = new Thread(this::dispatchLoop, name + "-dispatcher");
        d.setDaemon(true);
        threads.add(d);
        d.start();
        log.info("{}: {} worker threads on queue '{}' ({} partitions)", name, settings.threads(),
                queue.keys().queue(), queue.keys().partitions());
    }

    /** Whether the pool is claiming work (started and not closing). */
    public boolean running() {
        return running;
    }

    /** Lanes being worked on by this process right now. */
    public int busy() {
        return busy.get();
    }

    public LeaseWatchdog watchdog() {
        return watchdog;
    }

    private void dispatchLoop() {
        int partitions = queue.keys().partitions();
        boolean[] maybeReady = new boolean[partitions];
        java.util.Arrays.fill(maybeReady, true);
        int offset = 0;
        long lastFullSweep = 0;
        List<Handler> free = new ArrayList<>();
        while (running) {
            try {
                Handler first = idle.poll(settings.idleWait().toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                free.add(first);
                idle.drainTo(free);
                wake.drainAnnounced(maybeReady);
                long now = System.nanoTime();
                boolean full = now - lastFullSweep > settings.idleWait().toNanos();
                if (full) {
                    lastFullSweep = now;
                }
                int got = 0;
                for (int i = 0; i < partitions && !free.isEmpty() && running; i++) {
                    int p = (offset + i) % partitions;
                    if (!full && !maybeReady[p]) {
                        continue;
                    }
                    List<String> holders = new ArrayList<>(free.size());
                    for (Handler h : free) {
                        holders.add(h.holder);
                    }
                    LaneQueue.ClaimBatch batch = queue.claim(p, holders);
                    maybeReady[p] = batch.readyLeft() > 0;
                    for (ClaimedJob job : batch.jobs()) {
                        free.remove(0).deliver(job);
                    }
                    got += batch.jobs().size();
                }
                offset = (offset + 1) % partitions;
                idle.addAll(free);
                free.clear();
                if (got == 0 && running) {
                    wake.await(settings.idleWait().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("{}: claiming failed; retrying after {} ms", name, settings.idleWait().toMillis(), e);
                idle.addAll(free);
                free.clear();
                pause(settings.idleWait().toMillis());
            }
        }
    }

    /** One handler thread: offers itself as idle, runs the lane it is given, repeats. */
    private final class Handler implements Runnable {
        final String threadName;
        final String holder;
        final BlockingQueue<ClaimedJob> mailbox = new java.util.concurrent.ArrayBlockingQueue<>(1);

        Handler(String threadName) {
            this.threadName = threadName;
            this.holder = settings.workerId() + "/" + threadName;
        }

        void deliver(ClaimedJob job) {
            mailbox.add(job);
        }

        @Override
        public void run() {
            while (running || !mailbox.isEmpty()) {
                idle.add(this);
                ClaimedJob job = null;
                try {
                    while (job == null && (running || !mailbox.isEmpty())) {
                        job = mailbox.poll(200, TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (job == null) {
                    return;
                }
                busy.incrementAndGet();
                try {
                    runLane(job, holder);
                } finally {
                    busy.decrementAndGet();
                }
            }
        }
    }

    /** Runs a lane's jobs in order until it is empty, handed back, failed or lost. */
    private void runLane(ClaimedJob first, String worker) {
        HeldLease lease = watchdog.watch(first);
        ClaimedJob job = first;
        int ran = 0;
        try {
            while (job != null) {
                listener.claimed(job, worker);
                ApplyResult result;
                try {
                    result = handler.handle(job, lease);
                } catch (Exception e) {
                    fail(job, e, worker);
                    return;
                }
                if (result == ApplyResult.REJECTED_FENCE) {
                    listener.fenced(job, worker);
                    return;
                }
                ran++;
                boolean cont = running && ran < settings.maxContinue();
                LaneQueue.Completion c = completeSafely(job, worker, cont);
                if (c == null) {
                    return;
                }
                switch (c.code()) {
                    case CONTINUE -> {
                        listener.completed(job, result, worker);
                        watchdog.moveTo(lease, c.next());
                        job = c.next();
                    }
                    case DONE, HANDED_ON -> {
                        listener.completed(job, result, worker);
                        job = null;
                    }
                    default -> {
                        listener.leaseLost(job, worker);
                        job = null;
                    }
                }
            }
        } finally {
            watchdog.forget(lease);
            listener.leaseHeld(first.orderId(), System.currentTimeMillis() - lease.since());
        }
    }

    private LaneQueue.Completion completeSafely(ClaimedJob job, String worker, boolean cont) {
        // The effect is in the store; if Redis is briefly unreachable, keep trying to record it
        // while our lease may still be valid. Giving up is safe too: the lane is reaped and the
        // re-run finds the effect already applied (I3, docs/DESIGN.md, "Invariants").
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return queue.complete(job, worker, cont);
            } catch (RuntimeException e) {
                last = e;
                pause(50L << attempt);
            }
        }
        log.warn("could not complete job {} of order {}; its lease will lapse and the lane be recovered",
                job.jobId(), job.orderId(), last);
        return null;
    }

    private void fail(ClaimedJob job, Exception error, String worker) {
        int attempts = job.attempts() + 1;
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        try {
            if (attempts >= settings.maxAttempts()) {
                ResultCode r = queue.park(job, message);
                if (r == ResultCode.PARKED) {
                    log.warn("parked order {} after {} attempts: {}", job.orderId(), attempts, message);
                    listener.parked(job, message, attempts, worker);
                } else {
                    listener.leaseLost(job, worker);
                }
            } else {
                Duration backoff = settings.backoffFor(attempts);
                ResultCode r = queue.retry(job, message, backoff);
                if (r == ResultCode.RETRY_SCHEDULED) {
                    log.debug("retrying order {} job {} in {} ms (attempt {}): {}", job.orderId(), job.jobId(),
                            backoff.toMillis(), attempts, message);
                    listener.retried(job, message, attempts, worker);
                } else {
                    listener.leaseLost(job, worker);
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not schedule a retry of order {}; its lease will lapse and the lane be recovered",
                    job.orderId(), e);
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
     * continued), then stops. Lanes still leased after the grace period lapse and are recovered by
     * any other process's reaper.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                subscriber.close();
                watchdog.close();
                return;
            }
            running = false;
        }
        subscriber.close();
        wake.wake(-1);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1000, queue.leaseMs()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (reaper != null) {
            reaper.close();
        }
        watchdog.close();
        // lanes claimed for a handler that had already stopped: hand them straight back
        List<ClaimedJob> left = new ArrayList<>();
        for (Handler h : handlers) {
            h.mailbox.drainTo(left);
        }
        for (ClaimedJob j : left) {
            try {
                queue.release(j.orderId());
            } catch (RuntimeException e) {
                log.warn("could not hand back order {}; its lease will lapse and be recovered", j.orderId(), e);
            }
        }
        log.info("{}: stopped", name);
    }
}
