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

    /** The reaper revoked an expired lease and bumped the order's fence. */
    default void reaped(long orderId, long newFence) {
    }

    /** How long a lease was held, from claim to leaving the lane. */
    default void leaseHeld(long orderId, long millis) {
    }
}
