package dev.lockstep.burst;

import java.util.List;

/** Fires a burst's deliveries with real concurrency, into a pipeline directly or over HTTP. */
public interface Firer {

    /**
     * Fires every delivery, at most {@code inFlight} at once, and returns when all were answered.
     *
     * @param progress told about every answer; may be called from many threads
     */
    FireStats fire(List<WebhookDelivery> deliveries, int inFlight, ProgressListener progress) throws InterruptedException;

    /** Receives progress of a running burst. */
    @FunctionalInterface
    interface ProgressListener {
        void answered(long done, long total);

        ProgressListener NONE = (done, total) -> { };
    }
}
