package dev.lockstep.pipeline;

import java.time.Duration;

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
