package dev.lockstep.pipeline;

import java.util.Locale;

/** The three processing modes of the before/after demo (docs/DESIGN.md, "Processing modes"). */
public enum Mode {
    /** No queue: each webhook runs its read-modify-write handler at once on its own thread. */
    UNSAFE,
    /**
     * The article's patterns as written (docs/DESIGN.md, "The article"): global FIFO, SET NX EX lock,
     * DEL in finally, GETDEL+SETEX dedup.
     */
    SEED,
    /** Serialized per-order lanes with atomic dedup, fencing and idempotent writes. */
    LOCKSTEP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + s + "' (expected unsafe, seed or lockstep)", e);
        }
    }
}
