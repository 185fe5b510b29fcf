package dev.lockstep.store;

/** What applying one event to the store did. */
public enum ApplyResult {
    /** The store changed (state, fields and/or stock). */
    APPLIED,
    /** A guard saw an older event (older source updated_at, lower rank, or terminal order) and left the store as it was. */
    SKIPPED_STALE,
    /** This event's effect was already applied (a re-run or a duplicate); nothing changed again. */
    ALREADY_APPLIED,
    /** The writer's fencing token is older than the store's: a revoked or expired holder (I6, docs/DESIGN.md, "Invariants"). Nothing changed. */
    REJECTED_FENCE;

    /** Whether the event counts as handled (applied or knowingly skipped). */
    public boolean handled() {
        return this == APPLIED || this == SKIPPED_STALE || this == ALREADY_APPLIED;
    }
}
