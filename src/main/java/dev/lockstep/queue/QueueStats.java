package dev.lockstep.queue;

/**
 * O(1) counters of a queue, summed over its partitions; kept by the Lua scripts themselves.
 *
 * @param waiting         jobs enqueued and not yet completed (all lanes, leased heads included)
 * @param readyLanes      lanes waiting for a worker
 * @param leasedLanes     lanes a worker holds right now
 * @param delayedLanes    lanes waiting out a retry backoff
 * @param parkedLanes     lanes parked for an operator
 * @param enqueued        jobs ever enqueued
 * @param completed       jobs ever completed
 * @param dedupHits       deliveries dropped as duplicates
 * @param stallsRecovered expired leases recovered by the reaper
 * @param retries         retries in place
 * @param released        leases released by an operator
 */
public record QueueStats(long waiting, long readyLanes, long leasedLanes, long delayedLanes, long parkedLanes,
                         long enqueued, long completed, long dedupHits, long stallsRecovered, long retries,
                         long released) {
    public static final QueueStats EMPTY = new QueueStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * No lane is ready, leased or waiting out a backoff: all that is left waits in parked lanes, or
     * in lanes an operator paused (held back out of the ready list).
     */
    public boolean drained() {
        return readyLanes == 0 && leasedLanes == 0 && delayedLanes == 0;
    }
}
