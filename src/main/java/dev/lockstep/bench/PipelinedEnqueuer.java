package dev.lockstep.bench;

import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.LuaScript;
import dev.lockstep.queue.ResultCode;
import dev.lockstep.queue.ScriptRunner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Enqueues many events in one round trip: the very enqueue script {@code LaneQueue.enqueue} runs,
 * with the same keys and arguments, one EVALSHA per event, pipelined. Each event is still its own
 * atomic script call (its own dedup check, its own lane append), so per-event semantics are those
 * of {@code LaneQueue.enqueue}; only the round trips are shared.
 *
 * <p>The key and argument lists mirror {@code LaneQueue.enqueue} (which cannot be changed here);
 * {@code PipelinedEnqueuerTest} checks that both leave the same state.
 */
public final class PipelinedEnqueuer {
    private final UnifiedJedis redis;
    private final Keys keys;
    /** Builds each call's keys and arguments exactly as {@link LaneQueue#enqueue} does. */
    private final LaneQueue calls;
    private final String source;
    private final String sha;

    /** One event to enqueue. */
    public record Event(long orderId, String dedupKey, String payload) {
    }

    public PipelinedEnqueuer(UnifiedJedis redis, Keys keys, long dedupTtlSeconds) {
        this.redis = redis;
        this.keys = keys;
        this.calls = new LaneQueue(redis, keys, java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(Math.max(1, dedupTtlSeconds)));
        this.source = new ScriptRunner(redis).source(LuaScript.ENQUEUE);
        this.sha = sha1Hex(source);
        loadScript();
    }

    /**
     * Enqueues the events in order, in one pipeline.
     *
     * @return each event's result, QUEUED or DUPLICATE, in the events' order
     */
    public List<ResultCode> enqueueAll(List<Event> events) {
        List<ResultCode> out = new ArrayList<>(events.size());
        List<List<String>> keyLists = new ArrayList<>(events.size());
        List<List<String>> argLists = new ArrayList<>(events.size());
        for (Event e : events) {
            LaneQueue.ScriptCall call = calls.enqueueCall(e.orderId(), e.dedupKey(), e.payload());
            keyLists.add(call.keys());
            argLists.add(call.args());
            out.add(null);
        }
        List<Integer> pending = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            pending.add(i);
        }
        // A script cache flushed under us (restart, failover) fails only the calls that did not run:
        // reload once and send those again.
        for (int round = 0; round < 2 && !pending.isEmpty(); round++) {
            pending = send(pending, keyLists, argLists, out, round == 1);
            if (!pending.isEmpty()) {
                loadScript();
            }
        }
        return out;
    }

    private List<Integer> send(List<Integer> indexes, List<List<String>> keyLists, List<List<String>> argLists,
                               List<ResultCode> out, boolean last) {
        List<Response<Object>> responses = new ArrayList<>(indexes.size());
        try (AbstractPipeline pl = redis.pipelined()) {
            for (int i : indexes) {
                responses.add(pl.evalsha(sha, keyLists.get(i), argLists.get(i)));
            }
            pl.sync();
        }
        List<Integer> noScript = new ArrayList<>();
        for (int k = 0; k < indexes.size(); k++) {
            try {
                List<?> r = (List<?>) responses.get(k).get();
                out.set(indexes.get(k), ResultCode.of(r.get(0)));
            } catch (JedisNoScriptException e) {
                if (last) {
                    throw e;
                }
                noScript.add(indexes.get(k));
            }
        }
        return noScript;
    }

    private void loadScript() {
        for (int p = 0; p < keys.partitions(); p++) {
            redis.scriptLoad(source, keys.ready(p));
        }
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
