package dev.lockstep.queue;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Deletes keys by pattern with SCAN (never KEYS). For resets between demo runs and tests, not the data path. */
public final class KeyPurge {
    private KeyPurge() {
    }

    /**
     * @param pattern a SCAN MATCH pattern; on Redis Cluster it must pin one slot with a hash tag
     * @return keys deleted
     */
    public static long deleteMatching(UnifiedJedis redis, String pattern) {
        ScanParams params = new ScanParams().match(pattern).count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        long deleted = 0;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            if (!page.getResult().isEmpty()) {
                deleted += redis.del(page.getResult().toArray(new String[0]));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return deleted;
    }

    /**
     * Escapes the glob characters of a literal prefix (backslash, {@code * ? [ ]}). Braces are not glob
     * characters in Redis and stay as they are: on Redis Cluster the client routes a SCAN by the
     * pattern's hash tag, and a pattern with escaped braces would name the slot of the tag's content plus a backslash — another
     * master, whose keys are not the partition's.
     */
    public static String literal(String prefix) {
        return prefix.replaceAll("([\\\\*?\\[\\]])", "\\\\$1");
    }
}
