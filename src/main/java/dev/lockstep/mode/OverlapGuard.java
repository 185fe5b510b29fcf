package dev.lockstep.mode;

import dev.lockstep.pipeline.RunCounters;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-handler guard that sees two handlers of one order running at once (an I1 violation, docs/DESIGN.md, "Invariants").
 * Handlers call {@link #enter} first and {@link #exit} in finally.
 */
public final class OverlapGuard {
    private final ConcurrentHashMap<Long, Integer> running = new ConcurrentHashMap<>();
    private final RunCounters counters;

    public OverlapGuard(RunCounters counters) {
        this.counters = counters;
    }

    /** @return true when another handler of this order was already running */
    public boolean enter(long orderId) {
        int now = running.merge(orderId, 1, Integer::sum);
        if (now > 1) {
            counters.overlap();
            return true;
        }
        return false;
    }

    public void exit(long orderId) {
        running.computeIfPresent(orderId, (k, v) -> v == 1 ? null : v - 1);
    }
}
