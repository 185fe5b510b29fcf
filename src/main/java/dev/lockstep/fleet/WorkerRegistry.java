package dev.lockstep.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The processes working one queue, from their heartbeats in Redis (docs/DESIGN.md, "The fleet").
 * A beat is one key per process with a time to live, {@code <queue>:{fleet}:w:<id>}, plus the id in
 * an index, {@code <queue>:{fleet}:ids}, scored by when the beat expires. Redis' own expiry of the
 * key is what decides that a process is gone, so clocks of different machines do not matter; the
 * index only spares readers a SCAN and is pruned as they read. Every key carries the hash tag
 * {@code {fleet}}'s queue-specific form, so a beat is one slot on Redis Cluster.
 */
public final class WorkerRegistry {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** At most this many processes are listed (a fleet larger than this is a configuration mistake). */
    public static final int MAX_LISTED = 1_000;

    private final UnifiedJedis redis;
    private final Duration ttl;
    private final String prefix;

    /**
     * @param ttl how long a beat keeps its process listed ({@code worker.heartbeat.ttl.ms}); beat
     *            at least every {@link #beatInterval()}
     */
    public WorkerRegistry(UnifiedJedis redis, String queue, Duration ttl) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.toMillis() < 100) {
            throw new IllegalArgumentException("heartbeat ttl below 100 ms: " + ttl);
        }
        this.prefix = "{" + queue + ":fleet}:";
    }

    public Duration ttl() {
        return ttl;
    }

    /** How often a process beats: five beats per time to live, so one lost beat never hides it. */
    public Duration beatInterval() {
        return ttl.dividedBy(5);
    }

    private String key(String id) {
        return prefix + "w:" + id;
    }

    private String index() {
        return prefix + "ids";
    }

    /** Writes a process's beat: listed for {@link #ttl()} from now. */
    public void beat(WorkerInfo info) {
        String json;
        try {
            json = JSON.writeValueAsString(info);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a heartbeat", e);
        }
        long now = System.currentTimeMillis();
        try (AbstractPipeline pl = redis.pipelined()) {
            pl.set(key(info.id()), json, SetParams.setParams().px(ttl.toMillis()));
            pl.zadd(index(), (double) now + ttl.toMillis(), info.id());
            // entries a whole time to live past their expiry by this clock: gone whatever the skew. The
            // writers keep the index short, so a reader (a console, four times a second) only reads.
            pl.zremrangeByScore(index(), Double.NEGATIVE_INFINITY, (double) now - ttl.toMillis());
            pl.sync();
        }
    }

    /** A process stopping gracefully leaves at once instead of after its time to live. */
    public void leave(String id) {
        try (AbstractPipeline pl = redis.pipelined()) {
            pl.del(key(id));
            pl.zrem(index(), id);
            pl.sync();
        }
    }

    /**
     * The processes whose last beat has not expired, by id. Removes from the index the ids it found
     * gone (beats keep the index free of long-expired ones).
     */
    public List<WorkerInfo> list() {
        List<String> ids = redis.zrange(index(), 0, MAX_LISTED - 1);
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Response<String>> beats = new ArrayList<>(ids.size());
        try (AbstractPipeline pl = redis.pipelined()) {
            for (String id : ids) {
                beats.add(pl.get(key(id)));
            }
            pl.sync();
        }
        List<WorkerInfo> alive = new ArrayList<>(ids.size());
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String json = beats.get(i).get();
            WorkerInfo info = json == null ? null : decode(json);
            if (info == null) {
                gone.add(ids.get(i));
            } else {
                alive.add(info);
            }
        }
        if (!gone.isEmpty()) {
            // a process that came back meanwhile beats again and re-adds itself
            redis.zrem(index(), gone.toArray(new String[0]));
        }
        alive.sort(Comparator.comparing(WorkerInfo::id));
        return List.copyOf(alive);
    }

    private static WorkerInfo decode(String json) {
        try {
            return JSON.readValue(json, WorkerInfo.class);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            return null; // a beat of another version or a stray key: not a process we can show
        }
    }
}
