package dev.lockstep.cli;

import java.util.Locale;

/** Checks of flag values the commands make before anything starts; a refusal names the flag. */
final class Flags {
    private Flags() {
    }

    /** Refuses a value out of {@code min..max}, naming the flag (exit code 2 through Main's handler). */
    static void within(String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be within %d..%d, not %d",
                    flag, min, max, value));
        }
    }
}
