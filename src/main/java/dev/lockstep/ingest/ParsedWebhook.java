package dev.lockstep.ingest;

/** The outcome of parsing one webhook request: a {@link ValidWebhook} or a {@link Rejection}. */
public sealed interface ParsedWebhook permits ValidWebhook, Rejection {
}
