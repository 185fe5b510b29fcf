package dev.lockstep.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Run ids (docs/DESIGN.md, "Runs and the journal"): {@code r-20261130-093512-3} for a burst or one
 * mode's run of a compare, {@code c-20261130-093512-4} for a compare (its runs carry it as their
 * compare id), {@code live-20261130} for the events that arrived outside any run on that day (UTC).
 * The time is UTC, the last number counts the ids this process made, so ids sort by when they began.
 */
public final class RunIds {
    /** The prefix of the live runs (events an outside webhook sent, not a burst). */
    public static final String LIVE_PREFIX = "live-";
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final Pattern VALID = Pattern.compile("(r|c)-\\d{8}-\\d{6}-\\d{1,9}|live-\\d{8}");
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** Newest first: by the time in the id, then by its number. */
    public static final Comparator<String> NEWEST_FIRST = Comparator.comparing(RunIds::sortKey).reversed();

    private RunIds() {
    }

    /** A new run id, {@code r-<yyyyMMdd-HHmmss>-<n>}. */
    public static String next() {
        return "r-" + SECOND.format(Instant.now()) + "-" + SEQ.incrementAndGet();
    }

    /** A new compare id, {@code c-<yyyyMMdd-HHmmss>-<n>}. */
    public static String nextCompare() {
        return "c-" + SECOND.format(Instant.now()) + "-" + SEQ.incrementAndGet();
    }

    /** The live run of the (UTC) day of {@code epochMillis}. */
    public static String live(long epochMillis) {
        return LIVE_PREFIX + DAY.format(Instant.ofEpochMilli(epochMillis));
    }

    public static boolean isLive(String runId) {
        return runId.startsWith(LIVE_PREFIX);
    }

    /** Whether {@code id} is a run or compare id this class makes (safe as part of a collection name). */
    public static boolean valid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** {@code yyyyMMdd-HHmmss-nnnnnnnnn}: sorts ids by when they began (a live day sorts at its midnight). */
    static String sortKey(String id) {
        if (isLive(id)) {
            return id.substring(LIVE_PREFIX.length()) + "-000000-000000000";
        }
        String[] p = id.split("-");
        if (p.length != 4) {
            return id;
        }
        return p[1] + "-" + p[2] + "-" + "0".repeat(Math.max(0, 9 - p[3].length())) + p[3];
    }
}
