package dev.lockstep.pipeline;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A processing mode end to end: accepts deliveries (the ingest's and the direct burst's one entry
 * point) and runs the handlers that apply them to the mode's store.
 */
public interface Pipeline extends AutoCloseable {

    Mode mode();

    /** Starts the workers. Idempotent. */
    void start();

    /**
     * Accepts one delivery. Returns only once the event is durably enqueued (or found to be a
     * duplicate); throws {@link QueueUnavailableException} when that could not be done, in which
     * case nothing was enqueued.
     */
    AcceptResult accept(Delivery delivery);

    /**
     * {@link #accept} without holding the caller's thread while the event is enqueued: the future
     * completes once it is durably enqueued (or found a duplicate), or exceptionally with a
     * {@link QueueUnavailableException} when that could not be done. The ingest answers from it. By
     * default it is {@link #accept}, run on the caller's thread.
     */
    default CompletableFuture<AcceptResult> acceptAsync(Delivery delivery) {
        try {
            return CompletableFuture.completedFuture(accept(delivery));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Live counters of this pipeline since it was created. */
    RunCounters counters();

    /**
     * Waits until every accepted event has been handled (or parked), or the timeout passes.
     *
     * @return true when drained
     */
    boolean awaitDrained(Duration timeout) throws InterruptedException;

    /** Stops claiming, finishes or hands back in-flight work, releases resources. */
    @Override
    void close();
}
