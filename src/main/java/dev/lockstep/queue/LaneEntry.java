package dev.lockstep.queue;

/**
 * One entry of an order's lane: {@code <jobId>|<attempts>|<payload>}, written by {@link #format}
 * (attempts 0, at enqueue) and rewritten by the {@code withAttempts} Lua include when an attempt
 * fails or an operator retries; read back only by {@link #parse}. The payload carries the event, so no job hash exists beside the lane.
 *
 * @param jobId    the job's id (never contains '|')
 * @param attempts failed attempts so far
 * @param payload  the event JSON
 */
public record LaneEntry(String jobId, int attempts, String payload) {

    /** The entry as the lane holds it. */
    public static String format(String jobId, int attempts, String payload) {
        return jobId + "|" + attempts + "|" + payload;
    }

    public static LaneEntry parse(String entry) {
        int a = entry.indexOf('|');
        int b = a < 0 ? -1 : entry.indexOf('|', a + 1);
        if (b < 0) {
            throw new IllegalArgumentException("not a lane entry: '" + entry + "'");
        }
        return new LaneEntry(entry.substring(0, a), Integer.parseInt(entry.substring(a + 1, b)), entry.substring(b + 1));
    }
}
