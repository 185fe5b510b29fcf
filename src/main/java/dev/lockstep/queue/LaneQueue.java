package dev.lockstep.queue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.Tuple;

/**
 * The serialized per-order lanes on Redis: one method per Lua script (one state change each), plus
 * bounded reads for the console. Thread-safe; stateless apart from the job id counter.
 *
 * <p>Calls that carry many events ({@link #enqueueAll}, {@link #drainAll}) send one script call per
 * partition, all partitions in one pipelined round trip: the hot path costs a round trip per batch,
 * not per event.
 */
public final class LaneQueue {
    /** How long a revoker has to raise the store's fence before the reaper finishes its revocation. */
    static final long REVOKE_GRACE_MS = 5_000;
    /** Keys a reap call's sweep for lanes in no state looks at (SCAN COUNT): bounded work per pass. */
    static final int SWEEP_COUNT = 200;

    private final UnifiedJedis redis;
    private final Keys keys;
    private final ScriptRunner scripts;
    private final long leaseMs;
    private final long dedupWindowMs;
    private final int fetchPerLane;
    private final String jobIdPrefix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + ".";
    private final AtomicLong jobSeq = new AtomicLong();
    /** Per partition, the dedup bucket this process last set the expiry of (EXPIREAT once per bucket). */
    private final java.util.concurrent.atomic.AtomicLongArray expirySet;

    public LaneQueue(UnifiedJedis redis, Keys keys, Duration lease, Duration dedupTtl) {
        this(redis, keys, lease, dedupTtl, 16);
    }

    /** @param fetchPerLane entries a claim or continue returns at most (a lane's head and those behind it) */
    public LaneQueue(UnifiedJedis redis, Keys keys, Duration lease, Duration dedupTtl, int fetchPerLane) {
        this(redis, keys, lease, dedupTtl, fetchPerLane, ScriptRunner.onCluster(redis));
    }

    /**
     * @param declareAllKeys send every key a call writes (Redis Cluster needs them to route and
     *                       check the call; the default there), or only the indexed ones (one Redis)
     */
    public LaneQueue(UnifiedJedis redis, Keys keys, Duration lease, Duration dedupTtl, int fetchPerLane,
                     boolean declareAllKeys) {
        this.redis = redis;
        this.keys = keys;
        this.scripts = new ScriptRunner(redis, declareAllKeys);
        this.leaseMs = lease.toMillis();
        this.dedupWindowMs = Math.max(1000, dedupTtl.toMillis());
        this.fetchPerLane = Math.max(1, fetchPerLane);
        this.expirySet = new java.util.concurrent.atomic.AtomicLongArray(keys.partitions());
    }

    public Keys keys() {
        return keys;
    }

    public long leaseMs() {
        return leaseMs;
    }

    /**
     * Script calls Redis Cluster refused while a slot moved between masters, each sent again
     * (docs/DESIGN.md, "Redis Cluster"); 0 on a single Redis.
     */
    public long slotMoveRefusals() {
        return scripts.slotMoveRefusals();
    }

    /**
     * Stores the partition count with the queue on first use and refuses a process configured with
     * another: with two counts an order would get two lanes (two holders at once) and lanes in the
     * higher partitions would be stranded.
     *
     * @throws IllegalStateException naming {@code queue.partitions} when the counts differ
     */
    public void checkPartitionCount() {
        String want = Integer.toString(keys.partitions());
        redis.setnx(keys.partitionCount(), want);
        String have = redis.get(keys.partitionCount());
        if (!want.equals(have)) {
            throw new IllegalStateException("queue '" + keys.queue() + "' was created with queue.partitions=" + have
                    + ", this process has queue.partitions=" + want + "; start it with --partitions " + have
                    + " (or purge the queue to change it)");
        }
    }

    // ---- enqueue ---------------------------------------------------------------------------------

    /** One event to enqueue. @param dedupKey shop|topic|event id, as the ingest builds it */
    public record Enqueue(long orderId, String dedupKey, String payload) {
    }

    /** Accepts one event into its order's lane; QUEUED or DUPLICATE (dedup key seen within the window). */
    public ResultCode enqueue(long orderId, String dedupKey, String payload) {
        return enqueueAll(List.of(new Enqueue(orderId, dedupKey, payload))).get(0);
    }

    /**
     * Accepts many events: one script call per partition, all in one round trip, each event deduped
     * atomically. Returns each event's QUEUED or DUPLICATE, in the order given.
     */
    public List<ResultCode> enqueueAll(List<Enqueue> events) {
        long now = System.currentTimeMillis();
        long bucket = now / dedupWindowMs;
        long expiresAt = ((bucket + 2) * dedupWindowMs + 999) / 1000;
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            byPartition.computeIfAbsent(keys.partitionOf(events.get(i).orderId()), p -> new ArrayList<>()).add(i);
        }
        // one small method per partition call, so the JIT compiles it whole early instead of
        // OSR-compiling one big loop again and again
        List<ScriptRunner.Pending> replies = new ArrayList<>(byPartition.size());
        List<List<Integer>> order = new ArrayList<>(byPartition.size());
        List<Integer> partitions = new ArrayList<>(byPartition.size());
        try (AbstractPipeline pl = redis.pipelined()) {
            for (Map.Entry<Integer, List<Integer>> e : byPartition.entrySet()) {
                replies.add(queueEnqueue(pl, e.getKey(), e.getValue(), events, now, bucket, expiresAt));
                order.add(e.getValue());
                partitions.add(e.getKey());
            }
            pl.sync();
        }
        ResultCode[] out = new ResultCode[events.size()];
        for (int b = 0; b < replies.size(); b++) {
            List<?> codes = list(scripts.answer(replies.get(b)));
            List<Integer> idx = order.get(b);
            for (int j = 0; j < idx.size(); j++) {
                out[idx.get(j)] = ResultCode.of(codes.get(j));
            }
            if (num(codes.get(idx.size())) == 1) {
                expirySet.set(partitions.get(b), bucket);
            }
        }
        return List.of(out);
    }

    private ScriptRunner.Pending queueEnqueue(AbstractPipeline pl, int p, List<Integer> indices, List<Enqueue> events,
                                              long now, long bucket, long expiresAt) {
        List<String> args = new ArrayList<>(7 + indices.size() * 4);
        args.add(keys.prefix(p));
        args.add(keys.wakeChannel());
        args.add(Integer.toString(p));
        args.add(Long.toString(bucket));
        args.add(Long.toString(dedupWindowMs));
        // the bucket's expiry is fixed: send it until a call that wrote to the bucket has set it
        args.add(expirySet.get(p) == bucket ? "0" : Long.toString(expiresAt));
        args.add(Long.toString(now));
        for (int i : indices) {
            Enqueue ev = events.get(i);
            args.add(Long.toString(ev.orderId()));
            args.add(dedupHash(ev.dedupKey()));
            args.add(ev.dedupKey());
            args.add(LaneEntry.format(jobIdPrefix + Long.toString(jobSeq.incrementAndGet(), 36), 0, ev.payload()));
        }
        List<String> declared = new ArrayList<>(List.of(keys.ready(p), keys.stats(p), keys.recentDuplicates(p),
                keys.dedupBucket(p, bucket), keys.dedupBucket(p, bucket - 1)));
        Set<Long> lanes = new HashSet<>();
        for (int i : indices) {
            if (lanes.add(events.get(i).orderId())) {
                declared.add(keys.lane(p, events.get(i).orderId()));
            }
        }
        return scripts.queue(pl, LuaScript.ENQUEUE, declared, args);
    }

    /**
     * The dedup field of a key: 72 bits of its SHA-256 in 12 base64url characters. A collision
     * needs about 2^36 keys in one partition's two-bucket window, far beyond a day's traffic.
     */
    static String dedupHash(String dedupKey) {
        byte[] d = SHA256.get().digest(dedupKey.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 9));
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    // ---- drain: complete, continue, claim ----------------------------------------------------------

    /**
     * Jobs a holder finished under one lease, to record in one drain call.
     *
     * @param lease        the lease member
     * @param jobIds       the finished jobs, the lane's head first
     * @param continueLane take the lane's next entries under the same lease (else hand it on)
     * @param resend       this completion's first send may have run (its reply was lost)
     */
    public record Finished(String lease, List<String> jobIds, boolean continueLane, boolean resend) {
    }

    /** What a drain call did with one {@link Finished}; {@code next} holds the lane's next jobs for CONTINUE. */
    public record FinishResult(ResultCode code, List<ClaimedJob> next) {
        /** Whether the jobs are recorded as completed (now, or by an earlier send). */
        public boolean completed() {
            return code == ResultCode.CONTINUE || code == ResultCode.DONE || code == ResultCode.HANDED_ON
                    || code == ResultCode.COMPLETED_EARLIER || code == ResultCode.PAUSED;
        }

        /** Whether the holder still has the lane (its next jobs are in {@code next}). */
        public boolean continues() {
            return !next.isEmpty();
        }
    }

    /** A lane claimed for a holder: its lease and its first jobs. */
    public record Claim(String holder, List<ClaimedJob> jobs) {
    }

    /** What one partition's drain call returned. */
    public record DrainResult(long readyLeft, List<FinishResult> finished, List<Claim> claims) {
    }

    /**
     * What to send to one partition in a drain round; {@code freeHolders} null: claim nothing
     * (closing); {@code promoteDue}: move due delayed lanes to ready before claiming.
     */
    public record DrainRequest(List<Finished> finished, List<String> freeHolders, boolean promoteDue) {
        public DrainRequest(List<Finished> finished, List<String> freeHolders) {
            this(finished, freeHolders, true);
        }
    }

    /** One partition's drain call. */
    public DrainResult drain(int p, List<Finished> finished, List<String> freeHolders) {
        return drainAll(Map.of(p, new DrainRequest(finished, freeHolders))).get(p);
    }

    /** Claims up to one ready lane per holder in one partition. */
    public List<Claim> claim(int p, List<String> holders) {
        return drain(p, List.of(), holders).claims();
    }

    /**
     * Drain calls for many partitions in one round trip: completions recorded, lanes continued or
     * handed on, ready lanes claimed for the free holders.
     */
    public Map<Integer, DrainResult> drainAll(Map<Integer, DrainRequest> requests) {
        // one small method per partition, so the JIT compiles them whole early instead of OSR-compiling
        // one big loop over and over (the drainer's rounds carry many partitions and lanes)
        Map<Integer, ScriptRunner.Pending> replies = new LinkedHashMap<>();
        try (AbstractPipeline pl = redis.pipelined()) {
            for (Map.Entry<Integer, DrainRequest> e : requests.entrySet()) {
                replies.put(e.getKey(), queueDrain(pl, e.getKey(), e.getValue()));
            }
            pl.sync();
        }
        Map<Integer, DrainResult> out = new HashMap<>();
        for (Map.Entry<Integer, ScriptRunner.Pending> e : replies.entrySet()) {
            int p = e.getKey();
            out.put(p, drainResult(p, requests.get(p).finished(), list(scripts.answer(e.getValue()))));
        }
        return out;
    }

    private ScriptRunner.Pending queueDrain(AbstractPipeline pl, int p, DrainRequest r) {
        List<String> args = new ArrayList<>(8 + r.finished().size() * 3
                + (r.freeHolders() == null ? 0 : r.freeHolders().size()));
        args.add(keys.prefix(p));
        args.add(Long.toString(leaseMs));
        args.add(Integer.toString(fetchPerLane));
        args.add(keys.wakeChannel());
        args.add(Integer.toString(p));
        args.add(r.promoteDue() ? "1" : "0");
        args.add(Integer.toString(r.finished().size()));
        for (Finished f : r.finished()) {
            args.add(f.lease());
            args.add(String.join(",", f.jobIds()));
            args.add((f.resend() ? "r" : "") + (f.continueLane() ? "1" : "0"));
        }
        if (r.freeHolders() == null) {
            args.add("-1"); // closing: no claims at all
        } else {
            args.add(Integer.toString(r.freeHolders().size()));
            args.addAll(r.freeHolders());
        }
        List<String> declared = new ArrayList<>(List.of(keys.ready(p), keys.leases(p), keys.tokens(p),
                keys.delayed(p), keys.failures(p), keys.stats(p), keys.paused(p)));
        for (Finished f : r.finished()) {
            declared.add(keys.lane(p, LeaseMember.parse(f.lease()).orderId()));
        }
        return scripts.queue(pl, LuaScript.DRAIN, declared, args);
    }

    private static DrainResult drainResult(int p, List<Finished> sent, List<?> r) {
        List<?> results = list(r.get(1));
        List<FinishResult> finished = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            List<?> one = list(results.get(i));
            finished.add(new FinishResult(ResultCode.of(one.get(0)), jobs(p, sent.get(i).lease(), one, 1)));
        }
        List<?> claimed = list(r.get(2));
        List<Claim> claims = new ArrayList<>(claimed.size());
        for (Object o : claimed) {
            List<?> c = list(o);
            claims.add(new Claim(str(c.get(0)), jobs(p, str(c.get(1)), c, 3)));
        }
        return new DrainResult(num(r.get(0)), finished, claims);
    }

    private static List<ClaimedJob> jobs(int p, String lease, List<?> reply, int from) {
        if (reply.size() <= from) {
            return List.of();
        }
        LeaseMember m = LeaseMember.parse(lease);
        List<ClaimedJob> jobs = new ArrayList<>(reply.size() - from);
        for (int i = from; i < reply.size(); i++) {
            LaneEntry e = LaneEntry.parse(str(reply.get(i)));
            jobs.add(new ClaimedJob(p, m.orderId(), e.jobId(), m.token(), e.payload(), e.attempts(), lease));
        }
        return jobs;
    }

    // ---- leases --------------------------------------------------------------------------------

    /**
     * Renews leases of one partition this process holds.
     *
     * @return the lease members that are no longer leases (released, reaped, revoked)
     */
    public List<String> extend(int p, List<String> leases) {
        if (leases.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(1 + leases.size());
        args.add(Long.toString(leaseMs));
        args.addAll(leases);
        List<?> r = list(scripts.run(LuaScript.EXTEND, List.of(keys.leases(p)), args));
        List<String> lost = new ArrayList<>(r.size());
        for (Object o : r) {
            lost.add(str(o));
        }
        return lost;
    }

    /** Whether a lease member is still a lease (not released, reaped or revoked). */
    public boolean holds(ClaimedJob job) {
        return redis.zscore(keys.leases(job.partition()), job.lease()) != null;
    }

    /** A lane taken out of its holder's hands under a new fence, waiting for {@link #handOn}. */
    public record Revocation(int partition, long orderId, long fence, String member) {
        static Revocation parse(int p, String member) {
            String[] f = member.split("\\|", 3);
            return new Revocation(p, Long.parseLong(f[0]), Long.parseLong(f[1]), member);
        }
    }

    /** What a failed attempt led to. @param revocation set when the lane was revoked (deadline passed) */
    public record FailResult(ResultCode code, int attempts, Revocation revocation) {
    }

    /**
     * Retries a failed head in place after {@code backoff}. With {@code revoke} (its handler overran
     * its deadline and may still write) the lane is revoked first: raise the store's fence to the
     * revocation's fence, then {@link #handOn}.
     */
    public FailResult retry(ClaimedJob job, String error, Duration backoff, boolean revoke) {
        int p = job.partition();
        List<?> r = list(scripts.run(LuaScript.RETRY, List.of(keys.delayed(p), keys.leases(p), keys.failures(p),
                        keys.stats(p), keys.revoked(p), keys.tokens(p), keys.lane(p, job.orderId())),
                List.of(keys.prefix(p), job.lease(), job.jobId(), error, Long.toString(backoff.toMillis()),
                        revoke ? "1" : "0", Long.toString(REVOKE_GRACE_MS))));
        return failResult(p, r);
    }

    /** Parks a lane whose head failed its last attempt; {@code revoke} as for {@link #retry}. */
    public FailResult park(ClaimedJob job, String error, boolean revoke) {
        int p = job.partition();
        List<?> r = list(scripts.run(LuaScript.PARK, List.of(keys.parked(p), keys.leases(p), keys.failures(p),
                        keys.revoked(p), keys.tokens(p), keys.lane(p, job.orderId())),
                List.of(keys.prefix(p), job.lease(), job.jobId(), error, revoke ? "1" : "0",
                        Long.toString(REVOKE_GRACE_MS))));
        return failResult(p, r);
    }

    private static FailResult failResult(int p, List<?> r) {
        ResultCode code = ResultCode.of(r.get(0));
        if (r.size() < 3) {
            return new FailResult(code, 0, null);
        }
        String member = str(r.get(2));
        return new FailResult(code, (int) num(r.get(1)), member.isEmpty() ? null : Revocation.parse(p, member));
    }

    /**
     * Revokes expired leases of one partition, picks up revocations whose revoker died, and moves due
     * delayed lanes to ready. The caller raises the store's fence for each revocation, then hands it on.
     */
    public Reaped reap(int p, int max) {
        List<?> r = list(scripts.run(LuaScript.REAP, List.of(keys.leases(p), keys.revoked(p), keys.delayed(p),
                        keys.ready(p), keys.tokens(p), keys.stats(p), keys.parked(p), keys.paused(p), keys.sweepCursor(p)),
                List.of(keys.prefix(p), Integer.toString(max), Long.toString(REVOKE_GRACE_MS), keys.wakeChannel(),
                        Integer.toString(p), keys.lanePattern(p), Integer.toString(SWEEP_COUNT))));
        List<Revocation> out = new ArrayList<>();
        for (Object o : list(r.get(1))) {
            out.add(Revocation.parse(p, str(o)));
        }
        return new Reaped(num(r.get(0)), out, num(r.get(2)));
    }

    /**
     * What a reap call found: the ready lanes left, the revocations to finish, and the lanes in no
     * state its sweep put back to ready (docs/DESIGN.md, "Redis Cluster").
     */
    public record Reaped(long readyLeft, List<Revocation> revocations, long lanesReadied) {
    }

    /** An operator's release of whatever lease the order has. @return the revocation, or null when not leased */
    public Revocation release(long orderId) {
        return release(keys.partitionOf(orderId), orderId, "", true);
    }

    /** Hands back a lane this process holds (shutdown): only that exact lease, never another holder's. */
    public Revocation releaseHeld(ClaimedJob job) {
        return release(job.partition(), job.orderId(), job.lease(), false);
    }

    private Revocation release(int p, long orderId, String member, boolean operator) {
        List<?> r = list(scripts.run(LuaScript.RELEASE, List.of(keys.leases(p), keys.stats(p), keys.revoked(p),
                        keys.tokens(p)),
                List.of(keys.prefix(p), Long.toString(orderId), member, Long.toString(REVOKE_GRACE_MS),
                        operator ? "1" : "0")));
        return ResultCode.of(r.get(0)) == ResultCode.RELEASED ? Revocation.parse(p, str(r.get(2))) : null;
    }

    /**
     * Finishes a revocation after the store's fence is raised: the lane goes back to ready (or delayed,
     * or parked). NOT_HELD when someone finished it already.
     */
    public ResultCode handOn(Revocation revocation) {
        int p = revocation.partition();
        List<?> r = list(scripts.run(LuaScript.HAND_ON, List.of(keys.revoked(p), keys.lane(p, revocation.orderId()),
                        keys.parked(p), keys.delayed(p), keys.ready(p)),
                List.of(keys.prefix(p), revocation.member(), keys.wakeChannel(), Integer.toString(p))));
        return ResultCode.of(r.get(0));
    }

    /** Resumes a parked lane with its head's attempts reset. @return false when it was not parked */
    public boolean retryParked(long orderId) {
        int p = keys.partitionOf(orderId);
        List<?> r = list(scripts.run(LuaScript.RETRY_PARKED, List.of(keys.parked(p), keys.lane(p, orderId),
                        keys.failures(p), keys.ready(p)),
                List.of(keys.prefix(p), Long.toString(orderId), keys.wakeChannel(), Integer.toString(p))));
        return ResultCode.of(r.get(0)) == ResultCode.RESUMED;
    }

    /** Drops a parked lane's head and resumes the lane. @return the dropped job's payload, or null when not parked */
    public String skipParked(long orderId) {
        int p = keys.partitionOf(orderId);
        List<?> r = list(scripts.run(LuaScript.SKIP_PARKED, List.of(keys.parked(p), keys.lane(p, orderId),
                        keys.failures(p), keys.stats(p), keys.ready(p)),
                List.of(keys.prefix(p), Long.toString(orderId), keys.wakeChannel(), Integer.toString(p))));
        if (ResultCode.of(r.get(0)) != ResultCode.SKIPPED) {
            return null;
        }
        String entry = str(r.get(1));
        return entry.isEmpty() ? "" : LaneEntry.parse(entry).payload();
    }

    /**
     * Pauses an order's lane (an operator's control): it is not claimed again until {@link #resume};
     * a lease held now runs the events it has taken, then lets the lane go. Its events wait in order.
     *
     * @return when the lane was paused (epoch ms, Redis time), earlier when it was paused already
     */
    public long pause(long orderId) {
        int p = keys.partitionOf(orderId);
        List<?> r = list(scripts.run(LuaScript.PAUSE, List.of(keys.paused(p)),
                List.of(keys.prefix(p), Long.toString(orderId))));
        return num(r.get(1));
    }

    /** Resumes a paused lane (back to ready when the claims held it back). @return false when it was not paused */
    public boolean resume(long orderId) {
        int p = keys.partitionOf(orderId);
        List<?> r = list(scripts.run(LuaScript.RESUME, List.of(keys.paused(p), keys.lane(p, orderId), keys.ready(p)),
                List.of(keys.prefix(p), Long.toString(orderId), keys.wakeChannel(), Integer.toString(p))));
        return ResultCode.of(r.get(0)) == ResultCode.RESUMED;
    }

    /** Paused lanes, longest paused first, at most {@code limit}: one pipelined read per partition, then the depths. */
    public List<PausedLane> paused(int limit) {
        List<Response<List<Tuple>>> rs = new ArrayList<>(keys.partitions());
        try (AbstractPipeline pl = redis.pipelined()) {
            for (int p = 0; p < keys.partitions(); p++) {
                rs.add(pl.zrangeWithScores(keys.paused(p), 0, limit - 1L));
            }
            pl.sync();
        }
        List<Tuple> all = new ArrayList<>();
        rs.forEach(r -> all.addAll(r.get()));
        all.sort(Comparator.comparingDouble(t -> Math.abs(t.getScore())));
        List<Tuple> shown = all.size() > limit ? all.subList(0, limit) : all;
        List<Response<Long>> depths = new ArrayList<>(shown.size());
        try (AbstractPipeline pl = redis.pipelined()) {
            for (Tuple t : shown) {
                long oid = Long.parseLong(t.getElement());
                depths.add(pl.llen(keys.lane(keys.partitionOf(oid), oid)));
            }
            pl.sync();
        }
        List<PausedLane> out = new ArrayList<>(shown.size());
        for (int i = 0; i < shown.size(); i++) {
            Tuple t = shown.get(i);
            out.add(new PausedLane(Long.parseLong(t.getElement()), (long) Math.abs(t.getScore()), t.getScore() < 0,
                    depths.get(i).get()));
        }
        return out;
    }

    // ---- reads for the console and tests -----------------------------------------------------------

    /**
     * Counters and gauges summed over all partitions in one round trip: monotonic counters from the
     * stats hash, gauges from the sizes of the ready list and the zsets.
     */
    public QueueStats stats() {
        int n = keys.partitions();
        List<Response<Map<String, String>>> counters = new ArrayList<>(n);
        List<Response<Long>> ready = new ArrayList<>(n);
        List<Response<Long>> leased = new ArrayList<>(n);
        List<Response<Long>> revoked = new ArrayList<>(n);
        List<Response<Long>> delayed = new ArrayList<>(n);
        List<Response<Long>> parked = new ArrayList<>(n);
        try (AbstractPipeline pl = redis.pipelined()) {
            for (int p = 0; p < n; p++) {
                counters.add(pl.hgetAll(keys.stats(p)));
                ready.add(pl.llen(keys.ready(p)));
                leased.add(pl.zcard(keys.leases(p)));
                revoked.add(pl.zcard(keys.revoked(p)));
                delayed.add(pl.zcard(keys.delayed(p)));
                parked.add(pl.zcard(keys.parked(p)));
            }
            pl.sync();
        }
        long enqueued = 0, completed = 0, skipped = 0, dedup = 0, stalls = 0, retries = 0, released = 0;
        long r = 0, l = 0, d = 0, pk = 0;
        for (int p = 0; p < n; p++) {
            Map<String, String> m = counters.get(p).get();
            enqueued += v(m, "e");
            completed += v(m, "c");
            skipped += v(m, "sk");
            dedup += v(m, "d");
            stalls += v(m, "x");
            retries += v(m, "t");
            released += v(m, "rl");
            r += ready.get(p).get();
            l += leased.get(p).get() + revoked.get(p).get();
            d += delayed.get(p).get();
            pk += parked.get(p).get();
        }
        return new QueueStats(enqueued - completed - skipped, r, l, d, pk, enqueued, completed, dedup, stalls,
                retries, released);
    }

    /** Held leases, longest held first. */
    public List<LeaseInfo> leases(int limit) {
        List<Response<List<Tuple>>> deadlines = new ArrayList<>();
        try (AbstractPipeline pl = redis.pipelined()) {
            for (int p = 0; p < keys.partitions(); p++) {
                deadlines.add(pl.zrangeWithScores(keys.leases(p), 0, -1));
            }
            pl.sync();
        }
        List<LeaseInfo> out = new ArrayList<>();
        for (Response<List<Tuple>> r : deadlines) {
            for (Tuple t : r.get()) {
                LeaseMember m = LeaseMember.parse(t.getElement());
                out.add(new LeaseInfo(m.orderId(), m.holder(), m.token(), m.since(), (long) t.getScore(), leaseMs));
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
        Map<String, Integer> copies = new HashMap<>();
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
        Set<String> seen = new HashSet<>();
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
                LaneEntry e = LaneEntry.parse(head);
                String error = redis.hget(keys.failures(p), e.jobId());
                out.add(new ParkedLane(oid, e.jobId(), effectIdOf(e.payload()), e.attempts(),
                        error == null ? "" : error, (long) t.getScore(), redis.llen(keys.lane(p, oid))));
            }
        }
        out.sort(Comparator.comparingLong(ParkedLane::parkedAt));
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /** Deletes every key of this queue (tests and the demo's fresh runs), the stored partition count too. */
    public void purge() {
        for (int p = 0; p < keys.partitions(); p++) {
            KeyPurge.deleteMatching(redis, KeyPurge.literal(keys.prefix(p)) + "*");
        }
        redis.del(keys.partitionCount());
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
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(str(o));
    }
}
