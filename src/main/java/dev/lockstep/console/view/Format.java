package dev.lockstep.console.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the console writes numbers, durations and times: one style everywhere. */
public final class Format {
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

    private Format() {
    }

    /** 12,345 */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 1,234/s, 12.5/s, 0/s */
    public static String rate(double perSecond) {
        if (perSecond >= 100 || perSecond == 0) {
            return String.format(Locale.ROOT, "%,.0f/s", perSecond);
        }
        return String.format(Locale.ROOT, "%.1f/s", perSecond);
    }

    /** 850 ms, 4.2 s, 3 min 05 s */
    public static String millis(double ms) {
        if (ms < 0) {
            return "—";
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000);
        }
        long s = Math.round(ms / 1000);
        return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }

    /**
     * A span measured in whole milliseconds (held for, lease left, parked for), in one style at every
     * size: 0 ms, 14 ms, 850 ms, 4.2 s, 3 min 05 s — never "0.0 ms" beside "14 ms".
     */
    public static String duration(long ms) {
        return ms >= 0 && ms < 1000 ? String.format(Locale.ROOT, "%d ms", ms) : millis(ms);
    }

    /** 14:03:22.118 in the local zone */
    public static String clock(long epochMillis) {
        return epochMillis <= 0 ? "—" : CLOCK.format(Instant.ofEpochMilli(epochMillis));
    }

    /** 12.5 % */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }

    /** 1,234.5 */
    public static String decimal(double d) {
        return String.format(Locale.ROOT, "%,.1f", d);
    }
}
