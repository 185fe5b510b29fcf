package dev.lockstep.queue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Runs the queue's Lua scripts: sources are read and SHA'd once; calls go by EVALSHA and, on
 * NOSCRIPT (a restarted Redis, a new cluster node, a redirection to a master that never ran it), the
 * script is loaded on every node and the call is retried once. Pipelined calls ({@link #queue}, {@link #answer})
 * are retried the same way, one by one: a call refused with NOSCRIPT did not run.
 *
 * <p>On Redis Cluster a call can also be refused while its slot moves: MOVED or ASK (the pipeline
 * does not follow them; a single call does), TRYAGAIN (some declared keys moved, some not yet),
 * CLUSTERDOWN, or a script's own read of a key no longer on the node. Every script declares the keys
 * it writes and reads any other key before its first write (docs/DESIGN.md, "Redis Cluster"), so a
 * refused call wrote nothing: it is sent again, alone (following redirections), with a short
 * backoff, for at most {@link #CLUSTER_RETRY_MS}.
 */
public final class ScriptRunner {
    private final UnifiedJedis redis;
    private final Map<LuaScript, String> sources = new EnumMap<>(LuaScript.class);
    private final Map<LuaScript, String> shas = new EnumMap<>(LuaScript.class);
    private final java.util.concurrent.atomic.AtomicLong slotMoveRefusals = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Whether calls send every key they declare (Redis Cluster routes and checks them) or only the
     * keys a script names by index: on one Redis nothing is routed, and the other keys would only
     * add bytes to every call (and reads the scripts make before their first write when declared).
     */
    private final boolean declareAllKeys;

    /** Declares every key on Redis Cluster, only the indexed ones on one Redis. */
    public ScriptRunner(UnifiedJedis redis) {
        this(redis, onCluster(redis));
    }

    public ScriptRunner(UnifiedJedis redis, boolean declareAllKeys) {
        this.declareAllKeys = declareAllKeys;
        this.redis = redis;
        for (LuaScript s : LuaScript.values()) {
            String src = ScriptSource.read(s.resource());
            sources.put(s, src);
            shas.put(s, sha1Hex(src));
        }
    }

    /** Whether {@code redis} is a Redis Cluster client. */
    public static boolean onCluster(UnifiedJedis redis) {
        return redis instanceof redis.clients.jedis.RedisClusterClient || redis instanceof redis.clients.jedis.JedisCluster;
    }

    /** The keys a call sends: all it declares on a cluster, the indexed ones otherwise. */
    private List<String> sent(LuaScript script, List<String> keys) {
        return declareAllKeys || keys.size() == script.numKeys() ? keys : keys.subList(0, script.numKeys());
    }

    /** Calls Redis Cluster refused while a slot moved, each sent again (since this runner was made). */
    public long slotMoveRefusals() {
        return slotMoveRefusals.get();
    }

    /** The full text sent to Redis (includes inlined). */
    public String source(LuaScript script) {
        return sources.get(script);
    }

    /** How long a call refused by a cluster in migration is sent again before the refusal is thrown. */
    static final long CLUSTER_RETRY_MS = 10_000;

    public Object run(LuaScript script, List<String> declared, List<String> args) {
        checkKeys(script, declared);
        List<String> keys = sent(script, declared);
        long giveUpAt = System.nanoTime() + CLUSTER_RETRY_MS * 1_000_000;
        long backoff = 5;
        while (true) {
            try {
                return runOnce(script, keys, args);
            } catch (JedisDataException e) {
                if (!refusedWhileSlotMoves(e) || System.nanoTime() - giveUpAt > 0) {
                    throw e;
                }
                slotMoveRefusals.incrementAndGet();
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while " + script + " waited for a slot migration", ie);
            }
            backoff = Math.min(backoff * 2, 200);
        }
    }

    private Object runOnce(LuaScript script, List<String> keys, List<String> args) {
        String sha = shas.get(script);
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisDataException e) {
            if (!refusedForNoScript(e)) {
                throw e;
            }
            loadEverywhere(script);
            return redis.evalsha(sha, keys, args);
        }
    }

    /**
     * Loads a script on every node: on Redis Cluster a call can be redirected (ASK, MOVED) to a
     * master that has never run it, so loading it only where the first key's slot is owned is not
     * enough. On one Redis this is one SCRIPT LOAD.
     */
    private void loadEverywhere(LuaScript script) {
        redis.scriptLoad(sources.get(script));
    }

    private static boolean refusedForNoScript(JedisDataException e) {
        return e instanceof JedisNoScriptException || String.valueOf(e.getMessage()).startsWith("NOSCRIPT");
    }

    /**
     * Whether Redis Cluster refused the call before it wrote anything, as a slot moved between
     * masters: worth sending again. Not a script's own error, nor a lost connection.
     */
    static boolean refusedWhileSlotMoves(JedisDataException e) {
        if (e instanceof JedisRedirectionException) {
            return true;
        }
        String m = String.valueOf(e.getMessage());
        return m.startsWith("TRYAGAIN") || m.startsWith("CLUSTERDOWN") || m.startsWith("MOVED") || m.startsWith("ASK ")
                || m.contains("Script attempted to access a non local key");
    }

    private static void checkKeys(LuaScript script, List<String> keys) {
        if (keys.size() < script.numKeys()) {
            throw new IllegalArgumentException(script + " takes at least " + script.numKeys() + " keys, got " + keys.size());
        }
    }

    /** A script call sent in a pipeline, with what is needed to send it again. */
    public record Pending(Response<Object> reply, LuaScript script, List<String> keys, List<String> args) {
    }

    /** Queues a call in a pipeline; read its answer with {@link #answer} after the pipeline's sync. */
    public Pending queue(AbstractPipeline pipeline, LuaScript script, List<String> keys, List<String> args) {
        checkKeys(script, keys);
        return new Pending(pipeline.evalsha(shas.get(script), sent(script, keys), args), script, keys, args);
    }

    /**
     * The answer of a pipelined call; a NOSCRIPT refusal loads the script and runs the call again, a
     * refusal while a slot moves runs it again alone ({@link #run}).
     */
    public Object answer(Pending pending) {
        try {
            return pending.reply().get();
        } catch (JedisDataException e) {
            if (refusedWhileSlotMoves(e)) {
                slotMoveRefusals.incrementAndGet();
                return run(pending.script(), pending.keys(), pending.args());
            }
            if (!refusedForNoScript(e)) {
                throw e;
            }
            loadEverywhere(pending.script());
            return run(pending.script(), pending.keys(), pending.args());
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
