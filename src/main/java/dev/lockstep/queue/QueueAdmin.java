package dev.lockstep.queue;

import java.util.List;

/** What an operator sees and does: live counters, held locks, parked lanes, and the manual controls. */
public interface QueueAdmin {

    QueueStats stats();

    /** Held leases, longest held first, at most {@code limit}. */
    List<LeaseInfo> leases(int limit);

    /** Parked lanes, oldest first, at most {@code limit}. */
    List<ParkedLane> parked(int limit);

    /**
     * Releases a held lease the safe way: bumps the order's fence (in Redis and in the store, so the
     * old holder's late write is rejected) and hands the lane back to ready. Nothing is lost: the
     * head event stays in the lane and runs again under the new holder.
     *
     * @return the new fence token, or -1 when the order held no lease
     */
    long release(long orderId);

    /** Puts a parked lane back to ready with its head's attempts reset. @return false if not parked */
    boolean retryHead(long orderId);

    /** Paused lanes, longest paused first, at most {@code limit}. */
    List<PausedLane> paused(int limit);

    /**
     * Pauses an order's lane: no new claims; a holder finishes the events it has taken and the lane
     * is not claimed again until {@link #resume}. @return when it was paused (epoch ms)
     */
    long pause(long orderId);

    /** Lets a paused lane be claimed again. @return false if it was not paused */
    boolean resume(long orderId);

    /** Drops a parked lane's head event (recorded in the journal) and resumes the lane. @return false if not parked */
    boolean skipHead(long orderId);
}
