package dev.lockstep.mode;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.lock.HeldLease;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Drain;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.QueueUnavailableException;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.priority.BackgroundPriority;
import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.GroupCommitEnqueuer;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ResultCode;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.OrderStore;
import dev.lockstep.worker.JobHandler;
import dev.lockstep.worker.LaneListener;
import dev.lockstep.worker.WorkerPool;
import dev.lockstep.worker.WorkerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The {@code lockstep} mode: deliveries go into serialized per-order lanes on Redis (atomic dedup
 * in the enqueue script); workers claim lanes under a lease with a fencing token and apply events
 * to the fenced, idempotent {@link OrderStore}.
 */
public final class LockstepPipeline implements Pipeline {
    private static final Logger log = LoggerFactory.getLogger(LockstepPipeline.class);
    /** Longest a delivery waits for Redis to take its event before the ingest answers 503. */
    private static final long ENQUEUE_TIMEOUT_MS = 5_000;

    private final LaneQueue queue;
    private final OrderStore store;
    private final EventJournal journal;
    private final RunCounters counters = new RunCounters();
    private final OverlapGuard guard = new OverlapGuard(counters);
    private volatile PausedHolderFault fault;
    private final WorkerPool pool;
    private final GroupCommitEnqueuer enqueuer;
    private final Recorder leaseHold = new Recorder(3);
    /** Bound on attempts claimed and not yet finished that the journal remembers the claim time of. */
    private static final int MAX_OPEN_ATTEMPTS = 100_000;
    /** Claim time (epoch millis) of each attempt in flight, until its outcome entry is recorded. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> claimedAt =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Told each completed job's claim-to-complete time in ms (the process's metrics); none by default. */
    private volatile java.util.function.LongConsumer claimToComplete = ms -> { };

    public LockstepPipeline(LockstepConfig config, UnifiedJedis redis, OrderStore store, EventJournal journal,
                            PausedHolderFault fault) {
        this(redis, new LaneQueue(redis, new Keys(config.queueName(), config.partitions()), config.lease(),
                config.dedupTtl()), store, journal, fault, WorkerSettings.from(config));
    }

    public LockstepPipeline(UnifiedJedis redis, LaneQueue queue, OrderStore store, EventJournal journal,
                            PausedHolderFault fault, WorkerSettings settings) {
        this.queue = queue;
        this.store = store;
        this.journal = journal;
        this.fault = fault;
        this.pool = new WorkerPool(redis, queue, new Handler(), new Listener(), settings, "lockstep");
        this.enqueuer = new GroupCommitEnqueuer(queue, 1, ENQUEUE_TIMEOUT_MS, "lockstep");
    }

    @Override
    public Mode mode() {
        return Mode.LOCKSTEP;
    }

    public LaneQueue queue() {
        return queue;
    }

    public WorkerPool workers() {
        return pool;
    }

    /**
     * Starts the worker pool from a lowered thread, so its threads (handlers, drainer, watchdog, reaper)
     * run below the ingest and the group commit: under load a webhook is answered first and the backlog
     * drains with the CPU left (priority.BackgroundPriority).
     */
    @Override
    public void start() {
        BackgroundPriority.runLowered("lockstep-pool-start", pool::start);
    }

    /** Where each completed job's claim-to-complete time (ms) goes, e.g. this process's metrics. */
    public void reportClaimToComplete(java.util.function.LongConsumer sink) {
        this.claimToComplete = java.util.Objects.requireNonNull(sink, "sink");
    }

    /** The paused-holder fault for the next runs (the console switches it per burst). */
    public void useFault(PausedHolderFault next) {
        this.fault = next;
    }

    @Override
    public AcceptResult accept(Delivery delivery) {
        OrderEvent e = delivery.event();
        long received = System.currentTimeMillis();
        ResultCode code;
        try {
            code = enqueuer.enqueue(e.orderId(), delivery.dedupKey(), OrderEventCodec.encode(e));
        } catch (GroupCommitEnqueuer.QueueWriteException ex) {
            throw unavailable(ex);
        }
        return accepted(delivery, code, received);
    }

    /** The group commit's future, without a thread waiting for it: the ingest answers from it. */
    @Override
    public CompletableFuture<AcceptResult> acceptAsync(Delivery delivery) {
        OrderEvent e = delivery.event();
        long received = System.currentTimeMillis();
        CompletableFuture<AcceptResult> answer = new CompletableFuture<>();
        enqueuer.enqueueAsync(e.orderId(), delivery.dedupKey(), OrderEventCodec.encode(e)).whenComplete((code, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure instanceof GroupCommitEnqueuer.QueueWriteException q
                        ? unavailable(q) : failure);
                return;
            }
            try {
                answer.complete(accepted(delivery, code, received));
            } catch (RuntimeException countingFailed) {
                // still one answer (500), or the webhook would wait for it until its client gave up
                answer.completeExceptionally(countingFailed);
            }
        });
        return answer;
    }

    private static QueueUnavailableException unavailable(GroupCommitEnqueuer.QueueWriteException ex) {
        return new QueueUnavailableException("Redis unreachable: " + ex.getMessage(), ex);
    }

    /** Counts and journals what the queue answered for one delivery. */
    private AcceptResult accepted(Delivery delivery, ResultCode code, long received) {
        OrderEvent e = delivery.event();
        if (code == ResultCode.DUPLICATE) {
            counters.duplicateDropped();
            journal.record(JournalEntry.accepted(e, JournalStage.DUPLICATE, received, delivery.dedupKey()));
            return AcceptResult.DUPLICATE;
        }
        counters.accepted();
        journal.record(JournalEntry.accepted(e, JournalStage.ENQUEUED, received, ""));
        return AcceptResult.QUEUED;
    }

    /** Applies claimed events to the fenced store: a lane's run of events in one store write. */
    private final class Handler implements JobHandler {
        @Override
        public ApplyResult handle(ClaimedJob job, HeldLease lease) {
            OrderEvent event = OrderEventCodec.decode(job.payload());
            if (fault.next()) {
                pauseUntilRevoked(job, lease);
                // The injected stale holder writes straight away, outside the overlap guard: the guard
                // watches live handlers; this write is what fencing must refuse (staleWritesRejected).
                return store.apply(event, job.token(), Thread.currentThread().getName());
            }
            guard.enter(job.orderId());
            try {
                return store.apply(event, job.token(), Thread.currentThread().getName());
            } finally {
                guard.exit(job.orderId());
            }
        }

        /**
         * The run in one store call, up to the event the paused-holder fault picks (every pick pauses:
         * a run applies the events before it, then that event's holder pauses past its lease and writes).
         */
        @Override
        public List<ApplyResult> handleRun(List<ClaimedJob> jobs, HeldLease lease) {
            List<OrderEvent> events = new ArrayList<>(jobs.size());
            for (ClaimedJob job : jobs) {
                if (fault.next()) {
                    List<ApplyResult> out = new ArrayList<>(events.isEmpty() ? List.of() : applyGuarded(events, job));
                    if (out.contains(ApplyResult.REJECTED_FENCE)) {
                        return out;
                    }
                    pauseUntilRevoked(job, lease);
                    // outside the overlap guard, as in handle(): this write is what fencing must refuse
                    out.add(store.apply(OrderEventCodec.decode(job.payload()), job.token(),
                            Thread.currentThread().getName()));
                    return out;
                }
                events.add(OrderEventCodec.decode(job.payload()));
            }
            return applyGuarded(events, jobs.get(0));
        }

        private List<ApplyResult> applyGuarded(List<OrderEvent> events, ClaimedJob job) {
            guard.enter(job.orderId());
            try {
                return store.applyRun(events, job.token(), Thread.currentThread().getName());
            } finally {
                guard.exit(job.orderId());
            }
        }

        @Override
        public boolean handlesRuns() {
            return true;
        }
    }

    /**
     * The paused-holder fault: stop renewing the lease and stall until another party has revoked
     * it (the reaper, after the lease lapses), as a process frozen in a GC pause would. The write
     * that follows carries the old token and must be refused by the store (I6, docs/DESIGN.md, "Invariants").
     */
    private void pauseUntilRevoked(ClaimedJob job, HeldLease lease) {
        lease.freeze();
        log.info("fault: holder of order {} (token {}) pauses past its lease", job.orderId(), job.token());
        long deadline = System.nanoTime() + Duration.ofMillis(queue.leaseMs() * 4 + 2000).toNanos();
        // wakes as soon as Redis has revoked the lease, and writes at once: the store's fence may not
        // be raised yet, but the lane is not handed on until it is (docs/DESIGN.md, "Invariants")
        while (queue.holds(job) && System.nanoTime() < deadline && pool.running()) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    @Override
    public RunCounters counters() {
        return counters;
    }

    /** Lease hold times of this process since the last call, in ms (interval histogram). */
    public org.HdrHistogram.Histogram leaseHoldInterval() {
        return leaseHold.getIntervalHistogram();
    }

    @Override
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        // and no handler of this process still in flight: a revoked (paused) holder may still be on
        // its way to the store after its lane was recovered and finished by another worker
        boolean drained = Drain.await(timeout, () -> queue.stats().drained() && pool.busy() == 0);
        journal.flush();
        return drained;
    }

    @Override
    public void close() {
        enqueuer.close();
        pool.close();
        journal.flush();
    }

    /**
     * The outcome entry of one attempt (docs/DESIGN.md, "Runs and the journal"): its claimed time
     * comes from {@link Listener#claimed}, so one entry covers the attempt.
     */
    private JournalEntry entry(ClaimedJob job, JournalStage stage, String worker, String detail) {
        return entry(job, claimedAt.remove(attemptKey(job)), stage, worker, detail);
    }

    /** As {@link #entry(ClaimedJob, JournalStage, String, String)}, its claim time already taken (null: unknown). */
    private static JournalEntry entry(ClaimedJob job, Long claimed, JournalStage stage, String worker, String detail) {
        String effect = "";
        String topic = "";
        try {
            OrderEvent e = OrderEventCodec.decode(job.payload());
            effect = e.effectId();
            topic = e.topic().wire();
        } catch (RuntimeException ex) {
            detail = detail.isEmpty() ? "undecodable payload" : detail;
        }
        long now = System.currentTimeMillis();
        return new JournalEntry("", job.orderId(), effect, topic, stage, worker, job.token(),
                claimed == null ? now : claimed, now, detail);
    }

    /** One attempt: its lease (holder, token) and job. */
    private static String attemptKey(ClaimedJob job) {
        return job.lease() + "|" + job.jobId();
    }

    /** Counters and journal from the worker pool's lane steps. */
    private final class Listener implements LaneListener {
        @Override
        public void claimed(ClaimedJob job, String worker) {
            if (claimedAt.size() >= MAX_OPEN_ATTEMPTS) {
                claimedAt.clear(); // attempts that never reported an outcome: their entries use the outcome time
            }
            claimedAt.put(attemptKey(job), System.currentTimeMillis());
        }

        @Override
        public void completed(ClaimedJob job, ApplyResult result, String worker) {
            Long claimed = claimedAt.remove(attemptKey(job));
            if (claimed != null) {
                claimToComplete.accept(System.currentTimeMillis() - claimed);
            }
            switch (result) {
                case SKIPPED_STALE -> {
                    counters.skippedStale();
                    journal.record(entry(job, claimed, JournalStage.SKIPPED, worker, "stale: an older event"));
                }
                case ALREADY_APPLIED -> {
                    counters.applied();
                    journal.record(entry(job, claimed, JournalStage.ALREADY_APPLIED, worker, "already applied (re-run)"));
                }
                default -> {
                    counters.applied();
                    journal.record(entry(job, claimed, JournalStage.APPLIED, worker, ""));
                }
            }
        }

        @Override
        public void fenced(ClaimedJob job, String worker) {
            counters.staleWriteRejected();
            journal.record(entry(job, JournalStage.REJECTED, worker, "stale write rejected by fence (token "
                    + job.token() + ")"));
        }

        @Override
        public void leaseLost(ClaimedJob job, String worker) {
            journal.record(entry(job, JournalStage.REJECTED, worker, "lease lost before completion"));
        }

        @Override
        public void retried(ClaimedJob job, String error, int attempts, String worker) {
            counters.retried();
            journal.record(entry(job, JournalStage.RETRIED, worker, "attempt " + attempts + ": " + error));
        }

        @Override
        public void parked(ClaimedJob job, String error, int attempts, String worker) {
            counters.parked();
            journal.record(entry(job, JournalStage.PARKED, worker, "after " + attempts + " attempts: " + error));
        }

        @Override
        public void revoked(long orderId, long fence, String reason) {
            store.raiseFence(orderId, fence);
            journal.record(new JournalEntry(orderId, "", "", JournalStage.RELEASED, "reaper", fence,
                    System.currentTimeMillis(), reason + ": fence raised to " + fence));
        }

        @Override
        public void leaseHeld(long orderId, long millis) {
            leaseHold.recordValue(Math.max(0, millis));
        }
    }
}
