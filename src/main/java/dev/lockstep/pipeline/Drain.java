package dev.lockstep.pipeline;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** How every pipeline waits for its work to drain: a condition polled until true or a timeout. */
public final class Drain {
    private static final long POLL_MILLIS = 20;

    private Drain() {
    }

    /** @return true once {@code drained} held, false when the timeout passed first */
    public static boolean await(Duration timeout, BooleanSupplier drained) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (drained.getAsBoolean()) {
                return true;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return false;
    }
}
