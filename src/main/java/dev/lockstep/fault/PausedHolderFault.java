package dev.lockstep.fault;

import java.util.SplittableRandom;

/**
 * The "paused holder" fault: now and then a handler stalls past its lock's TTL, as a process does
 * in a long GC pause or a frozen VM. Which jobs pause is drawn from a seeded random, so a run is
 * repeatable. Rate 0 never pauses.
 */
public final class PausedHolderFault {
    public static final PausedHolderFault NONE = new PausedHolderFault(0, 0, 0);

    private final double rate;
    private final SplittableRandom random;
    private final int maxPauses;
    private int pauses;

    /**
     * @param rate      chance that one handled job pauses
     * @param seed      random seed
     * @param maxPauses upper bound of pauses in one run (keeps a demo run short)
     */
    public PausedHolderFault(double rate, long seed, int maxPauses) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("pause rate must be within 0..1: " + rate);
        }
        this.rate = rate;
        this.random = new SplittableRandom(seed);
        this.maxPauses = maxPauses;
    }

    public boolean enabled() {
        return rate > 0 && maxPauses > 0;
    }

    /** Whether the next job pauses. */
    public synchronized boolean next() {
        if (!enabled() || pauses >= maxPauses) {
            return false;
        }
        if (random.nextDouble() < rate) {
            pauses++;
            return true;
        }
        return false;
    }

    public synchronized int pauses() {
        return pauses;
    }
}
