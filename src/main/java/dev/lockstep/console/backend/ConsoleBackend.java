package dev.lockstep.console.backend;

import dev.lockstep.fleet.WorkerInfo;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.queue.ParkedLane;
import dev.lockstep.queue.PausedLane;
import dev.lockstep.queue.QueueStats;
import java.util.List;

/**
 * Everything the console reads and does, in one place, so the console can run against the
 * embedded stack, against servers it did not start, or against an in-memory simulation in tests.
 *
 * <p>The console calls every method off the event dispatch thread: reads from its poller (about
 * four times a second), actions from a background executor. Implementations must be thread-safe,
 * should answer reads quickly (O(1) counters, bounded lists) and may throw a
 * {@link RuntimeException} when a server is unreachable: the console shows the error and keeps
 * polling.
 */
public interface ConsoleBackend extends AutoCloseable {

    /** Endpoints, health, worker threads, current mode and ingest URL (the status bar). May do network round trips. */
    EnvironmentInfo environment();

    /** The queue's O(1) counters ({@code dev.lockstep.queue.QueueAdmin#stats}). */
    QueueStats queueStats();

    /** Cumulative counters of the pipeline of the current mode; the console turns deltas into rates. */
    RunCounters.Snapshot counters();

    /** Held order locks, longest held first, at most {@code limit} ({@code QueueAdmin#leases}). */
    List<LeaseInfo> leases(int limit);

    /** Parked lanes, oldest first, at most {@code limit} ({@code QueueAdmin#parked}). */
    List<ParkedLane> parked(int limit);

    /** Lanes an operator paused, longest paused first, at most {@code limit} ({@code QueueAdmin#paused}). */
    List<PausedLane> paused(int limit);

    /**
     * The processes working this queue, from their heartbeats (docs/DESIGN.md, "The fleet"), by id:
     * headless workers and consoles running workers, this one included while its workers run.
     */
    List<WorkerInfo> workers();

    /** This console's own worker id in {@link #workers()} while its workers run, else empty. */
    String workerId();

    /**
     * The command that starts a headless worker on the servers this console uses, passwords masked
     * ({@link WorkerStartCommand}); it changes only with the configuration, so it may be cached.
     */
    String workerStartCommand();

    /** Lease hold times of recently completed leases (a sliding window the backend chooses). */
    LeaseHoldTimes leaseHoldTimes();

    /**
     * The latest duplicate deliveries, newest first, at most {@code limit}. Build them from the
     * journal's {@code DUPLICATE} (and {@code RECEIVED}) entries with {@link DuplicateInfo#fromJournal}.
     */
    List<DuplicateInfo> latestDuplicates(int limit);

    /**
     * Releases a held lock the safe way ({@code QueueAdmin#release}: bump the fence in Redis and in
     * the store, hand the lane back). @return the new fencing token, or -1 when the order held no lease
     */
    long release(long orderId);

    /**
     * Pauses an order's lane ({@code QueueAdmin#pause}): no new claims; its holder finishes the events it
     * has taken. @return when it was paused (epoch ms), earlier when it was paused already
     */
    long pause(long orderId);

    /** {@code QueueAdmin#resume}. @return false if the lane was not paused */
    boolean resume(long orderId);

    /** {@code QueueAdmin#retryHead}. @return false if the lane was not parked */
    boolean retryHead(long orderId);

    /** {@code QueueAdmin#skipHead}. @return false if the lane was not parked */
    boolean skipHead(long orderId);

    /**
     * One order in one mode and one run: the run's journal entries of the order (oldest first), the
     * runs that have entries of it, and its stored documents with their history.
     *
     * @param runId the run to show; null (or a run without this order) shows the order's latest run
     */
    OrderTimeline timeline(Mode mode, long orderId, String runId);

    /** {@link #timeline(Mode, long, String)} of the order's latest run. */
    default OrderTimeline timeline(Mode mode, long orderId) {
        return timeline(mode, orderId, null);
    }

    /**
     * Starts a burst in the background and returns at once; its progress shows in {@link #runProgress()}
     * and its audited result joins {@link #runs()} when it ends.
     *
     * @throws IllegalStateException when a burst or compare is already running
     */
    void startBurst(BurstRequest request);

    /**
     * Starts a full compare in the background: the same burst (same seed) once in each mode, one
     * after the other, each audited. Returns at once.
     *
     * @throws IllegalStateException when a burst or compare is already running
     */
    void startCompare(BurstRequest request);

    /** Stops the running burst or compare (firing stops; what was accepted is still processed). No-op when idle. */
    void stopRun();

    /** Progress of the running (or last) burst or compare. */
    RunProgress runProgress();

    /** The audited runs kept (those of earlier sessions too, up to {@code runs.retain}), oldest first. */
    List<RunResult> runs();

    /**
     * Deletes the kept runs: their reports and their journal entries (not the stored orders).
     *
     * @throws IllegalStateException while a burst or compare runs
     */
    void clearRuns();

    /** Releases what the backend holds. The console calls it once, off the EDT, when its window closes. */
    @Override
    default void close() {
    }
}
