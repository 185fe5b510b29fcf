package dev.lockstep.queue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs the queue's Lua scripts: sources are read and SHA'd once; calls go by EVALSHA and, on
 * NOSCRIPT (a restarted Redis, a new cluster node), the script is loaded on the node that owns the
 * call's first key and the call is retried once.
 */
public final class ScriptRunner {
    private final UnifiedJedis redis;
    private final Map<LuaScript, String> sources = new EnumMap<>(LuaScript.class);
    private final Map<LuaScript, String> shas = new EnumMap<>(LuaScript.class);

    public ScriptRunner(UnifiedJedis redis) {
        this.redis = redis;
        for (LuaScript s : LuaScript.values()) {
            String src = ScriptSource.read(s.resource());
            sources.put(s, src);
            shas.put(s, sha1Hex(src));
        }
    }

    /** The full text sent to Redis (includes inlined). */
    public String source(LuaScript script) {
        return sources.get(script);
    }

    public Object run(LuaScript script, List<String> keys, List<String> args) {
        if (keys.size() != script.numKeys()) {
            throw new IllegalArgumentException(script + " takes " + script.numKeys() + " keys, got " + keys.size());
        }
        String sha = shas.get(script);
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            redis.scriptLoad(sources.get(script), keys.get(0));
            return redis.evalsha(sha, keys, args);
        }
    }

    private static String sha1Hex(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
