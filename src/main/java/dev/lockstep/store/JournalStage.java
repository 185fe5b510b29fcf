package dev.lockstep.store;

/** The steps of one event's life that the per-event journal records (the console's timeline). */
public enum JournalStage {
    RECEIVED, DUPLICATE, ENQUEUED, CLAIMED, APPLIED, SKIPPED, REJECTED, RETRIED, PARKED, RELEASED, SKIPPED_BY_OPERATOR
}
