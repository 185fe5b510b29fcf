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

    /** Escapes glob characters (the braces of hash tags included) for a literal prefix. */
    public static String literal(String prefix) {
        return prefix.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }
}
