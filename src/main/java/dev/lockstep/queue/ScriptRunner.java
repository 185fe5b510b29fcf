package dev.lockstep.queue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs the queue's Lua scripts: sources are read and SHA'd once; calls go by EVALSHA and, on
 * NOSCRIPT (a restarted Redis, a new cluster node), the script is loaded on the node that owns the
 * call's first key and the call is retried once. Pipelined calls ({@link #queue}, {@link #answer})
 * are retried the same way, one by one: a call refused with NOSCRIPT did not run.
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

    /** A script call sent in a pipeline, with what is needed to send it again. */
    public record Pending(Response<Object> reply, LuaScript script, List<String> keys, List<String> args) {
    }

    /** Queues a call in a pipeline; read its answer with {@link #answer} after the pipeline's sync. */
    public Pending queue(AbstractPipeline pipeline, LuaScript script, List<String> keys, List<String> args) {
        if (keys.size() != script.numKeys()) {
            throw new IllegalArgumentException(script + " takes " + script.numKeys() + " keys, got " + keys.size());
        }
        return new Pending(pipeline.evalsha(shas.get(script), keys, args), script, keys, args);
    }

    /** The answer of a pipelined call; a NOSCRIPT refusal loads the script and runs the call again. */
    public Object answer(Pending pending) {
        try {
            return pending.reply().get();
        } catch (JedisDataException e) {
            if (!(e instanceof JedisNoScriptException) && !String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
                throw e;
            }
            redis.scriptLoad(sources.get(pending.script()), pending.keys().get(0));
            return redis.evalsha(shas.get(pending.script()), pending.keys(), pending.args());
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
