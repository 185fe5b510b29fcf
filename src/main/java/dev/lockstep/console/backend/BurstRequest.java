package dev.lockstep.console.backend;

import dev.lockstep.burst.BurstSpec;
import dev.lockstep.pipeline.Mode;
import java.util.Objects;

/**
 * The burst an operator asks for in the Burst view. Console-side; the backend maps it to the
 * burst generator's own spec (one place: the backend adapter).
 *
 * @param orders             orders to generate, 1..1,000,000
 * @param eventsPerOrder     events per order (create, paid, updates, fulfilled/cancelled), 1..50
 * @param duplicateRate      share of events delivered twice or more, 0..1
 * @param reorderRate        share of events delivered out of generation order, 0..1
 * @param inFlight           concurrent requests in flight, 1..4096
 * @param mode               the mode that processes the burst (ignored by a compare, which runs all three)
 * @param transport          HTTP or direct
 * @param seed               random seed: the same seed gives the same burst
 * @param pausedHolderFault  inject a paused lock holder (a handler that stalls past its lease, then writes)
 */
public record BurstRequest(int orders, int eventsPerOrder, double duplicateRate, double reorderRate, int inFlight,
                           Mode mode, Transport transport, long seed, boolean pausedHolderFault) {
    public static final int MAX_ORDERS = 1_000_000;
    public static final int MAX_EVENTS_PER_ORDER = 50;
    public static final int MAX_IN_FLIGHT = 4096;

    public BurstRequest {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(transport, "transport");
        check(orders >= 1 && orders <= MAX_ORDERS, "orders must be 1.." + MAX_ORDERS + ", was " + orders);
        check(eventsPerOrder >= 1 && eventsPerOrder <= MAX_EVENTS_PER_ORDER,
                "events per order must be 1.." + MAX_EVENTS_PER_ORDER + ", was " + eventsPerOrder);
        check(duplicateRate >= 0 && duplicateRate <= 1, "duplicate rate must be 0..1, was " + duplicateRate);
        check(reorderRate >= 0 && reorderRate <= 1, "reorder rate must be 0..1, was " + reorderRate);
        check(inFlight >= 1 && inFlight <= MAX_IN_FLIGHT, "in-flight must be 1.." + MAX_IN_FLIGHT + ", was " + inFlight);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Events the burst generates, duplicates not included. */
    public long events() {
        return (long) orders * eventsPerOrder;
    }

    public BurstRequest withMode(Mode m) {
        return new BurstRequest(orders, eventsPerOrder, duplicateRate, reorderRate, inFlight, m, transport, seed,
                pausedHolderFault);
    }

    /** The Burst view's defaults: the shared default burst ({@link BurstSpec#defaults()}, as {@code lockstep burst}). */
    public static BurstRequest defaults() {
        return new BurstRequest(BurstSpec.DEFAULT_ORDERS, BurstSpec.DEFAULT_EVENTS_PER_ORDER,
                BurstSpec.DEFAULT_DUPLICATES, BurstSpec.DEFAULT_REORDER, BurstSpec.DEFAULT_IN_FLIGHT, Mode.LOCKSTEP,
                Transport.HTTP, BurstSpec.DEFAULT_SEED, BurstSpec.DEFAULT_PAUSE_RATE > 0);
    }
}
