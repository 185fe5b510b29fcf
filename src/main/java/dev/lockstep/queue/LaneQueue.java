package dev.lockstep.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The serialized per-order lanes on Redis: one method per Lua script (one state change each),
 * plus O(1)/bounded reads for the console. Thread-safe; stateless apart from the job id counter.
 */
public final class LaneQueue {
    private final UnifiedJedis redis;
    private final Keys keys;
    private final ScriptRunner scripts;
    private final long leaseMs;
    private final long dedupTtlSeconds;
    private final String jobIdPrefix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + ".";
    private final AtomicLong jobSeq = new AtomicLong();

    public LaneQueue(UnifiedJedis redis, Keys keys, Duration lease, Duration dedupTtl) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = new ScriptRunner(redis);
        this.leaseMs = lease.toMillis();
        this.dedupTtlSeconds = Math.max(1, dedupTtl.toSeconds());
    }

    public Keys keys() {
        return keys;
    }

    public long leaseMs() {
        return leaseMs;
    }

    /** Accepts one event into its order's lane; QUEUED or DUPLICATE (dedup key seen within the TTL). */
    public ResultCode enqueue(long orderId, String dedupKey, String payload) {
        ScriptCall call = enqueueCall(orderId, dedupKey, payload);
        List<?> r = list(scripts.run(LuaScript.ENQUEUE, call.keys(), call.args()));
        return ResultCode.of(r.get(0));
    }

    /**
     * The keys and arguments of one enqueue script call, with a fresh job id: the one place they are
     * built, for callers that send many enqueues in one pipeline (each still one atomic script call).
     */
    public ScriptCall enqueueCall(long orderId, String dedupKey, String payload) {
        int p = keys.partitionOf(orderId);
        String jobId = jobIdPrefix + jobSeq.incrementAndGet();
        return new ScriptCall(
                List.of(keys.dedup(p, dedupKey), keys.lane(p, orderId), keys.job(p, jobId), keys.ready(p), keys.stats(p),
                        keys.recentDuplicates(p)),
                List.of(Long.toString(orderId), jobId, payload, Long.toString(dedupTtlSeconds), keys.wakeChannel(),
                        Integer.toString(p), dedupKey));
    }

    /** The keys and arguments of one script call. */
    public record ScriptCall(List<String> keys, List<String> args) {
    }

    /** Claims up to {@code max} ready lanes of one partition, all for one holder. */
    public ClaimBatch claim(int p, String holder, int max) {
        return claim(p, java.util.Collections.nCopies(max, holder));
    }

    /** Claims up to one ready lane per holder; the i-th claimed lane is leased to {@code holders.get(i)}. */
    public ClaimBatch claim(int p, List<String> holders) {
        List<String> args = new ArrayList<>(2 + holders.size());
        args.add(keys.prefix(p));
        args.add(Long.toString(leaseMs));
        args.addAll(holders);
        List<?> r = list(scripts.run(LuaScript.CLAIM,
                List.of(keys.ready(p), keys.leases(p), keys.holders(p), keys.fences(p), keys.delayed(p), keys.stats(p)),
                args));
        List<ClaimedJob> jobs = new ArrayList<>((r.size() - 1) / 5);
        for (int i = 1; i + 4 < r.size(); i += 5) {
            jobs.add(new ClaimedJob(p, Long.parseLong(str(r.get(i))), str(r.get(i + 1)), num(r.get(i + 2)),
                    str(r.get(i + 3)), (int) num(r.get(i + 4))));
        }
        return new ClaimBatch(num(r.get(0)), jobs);
    }

    /**
     * Completes a leased lane's head. With {@code continueLane} the next job of the lane comes back
     * under a fresh token, without another claim round trip.
     */
    public Completion complete(ClaimedJob job, String holder, boolean continueLane) {
        int p = job.partition();
        String oid = Long.toString(job.orderId());
        List<?> r = list(scripts.run(LuaScript.COMPLETE,
                List.of(keys.lane(p, job.orderId()), keys.job(p, job.jobId()), keys.leases(p), keys.holders(p),
                        keys.fences(p), keys.ready(p), keys.stats(p)),
                List.of(oid, Long.toString(job.token()), job.jobId(), holder, Long.toString(leaseMs),
                        continueLane ? "1" : "0", keys.prefix(p), keys.wakeChannel(), Integer.toString(p))));
        ResultCode code = ResultCode.of(r.get(0));
        if (code == ResultCode.CONTINUE) {
            return new Completion(code, new ClaimedJob(p, job.orderId(), str(r.get(1)), num(r.get(2)), str(r.get(3)),
                    (int) num(r.get(4))));
        }
        return new Completion(code, null);
    }

    /**
     * Renews this holder's leases of one partition.
     *
     * @return the order ids whose lease was lost (released, reaped or re-claimed)
     */
    public List<Long> extend(int p, List<ClaimedJob> held) {
        if (held.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(1 + held.size() * 2);
        args.add(Long.toString(leaseMs));
        for (ClaimedJob j : held) {
            args.add(Long.toString(j.orderId()));
            args.add(Long.toString(j.token()));
        }
        List<?> r = list(scripts.run(LuaScript.EXTEND, List.of(keys.leases(p), keys.holders(p)), args));
        List<Long> lost = new ArrayList<>(r.size());
        for (Object o : r) {
            lost.add(Long.parseLong(str(o)));
        }
        return lost;
    }

    /** Retries a failed head in place after {@code backoff}; RETRY_SCHEDULED, LOCK_MISMATCH or NOT_HEAD. */
    public ResultCode retry(ClaimedJob job, String error, Duration backoff) {
        int p = job.partition();
        List<?> r = list(scripts.run(LuaScript.RETRY,
                List.of(keys.lane(p, job.orderId()), keys.job(p, job.jobId()), keys.leases(p), keys.holders(p),
                        keys.delayed(p), keys.stats(p)),
                List.of(Long.toString(job.orderId()), Long.toString(job.token()), job.jobId(), error,
                        Long.toString(backoff.toMillis()))));
        return ResultCode.of(r.get(0));
    }

    /** Parks a lane whose head failed its last attempt; PARKED, LOCK_MISMATCH or NOT_HEAD. */
    public ResultCode park(ClaimedJob job, String error) {
        int p = job.partition();
        List<?> r = list(scripts.run(LuaScript.PARK,
                List.of(keys.lane(p, job.orderId()), keys.job(p, job.jobId()), keys.leases(p), keys.holders(p),
                        keys.parked(p), keys.stats(p)),
                List.of(Long.toString(job.orderId()), Long.toString(job.token()), job.jobId(), error)));
        return ResultCode.of(r.get(0));
    }

    /** Revokes expired leases of one partition; each lane goes back to ready under a bumped fence. */
    public List<Revoked> reap(int p, int max) {
        List<?> r = list(scripts.run(LuaScript.REAP,
                List.of(keys.leases(p), keys.holders(p), keys.fences(p), keys.ready(p), keys.stats(p)),
                List.of(Integer.toString(max), keys.wakeChannel(), Integer.toString(p))));
        List<Revoked> out = new ArrayList<>(r.size() / 2);
        for (int i = 0; i + 1 < r.size(); i += 2) {
            out.add(new Revoked(Long.parseLong(str(r.get(i))), num(r.get(i + 1))));
        }
        return out;
    }

    /** Releases a held lease (operator). @return the new fence, or -1 when the lane was not leased */
    public long release(long orderId) {
        int p = keys.partitionOf(orderId);
        List<?> r = list(scripts.run(LuaScript.RELEASE,
                List.of(keys.leases(p), keys.holders(p), keys.fences(p), keys.ready(p), keys.stats(p)),
                List.of(Long.toString(orderId), keys.wakeChannel(), Integer.toString(p))));
        return ResultCode.of(r.get(0)) == ResultCode.RELEASED ? num(r.get(1)) : -1;
    }

    /** Resumes a parked lane with its head's attempts reset. @return false when it was not parked */
    public boolean retryParked(long orderId) {
        int p = keys.partitionOf(orderId);
        List<?> r = list(scripts.run(LuaScript.RETRY_PARKED,
                List.of(keys.lane(p, orderId), keys.parked(p), keys.ready(p), keys.stats(p)),
                List.of(Long.toString(orderId), keys.prefix(p), keys.wakeChannel(), Integer.toString(p))));
        return ResultCode.of(r.get(0)) == ResultCode.RESUMED;
    }

    /** Drops a parked lane's head and resumes the lane. @return the dropped job's payload, or null when not parked */
    public String skipParked(long orderId) {
        int p = keys.partitionOf(orderId);
        List<?> r = list(scripts.run(LuaScript.SKIP_PARKED,
                List.of(keys.lane(p, orderId), keys.parked(p), keys.ready(p), keys.stats(p)),
                List.of(Long.toString(orderId), keys.prefix(p), keys.wakeChannel(), Integer.toString(p))));
        return ResultCode.of(r.get(0)) == ResultCode.SKIPPED ? str(r.get(2)) : null;
    }

    /** The current fence of an order (0 if never claimed). */
    public long fence(long orderId) {
        String v = redis.hget(keys.fences(keys.partitionOf(orderId)), Long.toString(orderId));
        return v == null ? 0 : Long.parseLong(v);
    }

    /** Counters summed over all partitions: one pipelined HGETALL per partition. */
    public QueueStats stats() {
        List<Response<Map<String, String>>> rs = new ArrayList<>(keys.partitions());
        try (AbstractPipeline pl = redis.pipelined()) {
            for (int p = 0; p < keys.partitions(); p++) {
                rs.add(pl.hgetAll(keys.stats(p)));
            }
            pl.sync();
        }
        long[] s = new long[11];
        for (Response<Map<String, String>> r : rs) {
            Map<String, String> m = r.get();
            s[0] += v(m, "waiting");
            s[1] += v(m, "ready");
            s[2] += v(m, "leased");
            s[3] += v(m, "delayed");
            s[4] += v(m, "parked");
            s[5] += v(m, "enqueued");
            s[6] += v(m, "completed");
            s[7] += v(m, "dedupHits");
            s[8] += v(m, "stallsRecovered");
            s[9] += v(m, "retries");
            s[10] += v(m, "released");
        }
        return new QueueStats(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10]);
    }

    /** Held leases, longest held first. */
    public List<LeaseInfo> leases(int limit) {
        List<Response<Map<String, String>>> holders = new ArrayList<>();
        List<Response<List<Tuple>>> deadlines = new ArrayList<>();
        try (AbstractPipeline pl = redis.pipelined()) {
            for (int p = 0; p < keys.partitions(); p++) {
                holders.add(pl.hgetAll(keys.holders(p)));
                deadlines.add(pl.zrangeWithScores(keys.leases(p), 0, -1));
            }
            pl.sync();
        }
        List<LeaseInfo> out = new ArrayList<>();
        for (int p = 0; p < keys.partitions(); p++) {
            Map<String, String> h = holders.get(p).get();
            for (Tuple t : deadlines.get(p).get()) {
                String entry = h.get(t.getElement());
                if (entry == null) {
                    continue;
                }
                HolderEntry e = HolderEntry.parse(entry);
                out.add(new LeaseInfo(Long.parseLong(t.getElement()), e.holder(), e.token(), e.since(),
                        (long) t.getScore()));
            }
        }
        out.sort(Comparator.comparingLong(LeaseInfo::since));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /**
     * The latest duplicate hits over all partitions, newest first, with how many copies of each
     * were dropped among them: one pipelined LRANGE per partition.
     */
    public List<DuplicateHit> recentDuplicates(int limit) {
        List<Response<List<String>>> rs = new ArrayList<>(keys.partitions());
        try (AbstractPipeline pl = redis.pipelined()) {
            for (int p = 0; p < keys.partitions(); p++) {
                rs.add(pl.lrange(keys.recentDuplicates(p), 0, limit - 1L));
            }
            pl.sync();
        }
        List<String[]> hits = new ArrayList<>();
        Map<String, Integer> copies = new java.util.HashMap<>();
        for (Response<List<String>> r : rs) {
            for (String entry : r.get()) {
                String[] f = entry.split("\\|", 4);
                if (f.length == 4) {
                    hits.add(f);
                    copies.merge(f[3], 1, Integer::sum);
                }
            }
        }
        hits.sort(Comparator.comparingLong((String[] f) -> Long.parseLong(f[1])).reversed());
        List<DuplicateHit> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String[] f : hits) {
            if (out.size() >= limit) {
                break;
            }
            if (seen.add(f[3])) {
                out.add(new DuplicateHit(Long.parseLong(f[0]), f[3], f[2].isEmpty() ? 0 : Long.parseLong(f[2]),
                        Long.parseLong(f[1]), copies.get(f[3])));
            }
        }
        return out;
    }

    /** Parked lanes, oldest first. */
    public List<ParkedLane> parked(int limit) {
        List<Response<List<Tuple>>> parked = new ArrayList<>();
        try (AbstractPipeline pl = redis.pipelined()) {
            for (int p = 0; p < keys.partitions(); p++) {
                parked.add(pl.zrangeWithScores(keys.parked(p), 0, limit - 1L));
            }
            pl.sync();
        }
        List<ParkedLane> out = new ArrayList<>();
        for (int p = 0; p < keys.partitions(); p++) {
            for (Tuple t : parked.get(p).get()) {
                long oid = Long.parseLong(t.getElement());
                String head = redis.lindex(keys.lane(p, oid), 0);
                if (head == null) {
                    continue;
                }
                Map<String, String> job = redis.hgetAll(keys.job(p, head));
                String effect = effectIdOf(job.getOrDefault("p", ""));
                out.add(new ParkedLane(oid, head, effect, (int) v(job, "a"), job.getOrDefault("err", ""),
                        (long) t.getScore(), redis.llen(keys.lane(p, oid))));
            }
        }
        out.sort(Comparator.comparingLong(ParkedLane::parkedAt));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /** Deletes every key of this queue (tests and the demo's fresh runs). */
    public void purge() {
        for (int p = 0; p < keys.partitions(); p++) {
            KeyPurge.deleteMatching(redis, KeyPurge.literal(keys.prefix(p)) + "*");
        }
    }

    private static String effectIdOf(String payload) {
        if (payload.isEmpty()) {
            return "";
        }
        try {
            return dev.lockstep.order.OrderEventCodec.decode(payload).effectId();
        } catch (RuntimeException e) {
            return "(undecodable payload)";
        }
    }

    private static long v(Map<String, String> m, String k) {
        String s = m.get(k);
        return s == null ? 0 : Long.parseLong(s);
    }

    private static List<?> list(Object o) {
        return (List<?>) o;
    }

    private static String str(Object o) {
        return o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(str(o));
    }

    /** What one claim call got. @param readyLeft lanes still ready in the partition */
    public record ClaimBatch(long readyLeft, List<ClaimedJob> jobs) {
    }

    /** What a complete did; {@code next} is set for CONTINUE. */
    public record Completion(ResultCode code, ClaimedJob next) {
    }

    /** A lease the reaper revoked and the fence it now has. */
    public record Revoked(long orderId, long newFence) {
    }
}
