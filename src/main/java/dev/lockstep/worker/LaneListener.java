package dev.lockstep.worker;

import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.store.ApplyResult;

/** What the worker pool tells its owner about each lane step (counters, journal). All default no-ops. */
public interface LaneListener {

    default void claimed(ClaimedJob job, String worker) {
    }

    /** The job's result was committed: it left its lane. Called exactly once per accepted job. */
    default void completed(ClaimedJob job, ApplyResult result, String worker) {
    }

    /** The store refused the write: this holder's lease was revoked (I6, docs/DESIGN.md, "Invariants"). */
    default void fenced(ClaimedJob job, String worker) {
    }

    /** The job's lease was lost before it completed; the new holder will run it again. */
    default void leaseLost(ClaimedJob job, String worker) {
    }

    default void retried(ClaimedJob job, String error, int attempts, String worker) {
    }

    default void parked(ClaimedJob job, String error, int attempts, String worker) {
    }

    /**
     * A lane was revoked (its lease expired, an operator or a shutdown released it, or its handler
     * overran its deadline) under a new fence. Raise the store's fence to {@code fence} here: the lane
     * is handed on only after this returns, so no new holder starts while the revoked one can still
     * write. Throwing leaves the revocation for the next reaper pass.
     */
    default void revoked(long orderId, long fence, String reason) {
    }

    /** How long a lease was held, from claim to leaving the lane. */
    default void leaseHeld(long orderId, long millis) {
    }
}
