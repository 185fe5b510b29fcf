package dev.lockstep.queue;

/** The first element of every queue script's answer (negative codes are refusals). */
public enum ResultCode {
    QUEUED(1),
    DUPLICATE(2),
    DONE(3),
    CONTINUE(4),
    HANDED_ON(5),
    RETRY_SCHEDULED(6),
    PARKED(7),
    RELEASED(8),
    RESUMED(9),
    SKIPPED(10),
    /** A completion whose first call ran but whose reply was lost: the retry recognised it. */
    COMPLETED_EARLIER(11),
    /** A lane paused by an operator (pause-1.lua), or a completion whose paused lane now waits for resume. */
    PAUSED(12),
    NOT_HELD(-1),
    LOCK_MISMATCH(-2),
    NOT_HEAD(-3),
    NOT_PARKED(-4),
    NOT_PAUSED(-5);

    private final int code;

    ResultCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ResultCode of(Object first) {
        long c = ((Number) first).longValue();
        for (ResultCode r : values()) {
            if (r.code == c) {
                return r;
            }
        }
        throw new IllegalStateException("unknown script result code " + c);
    }
}
