package dev.lockstep.pipeline;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/** The three processing modes of the before/after demo (docs/DESIGN.md, "Processing modes"). */
public enum Mode {
    /** No queue: each webhook runs its read-modify-write handler at once on its own thread. */
    UNSAFE,
    /**
     * The article's patterns as written (docs/DESIGN.md, "The article"): global FIFO, SET NX EX lock,
     * DEL in finally, GETDEL+SETEX dedup. Called {@code seed} before, a name easily taken for the
     * burst's random seed; {@link #parse} still takes it.
     */
    NAIVE_LOCK,
    /** Serialized per-order lanes with atomic dedup, fencing and idempotent writes. */
    LOCKSTEP;

    /** The name before {@link #NAIVE_LOCK}; accepted with a deprecation note. */
    static final String FORMER_NAIVE_LOCK = "seed";
    private static final AtomicBoolean FORMER_NAME_NOTED = new AtomicBoolean();

    /** The mode's name on the command line, in reports and in the console: {@code unsafe}, {@code naive-lock}, {@code lockstep}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Mode parse(String s) {
        String id = s.trim().toLowerCase(Locale.ROOT);
        if (id.equals(FORMER_NAIVE_LOCK)) {
            if (FORMER_NAME_NOTED.compareAndSet(false, true)) {
                LoggerFactory.getLogger(Mode.class).warn("mode 'seed' is now called 'naive-lock'; the old name is"
                        + " deprecated and will go");
            }
            return NAIVE_LOCK;
        }
        for (Mode m : values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + s + "' (expected unsafe, naive-lock or lockstep)");
    }
}
