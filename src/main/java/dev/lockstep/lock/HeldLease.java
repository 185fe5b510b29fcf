package dev.lockstep.lock;

import dev.lockstep.queue.ClaimedJob;

/**
 * A lease this process holds on one lane, as the watchdog sees it. The job changes when the lane
 * continues with its next event under a fresh token; {@code lost} is set when a renewal found the
 * lease gone (released, reaped, re-claimed), {@code frozen} stops renewals (a paused holder, for the
 * fault injector).
 */
public final class HeldLease {
    private volatile ClaimedJob job;
    private volatile boolean lost;
    private volatile boolean frozen;
    private final long since = System.currentTimeMillis();

    public HeldLease(ClaimedJob job) {
        this.job = job;
    }

    public ClaimedJob job() {
        return job;
    }

    synchronized void moveTo(ClaimedJob next) {
        this.job = next;
        this.lost = false;
    }

    public boolean lost() {
        return lost;
    }

    /** Marks the lease lost if it is still on {@code checked}'s token. @return whether it was marked */
    synchronized boolean markLostIfStill(ClaimedJob checked) {
        if (job.token() != checked.token()) {
            return false;
        }
        lost = true;
        return true;
    }

    public boolean frozen() {
        return frozen;
    }

    /** Stops renewing this lease, as if its holder's process were paused. */
    public void freeze() {
        frozen = true;
    }

    /** Epoch millis the lane was first claimed by this holder. */
    public long since() {
        return since;
    }
}
