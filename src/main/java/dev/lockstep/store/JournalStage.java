package dev.lockstep.store;

import java.util.HashMap;
import java.util.Map;

/**
 * What one journal entry records (docs/DESIGN.md, "Runs and the journal"): the ingest writes one
 * entry per delivery ({@link #ENQUEUED} or {@link #DUPLICATE}, with the received time as
 * {@link JournalEntry#startedAt()}), a handler one entry per attempt's outcome (with the claimed time
 * as {@code startedAt}); operator and reaper steps are lane entries, an operator's naming who took it
 * ({@link JournalEntry#operator()}).
 */
public enum JournalStage {
    /** Accepted and enqueued; {@code startedAt} = received. */
    ENQUEUED("E", false),
    /** A dedup hit, answered duplicate and never enqueued; {@code startedAt} = received. */
    DUPLICATE("D", false),
    APPLIED("A", true),
    /** A re-run that found its effect in the store already (counts as applied once). */
    ALREADY_APPLIED("AA", true),
    /** Skipped as stale: a guard recognised an older event and left the store as it was. */
    SKIPPED("S", true),
    /** The store refused the write (stale fencing token), or the lease was lost before completion. */
    REJECTED("J", true),
    /** The attempt failed and the event will run again (or the naive-lock mode re-queued it). */
    RETRIED("R", true),
    /** The attempt failed for the last time; the lane waits for an operator. */
    PARKED("P", true),
    /** A lease revoked (reaper) or released (operator); a lane entry. */
    RELEASED("L", false),
    /** An operator skipped a parked head. */
    SKIPPED_BY_OPERATOR("K", false),
    /** An operator retried a parked head (older journals recorded it as a lane {@link #RETRIED}). */
    RETRIED_BY_OPERATOR("KR", false),
    /** An operator paused the lane: no new claims until resumed. */
    PAUSED("KP", false),
    /** An operator resumed a paused lane. */
    RESUMED("KU", false);

    private static final Map<String, JournalStage> BY_CODE = new HashMap<>();

    static {
        for (JournalStage s : values()) {
            BY_CODE.put(s.code, s);
        }
    }

    private final String code;
    private final boolean handlerOutcome;

    JournalStage(String code, boolean handlerOutcome) {
        this.code = code;
        this.handlerOutcome = handlerOutcome;
    }

    /** The short code stored in MongoDB. */
    public String code() {
        return code;
    }

    /** Whether this is the outcome of a handler's attempt ({@code startedAt} is when it was claimed). */
    public boolean handlerOutcome() {
        return handlerOutcome;
    }

    /** The stage of a stored code. @throws IllegalArgumentException for an unknown code */
    public static JournalStage ofCode(String code) {
        JournalStage s = BY_CODE.get(code);
        if (s == null) {
            throw new IllegalArgumentException("unknown journal stage code: " + code);
        }
        return s;
    }
}
