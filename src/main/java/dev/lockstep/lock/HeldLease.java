package dev.lockstep.lock;

import dev.lockstep.queue.ClaimedJob;

/**
 * A lease this process holds on one lane, as the watchdog sees it. One lease covers every event the
 * holder runs from the lane (same member, same token) until the lane is empty, handed on or lost.
 * {@code lost} is set when a renewal found the lease gone (released, reaped, revoked) while the
 * holder was still working on it; {@code finishing} marks the moments its completion is on the way
 * to Redis, when the script may end the lease legitimately; {@code frozen} stops renewals (the paused
 * holder of the fault injector).
 */
public final class HeldLease {
    private final ClaimedJob first;
    private final long since = System.currentTimeMillis();
    private volatile long renewedNanos = System.nanoTime();
    private volatile boolean lost;
    private volatile boolean finishing;
    private volatile boolean frozen;

    public HeldLease(ClaimedJob first) {
        this.first = first;
    }

    /** The lease member, as the leases zset holds it. */
    public String member() {
        return first.lease();
    }

    public int partition() {
        return first.partition();
    }

    public long orderId() {
        return first.orderId();
    }

    public long token() {
        return first.token();
    }

    public boolean lost() {
        return lost;
    }

    void markLost() {
        lost = true;
    }

    public boolean finishing() {
        return finishing;
    }

    /** The holder's completion is on its way; a renewal that finds the lease gone now is not a loss. */
    public void finishing(boolean value) {
        finishing = value;
    }

    /** The watchdog extended the lease (or it was just taken): it lasts a lease from now. */
    void renewed(long atNanos) {
        renewedNanos = atNanos;
    }

    /**
     * Whether this holder must not start another of the lane's events: its lease is lost, frozen (the
     * paused-holder fault), or past a lease since its last renewal by this process's clock — so a
     * holder that overran its lease stops before the watchdog tells it, even if the reaper is faster.
     */
    public boolean mayNotContinue(long leaseMs) {
        return lost || frozen || System.nanoTime() - renewedNanos > java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(leaseMs);
    }

    public boolean frozen() {
        return frozen;
    }

    public void freeze() {
        frozen = true;
    }

    /** Epoch millis this process took the lease. */
    public long since() {
        return since;
    }
}
