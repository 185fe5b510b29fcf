package dev.lockstep.worker;

import dev.lockstep.lock.HeldLease;
import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.store.ApplyResult;

/** Applies one claimed job. Throwing means the attempt failed: the job is retried in place or parked. */
@FunctionalInterface
public interface JobHandler {
    ApplyResult handle(ClaimedJob job, HeldLease lease) throws Exception;
}
