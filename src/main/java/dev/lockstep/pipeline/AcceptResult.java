package dev.lockstep.pipeline;

/** What a pipeline did with a delivery. Both answer 2xx; a failure to enqueue is an exception. */
public enum AcceptResult {
    /** Durably enqueued (or, in {@code unsafe}, handed to a handler thread). */
    QUEUED,
    /** A dedup hit: counted, never enqueued. */
    DUPLICATE
}
