package dev.lockstep.pipeline;

/** The queue's backing store could not be reached; nothing was enqueued (ingest answers 503). */
public class QueueUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
