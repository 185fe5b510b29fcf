package dev.lockstep.worker;

import dev.lockstep.lock.HeldLease;
import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.store.ApplyResult;
import java.util.List;

/** Applies claimed jobs. Throwing means the attempt failed: the job is retried in place or parked. */
@FunctionalInterface
public interface JobHandler {
    ApplyResult handle(ClaimedJob job, HeldLease lease) throws Exception;

    /**
     * Applies a run of one lane's jobs (its head first) in one call; called only when
     * {@link #handlesRuns()}. The outcomes are those of the first jobs, at least one, in order; a
     * {@link ApplyResult#REJECTED_FENCE} ends them. A throw fails the run as a whole: the pool runs
     * its jobs again one by one, so a failing job is retried or parked alone.
     */
    default List<ApplyResult> handleRun(List<ClaimedJob> jobs, HeldLease lease) throws Exception {
        throw new UnsupportedOperationException("this handler applies one job per call");
    }

    /** Whether {@link #handleRun} applies a run cheaper than one {@link #handle} call per job. */
    default boolean handlesRuns() {
        return false;
    }
}
