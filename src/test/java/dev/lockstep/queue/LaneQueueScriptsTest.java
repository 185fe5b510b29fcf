package dev.lockstep.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Each v2 queue script on its own, against the real Redis the tests start, with a fresh queue name
 * per test. Time is never waited for: a lease or revocation "expires" by writing its zset score into
 * the past, and deadlines are compared with Redis's own clock.
 */
class LaneQueueScriptsTest {
    private static final String W = "host-a:101/t1";
    private static final String W2 = "host-b:202/t1";
    private static final long LEASE_MS = 30_000;

    private UnifiedJedis redis;
    private Keys keys;
    private LaneQueue queue;

    @BeforeEach
    void setUp() {
        redis = TestServers.get().redis();
        keys = new Keys(TestServers.uniqueName("q"), 4);
        queue = new LaneQueue(redis, keys, Duration.ofMillis(LEASE_MS), Duration.ofMinutes(5));
    }

    @AfterEach
    void tearDown() {
        queue.purge();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private int p(long orderId) {
        return keys.partitionOf(orderId);
    }

    private List<String> lane(long orderId) {
        return redis.lrange(keys.lane(p(orderId), orderId), 0, -1);
    }

    private List<String> ready(int p) {
        return redis.lrange(keys.ready(p), 0, -1);
    }

    private static List<String> payloads(List<ClaimedJob> jobs) {
        return jobs.stream().map(ClaimedJob::payload).toList();
    }

    private static List<String> ids(List<ClaimedJob> jobs) {
        return jobs.stream().map(ClaimedJob::jobId).toList();
    }

    /** The payloads of a lane's entries "<jobId>|<attempts>|<payload>", in order. */
    private List<String> lanePayloads(long orderId) {
        return lane(orderId).stream().map(e -> e.split("\\|", 3)[2]).toList();
    }

    /** Claims the only ready lane of the order's partition for {@code holder}; returns its jobs. */
    private List<ClaimedJob> claimLane(long orderId, String holder) {
        List<LaneQueue.Claim> claims = queue.claim(p(orderId), List.of(holder));
        assertThat(claims).as("claim of order %d", orderId).hasSize(1);
        assertThat(claims.get(0).holder()).isEqualTo(holder);
        List<ClaimedJob> jobs = claims.get(0).jobs();
        assertThat(jobs).isNotEmpty().allSatisfy(j -> assertThat(j.orderId()).isEqualTo(orderId));
        return jobs;
    }

    private ClaimedJob claimHead(long orderId, String holder) {
        return claimLane(orderId, holder).get(0);
    }

    private static LaneQueue.Finished finished(List<ClaimedJob> jobs, boolean continueLane, boolean resend) {
        return new LaneQueue.Finished(jobs.get(0).lease(), ids(jobs), continueLane, resend);
    }

    /** One drain call with one completion and no other free holders. */
    private LaneQueue.FinishResult finish(List<ClaimedJob> jobs, boolean continueLane, boolean resend) {
        LaneQueue.DrainResult r = queue.drain(jobs.get(0).partition(), List.of(finished(jobs, continueLane, resend)),
                List.of());
        assertThat(r.finished()).hasSize(1);
        return r.finished().get(0);
    }

    private Double leaseDeadline(ClaimedJob job) {
        return redis.zscore(keys.leases(job.partition()), job.lease());
    }

    /** Redis server time, ms: the clock the scripts set deadlines by. */
    private long serverMillis() {
        return (Long) redis.eval("local t = redis.call('TIME') return t[1] * 1000 + math.floor(t[2] / 1000)");
    }

    private long counter(int p, String field) {
        String v = redis.hget(keys.stats(p), field);
        return v == null ? 0 : Long.parseLong(v);
    }

    private long[] ordersInOnePartition(int n) {
        long[] out = new long[n];
        int target = p(1000);
        int i = 0;
        for (long o = 1000; i < n; o++) {
            if (p(o) == target) {
                out[i++] = o;
            }
        }
        return out;
    }

    /** Every key of the queue (SCAN, never KEYS). */
    private Set<String> queueKeys() {
        ScanParams params = new ScanParams().match(KeyPurge.literal(keys.queue() + ":") + "*").count(1000);
        Set<String> out = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            out.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return out;
    }

    // ---- enqueue -------------------------------------------------------------------------------------

    @Nested
    class Enqueue {
        private static final long WIDTH = 60_000;

        /** The enqueue script called directly with a chosen dedup bucket and clock. */
        private List<Long> enqueueInBucket(long orderId, String dedupKey, String payload, long bucket, long now) {
            int p = p(orderId);
            List<String> args = List.of(keys.prefix(p), keys.wakeChannel(), Integer.toString(p),
                    Long.toString(bucket), Long.toString(WIDTH), Long.toString((bucket + 2) * WIDTH / 1000),
                    Long.toString(now), Long.toString(orderId), LaneQueue.dedupHash(dedupKey), dedupKey,
                    "j" + now + "|0|" + payload);
            List<?> r = (List<?>) new ScriptRunner(redis).run(LuaScript.ENQUEUE, List.of(keys.ready(p)), args);
            // the last element says whether the bucket's expiry was set: 1 exactly when an event was queued
            List<Long> codes = r.stream().map(o -> ((Number) o).longValue()).toList();
            assertThat(codes.get(codes.size() - 1)).isEqualTo(codes.subList(0, codes.size() - 1).contains(1L) ? 1L : 0L);
            return codes.subList(0, codes.size() - 1);
        }

        @Test
        void queuesAndMakesAnIdleLaneReadyOnce() {
            assertThat(queue.enqueue(7, "d1", "a")).isEqualTo(ResultCode.QUEUED);
            assertThat(queue.enqueue(7, "d2", "b")).isEqualTo(ResultCode.QUEUED);
            assertThat(ready(p(7))).containsExactly("7");
            assertThat(lane(7)).hasSize(2).allSatisfy(e -> assertThat(e).matches("[^|]+\\|0\\|[ab]"));
            assertThat(lanePayloads(7)).containsExactly("a", "b");
            QueueStats s = queue.stats();
            assertThat(s.waiting()).isEqualTo(2);
            assertThat(s.readyLanes()).isEqualTo(1);
            assertThat(s.enqueued()).isEqualTo(2);

            // a leased lane is not made ready again by new events: its holder finds them
            claimLane(7, W);
            assertThat(queue.enqueue(7, "d3", "c")).isEqualTo(ResultCode.QUEUED);
            assertThat(ready(p(7))).isEmpty();
            assertThat(lanePayloads(7)).containsExactly("a", "b", "c");
        }

        @Test
        void aDuplicateIsCountedAndNeverEnqueued() {
            assertThat(queue.enqueue(7, "same", "a")).isEqualTo(ResultCode.QUEUED);
            assertThat(queue.enqueue(7, "same", "a")).isEqualTo(ResultCode.DUPLICATE);
            assertThat(lane(7)).hasSize(1);
            assertThat(ready(p(7))).containsExactly("7");
            QueueStats s = queue.stats();
            assertThat(s.dedupHits()).isEqualTo(1);
            assertThat(s.enqueued()).isEqualTo(1);
            assertThat(s.waiting()).isEqualTo(1);
            assertThat(redis.lrange(keys.recentDuplicates(p(7)), 0, -1)).singleElement()
                    .satisfies(u -> assertThat(u).matches("7\\|\\d+\\|\\d+\\|same"));
            assertThat(queue.recentDuplicates(10)).singleElement().satisfies(h -> {
                assertThat(h.orderId()).isEqualTo(7);
                assertThat(h.dedupKey()).isEqualTo("same");
                assertThat(h.firstSeen()).isPositive().isLessThanOrEqualTo(h.lastHit());
            });
        }

        @Test
        void aDuplicateIsFoundInThePreviousBucketButNotInOlderOnes() {
            long b = System.currentTimeMillis() / WIDTH + 1_000; // buckets whose EXPIREAT is still ahead
            long firstSeen = b * WIDTH + 1234;
            assertThat(enqueueInBucket(7, "k", "a", b, firstSeen)).containsExactly(1L);
            // the next bucket still knows the key, and does not copy it into itself
            assertThat(enqueueInBucket(7, "k", "a", b + 1, (b + 1) * WIDTH + 10)).containsExactly(2L);
            assertThat(redis.hexists(keys.dedupBucket(p(7), b + 1), LaneQueue.dedupHash("k"))).isFalse();
            assertThat(redis.lindex(keys.recentDuplicates(p(7)), 0))
                    .isEqualTo("7|" + ((b + 1) * WIDTH + 10) + "|" + firstSeen + "|k");
            assertThat(lane(7)).hasSize(1);
            // two buckets on, the key is forgotten (its bucket has expired in real time)
            assertThat(enqueueInBucket(7, "k", "a", b + 2, (b + 2) * WIDTH)).containsExactly(1L);
            assertThat(lane(7)).hasSize(2);
            assertThat(counter(p(7), "d")).isEqualTo(1);
            assertThat(counter(p(7), "e")).isEqualTo(2);
        }

        @Test
        void duplicatesWithinOneBatchAreCaught() {
            List<ResultCode> codes = queue.enqueueAll(List.of(new LaneQueue.Enqueue(7, "k7", "a"),
                    new LaneQueue.Enqueue(7, "k7", "a"), new LaneQueue.Enqueue(9, "k9", "b"),
                    new LaneQueue.Enqueue(9, "k9", "b"), new LaneQueue.Enqueue(9, "k9", "b")));
            assertThat(codes).containsExactly(ResultCode.QUEUED, ResultCode.DUPLICATE, ResultCode.QUEUED,
                    ResultCode.DUPLICATE, ResultCode.DUPLICATE);
            assertThat(lanePayloads(7)).containsExactly("a");
            assertThat(lanePayloads(9)).containsExactly("b");
            assertThat(queue.stats().dedupHits()).isEqualTo(3);
            assertThat(queue.stats().waiting()).isEqualTo(2);
        }

        @Test
        void batchingPerPartitionKeepsEachOrdersOrderAndAnswersInTheOrderGiven() {
            List<Long> orders = List.of(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L);
            assertThat(orders.stream().map(o -> p(o)).distinct().count()).isGreaterThan(1);
            List<LaneQueue.Enqueue> events = new ArrayList<>();
            List<ResultCode> expected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                for (long o : orders) {
                    events.add(new LaneQueue.Enqueue(o, o + "-" + i, o + ":" + i));
                    expected.add(ResultCode.QUEUED);
                }
                // one duplicate in each round, at a known position
                long dupOf = orders.get(i);
                events.add(new LaneQueue.Enqueue(dupOf, dupOf + "-" + i, "dup"));
                expected.add(ResultCode.DUPLICATE);
            }
            assertThat(queue.enqueueAll(events)).containsExactlyElementsOf(expected);
            for (long o : orders) {
                assertThat(lanePayloads(o)).containsExactly(o + ":0", o + ":1", o + ":2", o + ":3", o + ":4");
                assertThat(ready(p(o))).containsOnlyOnce(Long.toString(o));
            }
            QueueStats s = queue.stats();
            assertThat(s.enqueued()).isEqualTo(40);
            assertThat(s.dedupHits()).isEqualTo(5);
            assertThat(s.readyLanes()).isEqualTo(8);
        }

        @Test
        void dedupKeysAreHashedIntoABucketThatExpiresWhole() {
            long window = Duration.ofMinutes(5).toMillis();
            long before = System.currentTimeMillis();
            queue.enqueue(7, "shop|orders/create|e1", "a");
            queue.enqueue(7, "shop|orders/create|e2", "b");
            long after = System.currentTimeMillis();
            List<String> buckets = queueKeys().stream().filter(k -> k.startsWith(keys.prefix(p(7)) + "d:")).toList();
            assertThat(buckets).hasSize(1);
            long n = Long.parseLong(buckets.get(0).substring((keys.prefix(p(7)) + "d:").length()));
            assertThat(n).isBetween(before / window, after / window);
            assertThat(redis.hkeys(buckets.get(0))).containsExactlyInAnyOrder(
                    LaneQueue.dedupHash("shop|orders/create|e1"), LaneQueue.dedupHash("shop|orders/create|e2"))
                    .allSatisfy(f -> assertThat(f).hasSize(12));
            // the whole bucket expires at the end of bucket n + 1 (EXPIREAT, seconds)
            long expiresAt = ((n + 2) * window + 999) / 1000 * 1000;
            long pttl = redis.pttl(buckets.get(0));
            assertThat(pttl).isPositive();
            assertThat(System.currentTimeMillis() + pttl).isBetween(expiresAt - 2_000, expiresAt + 1_000);
        }
    }

    // ---- drain ---------------------------------------------------------------------------------------

    @Nested
    class Drain {
        @Test
        void claimsOneLanePerFreeHolderWithAFreshRisingToken() {
            long[] o = ordersInOnePartition(3);
            int p = p(o[0]);
            for (long id : o) {
                queue.enqueue(id, id + "-1", id + ":1");
                queue.enqueue(id, id + "-2", id + ":2");
            }
            LaneQueue.DrainResult r = queue.drain(p, List.of(), List.of(W, W2));
            assertThat(r.readyLeft()).isEqualTo(1);
            assertThat(r.finished()).isEmpty();
            assertThat(r.claims()).extracting(LaneQueue.Claim::holder).containsExactly(W, W2);
            List<ClaimedJob> first = r.claims().get(0).jobs();
            List<ClaimedJob> second = r.claims().get(1).jobs();
            assertThat(payloads(first)).containsExactly(o[0] + ":1", o[0] + ":2");
            assertThat(payloads(second)).containsExactly(o[1] + ":1", o[1] + ":2");
            // one lease per lane: all its jobs share the member and the token
            assertThat(first).extracting(ClaimedJob::lease).containsOnly(first.get(0).lease());
            assertThat(second.get(0).token()).isGreaterThan(first.get(0).token());
            for (List<ClaimedJob> jobs : List.of(first, second)) {
                LeaseMember m = LeaseMember.parse(jobs.get(0).lease());
                assertThat(m.orderId()).isEqualTo(jobs.get(0).orderId());
                assertThat(m.token()).isEqualTo(jobs.get(0).token());
                assertThat(leaseDeadline(jobs.get(0))).isNotNull().isGreaterThanOrEqualTo(m.since() + LEASE_MS);
            }
            assertThat(LeaseMember.parse(first.get(0).lease()).holder()).isEqualTo(W);
            assertThat(LeaseMember.parse(second.get(0).lease()).holder()).isEqualTo(W2);
            assertThat(redis.get(keys.tokens(p))).isEqualTo(Long.toString(second.get(0).token()));

            ClaimedJob third = claimHead(o[2], "host-c:1/t1");
            assertThat(third.token()).isEqualTo(second.get(0).token() + 1);
            // every lane is leased: nothing left to claim
            assertThat(queue.claim(p, List.of("host-d:1/t1"))).isEmpty();
            assertThat(queue.stats().leasedLanes()).isEqualTo(3);
        }

        @Test
        void aCompletionPopsExactlyTheFinishedIdsAndContinuesUnderTheSameLease() {
            LaneQueue two = new LaneQueue(redis, keys, Duration.ofMillis(LEASE_MS), Duration.ofMinutes(5), 2);
            for (int i = 1; i <= 5; i++) {
                two.enqueue(7, "d" + i, "e" + i);
            }
            List<ClaimedJob> claimed = two.claim(p(7), List.of(W)).get(0).jobs();
            assertThat(payloads(claimed)).containsExactly("e1", "e2");
            String lease = claimed.get(0).lease();

            LaneQueue.FinishResult r = two.drain(p(7), List.of(finished(claimed, true, false)), List.of())
                    .finished().get(0);
            assertThat(r.code()).isEqualTo(ResultCode.CONTINUE);
            assertThat(r.completed()).isTrue();
            assertThat(payloads(r.next())).containsExactly("e3", "e4");
            assertThat(r.next()).extracting(ClaimedJob::lease).containsOnly(lease);
            assertThat(r.next()).extracting(ClaimedJob::token).containsOnly(claimed.get(0).token());
            assertThat(redis.zrange(keys.leases(p(7)), 0, -1)).containsExactly(lease);
            assertThat(lanePayloads(7)).containsExactly("e3", "e4", "e5");

            // only the head of what was handed over is finished: only it is popped
            LaneQueue.FinishResult r2 = two.drain(p(7), List.of(finished(r.next().subList(0, 1), true, false)),
                    List.of()).finished().get(0);
            assertThat(r2.code()).isEqualTo(ResultCode.CONTINUE);
            assertThat(payloads(r2.next())).containsExactly("e4", "e5");
            assertThat(r2.next()).extracting(ClaimedJob::lease).containsOnly(lease);
            assertThat(lanePayloads(7)).containsExactly("e4", "e5");
            assertThat(two.stats().completed()).isEqualTo(3);
            assertThat(two.stats().waiting()).isEqualTo(2);
            assertThat(ready(p(7))).isEmpty();
        }

        @Test
        void doneFreesTheLeaseAndTheHolderClaimsAgainInTheSameCall() {
            long[] o = ordersInOnePartition(2);
            int p = p(o[0]);
            queue.enqueue(o[0], "a", "a1");
            List<ClaimedJob> held = claimLane(o[0], W);
            queue.enqueue(o[1], "b", "b1");

            LaneQueue.DrainResult r = queue.drain(p, List.of(finished(held, true, false)), List.of());
            assertThat(r.finished()).singleElement().satisfies(f -> {
                assertThat(f.code()).isEqualTo(ResultCode.DONE);
                assertThat(f.continues()).isFalse();
            });
            assertThat(r.claims()).singleElement().satisfies(c -> {
                assertThat(c.holder()).isEqualTo(W);
                assertThat(payloads(c.jobs())).containsExactly("b1");
                assertThat(c.jobs().get(0).token()).isGreaterThan(held.get(0).token());
            });
            assertThat(r.readyLeft()).isZero();
            assertThat(leaseDeadline(held.get(0))).isNull();
            assertThat(redis.exists(keys.lane(p, o[0]))).isFalse();
            assertThat(redis.zcard(keys.leases(p))).isEqualTo(1);
            assertThat(queue.stats().completed()).isEqualTo(1);
        }

        @Test
        void handsTheLaneOnWhenNotContinuingAndTheFreedHolderTakesTheNextReadyLane() {
            long[] o = ordersInOnePartition(2);
            int p = p(o[0]);
            queue.enqueue(o[0], "d1", "first");
            queue.enqueue(o[0], "d2", "second");
            List<ClaimedJob> jobs = claimLane(o[0], W);
            queue.enqueue(o[1], "other", "other");

            LaneQueue.DrainResult r = queue.drain(p, List.of(finished(jobs.subList(0, 1), false, false)), List.of());
            assertThat(r.finished()).singleElement().satisfies(f -> {
                assertThat(f.code()).isEqualTo(ResultCode.HANDED_ON);
                assertThat(f.next()).isEmpty();
            });
            assertThat(leaseDeadline(jobs.get(0))).isNull();
            assertThat(lanePayloads(o[0])).containsExactly("second");
            // the lane goes to the back of ready: the freed holder takes the lane that waited before it
            assertThat(r.claims()).singleElement().satisfies(c -> {
                assertThat(c.holder()).isEqualTo(W);
                assertThat(payloads(c.jobs())).containsExactly("other");
            });
            assertThat(ready(p)).containsExactly(Long.toString(o[0]));
            assertThat(r.readyLeft()).isEqualTo(1);
            ClaimedJob again = claimHead(o[0], W2);
            assertThat(again.payload()).isEqualTo("second");
            assertThat(again.token()).isGreaterThan(jobs.get(0).token());
        }

        @Test
        void aReleasedOrRevokedLeaseIsALockMismatch() {
            long[] o = ordersInOnePartition(2);
            queue.enqueue(o[0], "a", "a1");
            List<ClaimedJob> released = claimLane(o[0], W);
            queue.enqueue(o[1], "b", "b1");
            List<ClaimedJob> reaped = claimLane(o[1], W2);

            assertThat(queue.release(o[0])).isNotNull();
            redis.zadd(keys.leases(p(o[1])), 0, reaped.get(0).lease());
            assertThat(queue.reap(p(o[1]), 10).revocations()).hasSize(1);

            assertThat(finish(released, true, false).code()).isEqualTo(ResultCode.LOCK_MISMATCH);
            assertThat(finish(reaped, true, false).code()).isEqualTo(ResultCode.LOCK_MISMATCH);
            assertThat(lanePayloads(o[0])).containsExactly("a1");
            assertThat(lanePayloads(o[1])).containsExactly("b1");
            assertThat(queue.stats().completed()).isZero();
        }

        @Test
        void wrongIdsAreNotHeadAndLeaveTheLaneUntouched() {
            for (String e : List.of("a", "b", "c")) {
                queue.enqueue(7, "d" + e, e);
            }
            List<ClaimedJob> jobs = claimLane(7, W);
            List<String> before = lane(7);

            assertThat(finish(jobs.subList(1, 2), true, false).code()).isEqualTo(ResultCode.NOT_HEAD);
            assertThat(finish(List.of(jobs.get(0), jobs.get(2)), true, false).code()).isEqualTo(ResultCode.NOT_HEAD);
            assertThat(queue.drain(p(7), List.of(new LaneQueue.Finished(jobs.get(0).lease(),
                    List.of(jobs.get(0).jobId(), jobs.get(1).jobId(), jobs.get(2).jobId(), "x9"), true, false)),
                    List.of()).finished().get(0).code()).isEqualTo(ResultCode.NOT_HEAD);

            assertThat(lane(7)).isEqualTo(before);
            assertThat(leaseDeadline(jobs.get(0))).isNotNull();
            assertThat(queue.stats().completed()).isZero();
        }

        @Test
        void aRefusedCompletionKeepsTheHeadsRecordedError() {
            queue.enqueue(7, "da", "a");
            queue.enqueue(7, "db", "b");
            ClaimedJob first = claimHead(7, W);
            queue.retry(first, "boom", Duration.ZERO, false);
            redis.zadd(keys.delayed(p(7)), 0, "7");
            List<ClaimedJob> jobs = claimLane(7, W);
            assertThat(jobs.get(0).attempts()).isEqualTo(1);

            // the head matches, the second id does not: refused, and nothing about the head changes
            LaneQueue.FinishResult r = queue.drain(p(7), List.of(new LaneQueue.Finished(jobs.get(0).lease(),
                    List.of(jobs.get(0).jobId(), "not-b"), true, false)), List.of()).finished().get(0);
            assertThat(r.code()).isEqualTo(ResultCode.NOT_HEAD);
            assertThat(redis.hget(keys.failures(p(7)), jobs.get(0).jobId())).isEqualTo("boom");
            assertThat(lanePayloads(7)).containsExactly("a", "b");

            // completed for real: its error goes with it
            assertThat(finish(jobs.subList(0, 1), true, false).code()).isEqualTo(ResultCode.CONTINUE);
            assertThat(redis.exists(keys.failures(p(7)))).isFalse();
        }

        @Test
        void aResendWhoseFirstCallRanIsCompletedEarlierAndPopsNothing() {
            long[] o = ordersInOnePartition(2);
            for (String e : List.of("a", "b", "c")) {
                queue.enqueue(o[0], "d" + e, e);
            }
            List<ClaimedJob> jobs = claimLane(o[0], W);

            // the first send ran (its reply was lost): the resend is recognised and continues the same way
            assertThat(finish(jobs.subList(0, 1), true, false).code()).isEqualTo(ResultCode.CONTINUE);
            LaneQueue.FinishResult again = finish(jobs.subList(0, 1), true, true);
            assertThat(again.code()).isEqualTo(ResultCode.COMPLETED_EARLIER);
            assertThat(again.completed()).isTrue();
            assertThat(payloads(again.next())).containsExactly("b", "c");
            assertThat(again.next()).extracting(ClaimedJob::lease).containsOnly(jobs.get(0).lease());
            assertThat(lanePayloads(o[0])).containsExactly("b", "c");
            assertThat(queue.stats().completed()).isEqualTo(1);

            // the lane's last jobs: DONE, then the resend is COMPLETED_EARLIER without freeing the holder twice
            assertThat(finish(jobs.subList(1, 3), true, true).code()).isEqualTo(ResultCode.DONE);
            queue.enqueue(o[1], "other", "x");
            LaneQueue.DrainResult r = queue.drain(p(o[0]), List.of(finished(jobs.subList(1, 3), true, true)),
                    List.of());
            assertThat(r.finished()).singleElement().satisfies(f -> {
                assertThat(f.code()).isEqualTo(ResultCode.COMPLETED_EARLIER);
                assertThat(f.next()).isEmpty();
            });
            assertThat(r.claims()).isEmpty();
            assertThat(ready(p(o[1]))).containsExactly(Long.toString(o[1]));
            assertThat(redis.exists(keys.lane(p(o[0]), o[0]))).isFalse();
            assertThat(queue.stats().completed()).isEqualTo(3);
        }

        @Test
        void aResendWhoseFirstCallDidNotRunCompletesNormally() {
            queue.enqueue(7, "da", "a");
            queue.enqueue(7, "db", "b");
            int p = p(7);
            List<ClaimedJob> jobs = claimLane(7, W);
            LaneQueue.DrainResult r = queue.drain(p, List.of(finished(jobs.subList(0, 1), false, true)), List.of());
            assertThat(r.finished().get(0).code()).isEqualTo(ResultCode.HANDED_ON);
            assertThat(lanePayloads(7)).containsExactly("b");
            // the only ready lane is the one just handed on: the freed holder takes it under a new lease
            assertThat(r.claims()).singleElement().satisfies(c -> assertThat(payloads(c.jobs())).containsExactly("b"));
            String newLease = r.claims().get(0).jobs().get(0).lease();
            assertThat(newLease).isNotEqualTo(jobs.get(0).lease());

            // and once more: the old lease is gone and the head moved on, so it was completed earlier;
            // nothing is popped, handed on or claimed twice
            LaneQueue.DrainResult again = queue.drain(p, List.of(finished(jobs.subList(0, 1), false, true)),
                    List.of());
            assertThat(again.finished().get(0).code()).isEqualTo(ResultCode.COMPLETED_EARLIER);
            assertThat(again.claims()).isEmpty();
            assertThat(ready(p)).isEmpty();
            assertThat(lanePayloads(7)).containsExactly("b");
            assertThat(redis.zrange(keys.leases(p), 0, -1)).containsExactly(newLease);
            assertThat(queue.stats().completed()).isEqualTo(1);
        }

        @Test
        void dueDelayedLanesArePromotedForFreeHolders() {
            long[] o = ordersInOnePartition(2);
            int p = p(o[0]);
            queue.enqueue(o[0], "a", "a1");
            queue.retry(claimHead(o[0], W), "boom", Duration.ofHours(1), false);
            queue.enqueue(o[1], "b", "b1");
            queue.retry(claimHead(o[1], W), "boom", Duration.ofHours(1), false);
            assertThat(queue.claim(p, List.of(W))).isEmpty();

            redis.zadd(keys.delayed(p), serverMillis() - 1, Long.toString(o[0]));
            List<LaneQueue.Claim> claims = queue.claim(p, List.of(W, W2));
            assertThat(claims).singleElement().satisfies(c -> {
                assertThat(c.holder()).isEqualTo(W);
                assertThat(c.jobs()).singleElement().satisfies(j -> {
                    assertThat(j.orderId()).isEqualTo(o[0]);
                    assertThat(j.attempts()).isEqualTo(1);
                });
            });
            assertThat(redis.zrange(keys.delayed(p), 0, -1)).containsExactly(Long.toString(o[1]));
        }
    }

    // ---- extend --------------------------------------------------------------------------------------

    @Nested
    class Extend {
        @Test
        void renewsOwnedLeasesAndReportsLostOnes() {
            long[] o = ordersInOnePartition(3);
            int p = p(o[0]);
            for (long id : o) {
                queue.enqueue(id, "d" + id, "p" + id);
            }
            List<LaneQueue.Claim> claims = queue.claim(p, List.of(W, "host-a:101/t2", "host-a:101/t3"));
            assertThat(claims).hasSize(3);
            ClaimedJob owned = claims.get(0).jobs().get(0);
            ClaimedJob released = claims.get(1).jobs().get(0);
            ClaimedJob reaped = claims.get(2).jobs().get(0);

            // an owned lease is pushed to now + lease (its deadline first set near, as if time had passed)
            redis.zadd(keys.leases(p), serverMillis() + 1_000, owned.lease());
            long from = serverMillis();
            assertThat(queue.extend(p, List.of(owned.lease()))).isEmpty();
            assertThat(leaseDeadline(owned)).isNotNull().isBetween((double) from + LEASE_MS,
                    (double) serverMillis() + LEASE_MS);

            assertThat(queue.release(released.orderId())).isNotNull();
            redis.zadd(keys.leases(p), 0, reaped.lease());
            assertThat(queue.reap(p, 10).revocations()).extracting(LaneQueue.Revocation::orderId)
                    .containsExactly(reaped.orderId());

            redis.zadd(keys.leases(p), serverMillis() + 1_000, owned.lease());
            long from2 = serverMillis();
            assertThat(queue.extend(p, List.of(owned.lease(), released.lease(), reaped.lease())))
                    .containsExactly(released.lease(), reaped.lease());
            assertThat(leaseDeadline(owned)).isNotNull().isBetween((double) from2 + LEASE_MS,
                    (double) serverMillis() + LEASE_MS);
            // lost leases are not resurrected
            assertThat(leaseDeadline(released)).isNull();
            assertThat(leaseDeadline(reaped)).isNull();
            assertThat(redis.zcard(keys.leases(p))).isEqualTo(1);
        }
    }

    // ---- retry and park ------------------------------------------------------------------------------

    @Nested
    class RetryAndPark {
        @Test
        void retryCountsTheAttemptInTheEntryKeepsTheErrorAndDelaysTheLane() {
            queue.enqueue(7, "d1", "first");
            queue.enqueue(7, "d2", "second");
            int p = p(7);
            ClaimedJob job = claimHead(7, W);
            long before = serverMillis();
            LaneQueue.FailResult r = queue.retry(job, "boom", Duration.ofHours(1), false);
            long after = serverMillis();
            assertThat(r.code()).isEqualTo(ResultCode.RETRY_SCHEDULED);
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.revocation()).isNull();
            assertThat(lane(7)).containsExactly(job.jobId() + "|1|first", lane(7).get(1));
            assertThat(lanePayloads(7)).containsExactly("first", "second");
            assertThat(redis.hget(keys.failures(p), job.jobId())).isEqualTo("boom");
            assertThat(leaseDeadline(job)).isNull();
            assertThat(redis.zscore(keys.delayed(p), "7")).isBetween(before + 3_600_000.0, after + 3_600_000.0);
            QueueStats s = queue.stats();
            assertThat(s.retries()).isEqualTo(1);
            assertThat(s.delayedLanes()).isEqualTo(1);
            assertThat(s.leasedLanes()).isZero();
            assertThat(s.waiting()).isEqualTo(2);
            assertThat(queue.claim(p, List.of(W))).isEmpty();

            // due: the same head again, its attempts carried; a second failure counts on
            redis.zadd(keys.delayed(p), 0, "7");
            ClaimedJob again = claimHead(7, W2);
            assertThat(again.jobId()).isEqualTo(job.jobId());
            assertThat(again.attempts()).isEqualTo(1);
            assertThat(queue.retry(again, "boom again", Duration.ZERO, false).attempts()).isEqualTo(2);
            assertThat(lane(7).get(0)).isEqualTo(job.jobId() + "|2|first");
            assertThat(redis.hget(keys.failures(p), job.jobId())).isEqualTo("boom again");
        }

        @Test
        void aLostLeaseOrAWrongHeadIsRefusedAndChangesNothing() {
            queue.enqueue(7, "d1", "first");
            ClaimedJob job = claimHead(7, W);
            ClaimedJob notHead = new ClaimedJob(job.partition(), 7, "nope", job.token(), "x", 0, job.lease());
            assertThat(queue.retry(notHead, "e", Duration.ZERO, false).code()).isEqualTo(ResultCode.NOT_HEAD);
            assertThat(queue.park(notHead, "e", false).code()).isEqualTo(ResultCode.NOT_HEAD);
            assertThat(leaseDeadline(job)).isNotNull();

            queue.release(7);
            assertThat(queue.retry(job, "e", Duration.ZERO, false).code()).isEqualTo(ResultCode.LOCK_MISMATCH);
            assertThat(queue.park(job, "e", false).code()).isEqualTo(ResultCode.LOCK_MISMATCH);
            assertThat(lane(7)).containsExactly(job.jobId() + "|0|first");
            assertThat(redis.exists(keys.failures(job.partition()))).isFalse();
            assertThat(redis.exists(keys.delayed(job.partition()))).isFalse();
            assertThat(redis.exists(keys.parked(job.partition()))).isFalse();
            assertThat(queue.stats().retries()).isZero();
        }

        @Test
        void parkHoldsTheLaneForAnOperator() {
            queue.enqueue(7, "d1", "poison");
            queue.enqueue(7, "d2", "next");
            ClaimedJob job = claimHead(7, W);
            LaneQueue.FailResult r = queue.park(job, "bad payload", false);
            assertThat(r.code()).isEqualTo(ResultCode.PARKED);
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.revocation()).isNull();
            assertThat(redis.zscore(keys.parked(p(7)), "7")).isNotNull();
            assertThat(leaseDeadline(job)).isNull();
            assertThat(lane(7).get(0)).isEqualTo(job.jobId() + "|1|poison");
            assertThat(redis.hget(keys.failures(p(7)), job.jobId())).isEqualTo("bad payload");
            assertThat(queue.claim(p(7), List.of(W))).isEmpty();
            assertThat(queue.parked(10)).singleElement().satisfies(pl -> {
                assertThat(pl.orderId()).isEqualTo(7);
                assertThat(pl.headJob()).isEqualTo(job.jobId());
                assertThat(pl.attempts()).isEqualTo(1);
                assertThat(pl.error()).isEqualTo("bad payload");
                assertThat(pl.depth()).isEqualTo(2);
            });
        }

        @Test
        void aRevokingRetryWaitsInRevokedUntilHandOnDelaysIt() {
            queue.enqueue(7, "d1", "slow");
            int p = p(7);
            ClaimedJob job = claimHead(7, W);
            long before = serverMillis();
            LaneQueue.FailResult r = queue.retry(job, "deadline passed", Duration.ofHours(1), true);
            long after = serverMillis();
            assertThat(r.code()).isEqualTo(ResultCode.RETRY_SCHEDULED);
            assertThat(r.attempts()).isEqualTo(1);
            LaneQueue.Revocation rev = r.revocation();
            assertThat(rev).isNotNull();
            assertThat(rev.orderId()).isEqualTo(7);
            assertThat(rev.fence()).isGreaterThan(job.token());
            long due = Long.parseLong(rev.member().split("\\|")[2]);
            assertThat(due).isBetween(before + 3_600_000, after + 3_600_000);
            assertThat(redis.zscore(keys.revoked(p), rev.member()))
                    .isBetween((double) before + LaneQueue.REVOKE_GRACE_MS, (double) after + LaneQueue.REVOKE_GRACE_MS);
            assertThat(redis.exists(keys.delayed(p))).isFalse();
            assertThat(leaseDeadline(job)).isNull();
            assertThat(queue.stats().leasedLanes()).as("a revoked lane still counts as held").isEqualTo(1);
            assertThat(queue.claim(p, List.of(W2))).isEmpty();

            assertThat(queue.handOn(rev)).isEqualTo(ResultCode.RETRY_SCHEDULED);
            assertThat(redis.zscore(keys.delayed(p), "7")).isEqualTo((double) due);
            assertThat(redis.exists(keys.revoked(p))).isFalse();
            assertThat(queue.stats().delayedLanes()).isEqualTo(1);
            assertThat(queue.stats().leasedLanes()).isZero();
        }

        @Test
        void aRevokingParkWaitsInRevokedUntilHandOnParksIt() {
            queue.enqueue(7, "d1", "slow");
            int p = p(7);
            ClaimedJob job = claimHead(7, W);
            LaneQueue.FailResult r = queue.park(job, "deadline passed", true);
            assertThat(r.code()).isEqualTo(ResultCode.PARKED);
            assertThat(r.revocation()).isNotNull();
            assertThat(r.revocation().member()).isEqualTo("7|" + r.revocation().fence() + "|-1");
            assertThat(r.revocation().fence()).isGreaterThan(job.token());
            assertThat(redis.exists(keys.parked(p))).isFalse();
            assertThat(redis.hget(keys.failures(p), job.jobId())).isEqualTo("deadline passed");

            assertThat(queue.handOn(r.revocation())).isEqualTo(ResultCode.PARKED);
            assertThat(redis.zscore(keys.parked(p), "7")).isNotNull();
            assertThat(redis.exists(keys.revoked(p))).isFalse();
            assertThat(queue.stats().parkedLanes()).isEqualTo(1);
        }
    }

    // ---- reap ----------------------------------------------------------------------------------------

    @Nested
    class Reap {
        @Test
        void anExpiredLeaseIsRevokedUnderAFenceAboveItsToken() {
            queue.enqueue(7, "d1", "a");
            int p = p(7);
            ClaimedJob job = claimHead(7, W);
            redis.zadd(keys.leases(p), serverMillis() - 1, job.lease());
            long before = serverMillis();
            LaneQueue.Reaped r = queue.reap(p, 10);
            assertThat(r.readyLeft()).isZero();
            assertThat(r.revocations()).singleElement().satisfies(rev -> {
                assertThat(rev.orderId()).isEqualTo(7);
                assertThat(rev.fence()).isGreaterThan(job.token());
                assertThat(rev.member()).isEqualTo("7|" + rev.fence() + "|0");
                assertThat(redis.zscore(keys.revoked(p), rev.member()))
                        .isGreaterThanOrEqualTo((double) before + LaneQueue.REVOKE_GRACE_MS);
            });
            assertThat(leaseDeadline(job)).isNull();
            assertThat(queue.stats().stallsRecovered()).isEqualTo(1);
            assertThat(finish(List.of(job), true, false).code()).isEqualTo(ResultCode.LOCK_MISMATCH);

            LaneQueue.Revocation rev = r.revocations().get(0);
            assertThat(queue.handOn(rev)).isEqualTo(ResultCode.HANDED_ON);
            ClaimedJob again = claimHead(7, W2);
            assertThat(again.jobId()).isEqualTo(job.jobId());
            assertThat(again.token()).isGreaterThan(rev.fence());
        }

        @Test
        void liveLeasesAreLeftAlone() {
            queue.enqueue(7, "d1", "a");
            ClaimedJob job = claimHead(7, W);
            assertThat(queue.reap(job.partition(), 10).revocations()).isEmpty();
            assertThat(leaseDeadline(job)).isNotNull();
            assertThat(queue.stats().stallsRecovered()).isZero();
        }

        @Test
        void anUnfinishedRevocationPastItsDeadlineIsReturnedAgain() {
            queue.enqueue(7, "d1", "a");
            int p = p(7);
            claimHead(7, W);
            LaneQueue.Revocation rev = queue.release(7);
            // its revoker is within its grace: not returned
            assertThat(queue.reap(p, 10).revocations()).isEmpty();

            // its revoker died: past the deadline, the reaper returns it, with a new deadline
            redis.zadd(keys.revoked(p), serverMillis() - 1, rev.member());
            long before = serverMillis();
            assertThat(queue.reap(p, 10).revocations()).containsExactly(rev);
            assertThat(redis.zscore(keys.revoked(p), rev.member()))
                    .isGreaterThanOrEqualTo((double) before + LaneQueue.REVOKE_GRACE_MS);
            assertThat(queue.reap(p, 10).revocations()).isEmpty();
            assertThat(queue.stats().stallsRecovered()).isZero();
            assertThat(queue.handOn(rev)).isEqualTo(ResultCode.HANDED_ON);
        }

        /** One full sweep of the node's keys (the reaper's cursor back at 0); the lanes it readied. */
        private long sweepOnce(int p) {
            long readied = queue.reap(p, 10).lanesReadied();
            for (int pass = 0; redis.exists(keys.sweepCursor(p)); pass++) {
                assertThat(pass).as("sweep passes").isLessThan(10_000);
                readied += queue.reap(p, 10).lanesReadied();
            }
            return readied;
        }

        /**
         * A lane a failed script left in no state (entries, but not ready, leased, revoked, delayed,
         * parked or held back by a pause) is found by the reaper's sweep and readied once; lanes in a
         * state are left where they are (docs/DESIGN.md, "Redis Cluster").
         */
        @Test
        void aLaneInNoStateIsFoundAndReadiedOnceAndNoOtherLaneIsTouched() {
            long[] o = ordersInOnePartition(6);
            int p = p(o[0]);
            for (int i = 0; i < 4; i++) {
                queue.enqueue(o[i], "k" + i, "e" + i);
            }
            ClaimedJob leased = claimHead(o[0], W);
            queue.retry(claimHead(o[1], W), "boom", Duration.ofHours(1), false); // delayed
            queue.park(claimHead(o[2], W), "boom", false); // parked
            queue.pause(o[3]);
            assertThat(queue.claim(p, List.of(W2))).isEmpty(); // o[3] held back by its pause: in no list
            queue.enqueue(o[4], "k4", "e4");
            queue.enqueue(o[5], "k5", "e5");
            // o[4]: ready; o[5]: a claim refused mid-way took it out of ready and leased nothing
            redis.lrem(keys.ready(p), 0, Long.toString(o[5]));
            assertThat(ready(p)).containsExactly(Long.toString(o[4]));

            assertThat(sweepOnce(p)).isEqualTo(1);
            assertThat(ready(p)).containsExactly(Long.toString(o[4]), Long.toString(o[5]));
            assertThat(redis.hget(keys.stats(p), "or")).isEqualTo("1");
            assertThat(sweepOnce(p)).isZero();
            assertThat(leaseDeadline(leased)).isNotNull();
            assertThat(redis.zscore(keys.delayed(p), Long.toString(o[1]))).isNotNull();
            assertThat(redis.zscore(keys.parked(p), Long.toString(o[2]))).isNotNull();
            assertThat(redis.zscore(keys.paused(p), Long.toString(o[3]))).isNegative();
        }

        @Test
        void dueDelayedLanesGoBackToReadyAndReadyLeftIsReported() {
            long[] o = ordersInOnePartition(3);
            int p = p(o[0]);
            queue.enqueue(o[0], "a", "a1");
            queue.retry(claimHead(o[0], W), "boom", Duration.ofHours(1), false);
            queue.enqueue(o[1], "b", "b1");
            queue.retry(claimHead(o[1], W), "boom", Duration.ofHours(1), false);
            queue.enqueue(o[2], "c", "c1");

            redis.zadd(keys.delayed(p), serverMillis() - 1, Long.toString(o[0]));
            LaneQueue.Reaped r = queue.reap(p, 10);
            assertThat(r.readyLeft()).isEqualTo(2);
            assertThat(r.revocations()).isEmpty();
            assertThat(ready(p)).containsExactly(Long.toString(o[2]), Long.toString(o[0]));
            assertThat(redis.zrange(keys.delayed(p), 0, -1)).containsExactly(Long.toString(o[1]));
        }
    }

    // ---- release -------------------------------------------------------------------------------------

    @Nested
    class Release {
        @Test
        void anOperatorReleasesWhicheverLeaseTheOrderHas() {
            queue.enqueue(7, "d1", "a");
            int p = p(7);
            ClaimedJob job = claimHead(7, W);
            LaneQueue.Revocation rev = queue.release(7);
            assertThat(rev).isNotNull();
            assertThat(rev.orderId()).isEqualTo(7);
            assertThat(rev.fence()).isGreaterThan(job.token());
            assertThat(rev.member()).isEqualTo("7|" + rev.fence() + "|0");
            assertThat(redis.zscore(keys.revoked(p), rev.member())).isNotNull();
            assertThat(leaseDeadline(job)).isNull();
            assertThat(queue.stats().released()).isEqualTo(1);
            assertThat(lanePayloads(7)).containsExactly("a");
            // nothing left to release
            assertThat(queue.release(7)).isNull();
            assertThat(queue.release(8)).isNull();
            assertThat(queue.stats().released()).isEqualTo(1);
        }

        @Test
        void releaseHeldReleasesOnlyThatExactLease() {
            queue.enqueue(7, "d1", "a");
            int p = p(7);
            ClaimedJob mine = claimHead(7, W);
            queue.handOn(queue.release(7));
            ClaimedJob theirs = claimHead(7, W2);
            Double theirDeadline = leaseDeadline(theirs);

            // a shutting-down holder whose lease was taken over cannot revoke the live holder
            assertThat(queue.releaseHeld(mine)).isNull();
            assertThat(leaseDeadline(theirs)).isEqualTo(theirDeadline);
            assertThat(redis.exists(keys.revoked(p))).isFalse();

            LaneQueue.Revocation rev = queue.releaseHeld(theirs);
            assertThat(rev).isNotNull();
            assertThat(rev.fence()).isGreaterThan(theirs.token());
            assertThat(leaseDeadline(theirs)).isNull();
            assertThat(queue.stats().released()).as("only operator releases are counted").isEqualTo(1);
        }
    }

    // ---- hand on -------------------------------------------------------------------------------------

    @Nested
    class HandOn {
        @Test
        void putsARevokedLaneAtTheFrontOfReadyOnce() {
            long[] o = ordersInOnePartition(2);
            int p = p(o[0]);
            queue.enqueue(o[0], "a", "a1");
            claimHead(o[0], W);
            queue.enqueue(o[1], "b", "b1");
            LaneQueue.Revocation rev = queue.release(o[0]);
            assertThat(ready(p)).containsExactly(Long.toString(o[1]));

            assertThat(queue.handOn(rev)).isEqualTo(ResultCode.HANDED_ON);
            assertThat(ready(p)).containsExactly(Long.toString(o[0]), Long.toString(o[1]));
            assertThat(redis.exists(keys.revoked(p))).isFalse();
            assertThat(queue.handOn(rev)).isEqualTo(ResultCode.NOT_HELD);
            assertThat(ready(p)).containsExactly(Long.toString(o[0]), Long.toString(o[1]));
        }

        @Test
        void aRevocationWhoseBackoffHasPassedGoesStraightToReady() {
            queue.enqueue(7, "d1", "a");
            int p = p(7);
            claimHead(7, W);
            redis.zrem(keys.leases(p), redis.zrange(keys.leases(p), 0, -1).toArray(new String[0]));
            String member = "7|99|" + (serverMillis() - 1);
            redis.zadd(keys.revoked(p), serverMillis() + 5_000, member);
            assertThat(queue.handOn(new LaneQueue.Revocation(p, 7, 99, member))).isEqualTo(ResultCode.HANDED_ON);
            assertThat(ready(p)).containsExactly("7");
            assertThat(redis.exists(keys.delayed(p))).isFalse();
        }

        @Test
        void anIdleLaneIsDone() {
            int p = p(99);
            redis.zadd(keys.revoked(p), serverMillis() + 5_000, "99|5|0");
            assertThat(queue.handOn(new LaneQueue.Revocation(p, 99, 5, "99|5|0"))).isEqualTo(ResultCode.DONE);
            assertThat(redis.exists(keys.revoked(p))).isFalse();
            assertThat(redis.exists(keys.ready(p))).isFalse();
        }
    }

    // ---- retryParked / skipParked --------------------------------------------------------------------

    @Nested
    class Parked {
        private ClaimedJob parkLane(long orderId, String... payloads) {
            for (String e : payloads) {
                queue.enqueue(orderId, orderId + "-" + e, e);
            }
            ClaimedJob job = claimHead(orderId, W);
            assertThat(queue.park(job, "bad", false).code()).isEqualTo(ResultCode.PARKED);
            return job;
        }

        @Test
        void retryParkedResumesTheLaneInOrderWithAttemptsReset() {
            ClaimedJob job = parkLane(7, "a", "b", "c");
            int p = p(7);
            assertThat(queue.retryParked(7)).isTrue();
            assertThat(queue.retryParked(7)).isFalse();
            assertThat(lane(7).get(0)).isEqualTo(job.jobId() + "|0|a");
            assertThat(lanePayloads(7)).containsExactly("a", "b", "c");
            assertThat(redis.exists(keys.failures(p))).isFalse();
            assertThat(redis.exists(keys.parked(p))).isFalse();
            assertThat(ready(p)).containsExactly("7");
            List<ClaimedJob> again = claimLane(7, W2);
            assertThat(payloads(again)).containsExactly("a", "b", "c");
            assertThat(again).extracting(ClaimedJob::attempts).containsOnly(0);
        }

        @Test
        void skipParkedDropsTheHeadCountsItAndResumesTheRest() {
            parkLane(7, "a", "b");
            int p = p(7);
            assertThat(queue.skipParked(7)).isEqualTo("a");
            assertThat(queue.skipParked(7)).isNull();
            assertThat(lanePayloads(7)).containsExactly("b");
            assertThat(ready(p)).containsExactly("7");
            assertThat(redis.exists(keys.failures(p))).isFalse();
            assertThat(counter(p, "sk")).isEqualTo(1);
            QueueStats s = queue.stats();
            assertThat(s.waiting()).isEqualTo(1);
            assertThat(s.parkedLanes()).isZero();

            assertThat(finish(claimLane(7, W2), true, false).code()).isEqualTo(ResultCode.DONE);
            assertThat(queue.stats().waiting()).isZero();
        }

        @Test
        void skippingTheOnlyEventLeavesNoLaneAndNothingReady() {
            parkLane(7, "a");
            assertThat(queue.skipParked(7)).isEqualTo("a");
            assertThat(redis.exists(keys.lane(p(7), 7))).isFalse();
            assertThat(ready(p(7))).isEmpty();
            assertThat(queue.stats().waiting()).isZero();
        }

        @Test
        void aLaneThatIsNotParkedIsLeftAlone() {
            queue.enqueue(7, "d1", "a");
            assertThat(queue.retryParked(7)).isFalse();
            assertThat(queue.skipParked(7)).isNull();
            assertThat(lanePayloads(7)).containsExactly("a");
            assertThat(ready(p(7))).containsExactly("7");
        }
    }

    // ---- pause / resume ------------------------------------------------------------------------------

    @Nested
    class Pause {
        @Test
        void aPausedLaneIsNeverClaimedWhilePausedAndIsClaimedInOrderAfterResume() {
            long[] o = ordersInOnePartition(2);
            int p = p(o[0]);
            queue.enqueue(o[0], "a1", "a:1");
            queue.enqueue(o[0], "a2", "a:2");
            long before = serverMillis();
            long pausedAt = queue.pause(o[0]);
            assertThat(pausedAt).isBetween(before, serverMillis());
            assertThat(queue.pause(o[0])).as("pausing again changes nothing").isEqualTo(pausedAt);
            queue.enqueue(o[1], "b1", "b:1");
            queue.enqueue(o[0], "a3", "a:3");

            // the free holders get the other lane only; the paused one is taken out of ready, held back
            LaneQueue.DrainResult r = queue.drain(p, List.of(), List.of(W, W2));
            assertThat(r.claims()).singleElement().satisfies(c -> assertThat(c.jobs().get(0).orderId()).isEqualTo(o[1]));
            assertThat(ready(p)).isEmpty();
            assertThat(queue.claim(p, List.of(W2))).isEmpty();
            assertThat(queue.paused(10)).containsExactly(new PausedLane(o[0], pausedAt, true, 3));
            assertThat(lanePayloads(o[0])).containsExactly("a:1", "a:2", "a:3");

            assertThat(queue.resume(o[0])).isTrue();
            assertThat(queue.resume(o[0])).as("not paused any more").isFalse();
            assertThat(ready(p)).containsExactly(Long.toString(o[0]));
            assertThat(queue.paused(10)).isEmpty();
            assertThat(payloads(claimLane(o[0], W2))).containsExactly("a:1", "a:2", "a:3");
        }

        @Test
        void pausingAHeldLaneLetsTheHolderFinishAndBlocksTheNextClaim() {
            LaneQueue one = new LaneQueue(redis, keys, Duration.ofMillis(LEASE_MS), Duration.ofMinutes(5), 1);
            for (int i = 1; i <= 3; i++) {
                one.enqueue(7, "d" + i, "e" + i);
            }
            List<ClaimedJob> held = one.claim(p(7), List.of(W)).get(0).jobs();
            assertThat(payloads(held)).containsExactly("e1");
            one.pause(7);
            assertThat(one.paused(10)).singleElement().satisfies(l -> assertThat(l.heldBack()).isFalse());

            // the holder's completion is recorded, but its lane is not continued: the lease goes
            LaneQueue.FinishResult f = one.drain(p(7), List.of(finished(held, true, false)), List.of()).finished().get(0);
            assertThat(f.code()).isEqualTo(ResultCode.PAUSED);
            assertThat(f.completed()).isTrue();
            assertThat(f.continues()).isFalse();
            assertThat(leaseDeadline(held.get(0))).isNull();
            assertThat(one.stats().completed()).isEqualTo(1);
            assertThat(lanePayloads(7)).containsExactly("e2", "e3");
            assertThat(ready(p(7))).isEmpty();
            assertThat(one.claim(p(7), List.of(W2))).isEmpty();
            assertThat(one.paused(10)).singleElement().satisfies(l -> {
                assertThat(l.heldBack()).isTrue();
                assertThat(l.depth()).isEqualTo(2);
            });

            assertThat(one.resume(7)).isTrue();
            List<ClaimedJob> next = one.claim(p(7), List.of(W2)).get(0).jobs();
            assertThat(payloads(next)).containsExactly("e2");
            assertThat(next.get(0).token()).isGreaterThan(held.get(0).token());
        }

        @Test
        void aLaneResumedBeforeAnyClaimFoundItIsReadyOnceNotTwice() {
            queue.enqueue(7, "d1", "a");
            queue.pause(7);
            assertThat(queue.resume(7)).isTrue();
            assertThat(ready(p(7))).containsExactly("7");
            assertThat(payloads(claimLane(7, W))).containsExactly("a");
            assertThat(queue.claim(p(7), List.of(W2))).isEmpty();
        }

        @Test
        void aPausedLaneThatIsRevokedAndHandedOnIsHeldBackAtItsNextClaim() {
            queue.enqueue(7, "d1", "a");
            ClaimedJob job = claimHead(7, W);
            queue.pause(7);
            LaneQueue.Revocation revoked = queue.release(7);
            assertThat(queue.handOn(revoked)).isEqualTo(ResultCode.HANDED_ON);
            assertThat(queue.claim(p(7), List.of(W2))).isEmpty();
            assertThat(queue.resume(7)).isTrue();
            ClaimedJob again = claimHead(7, W2);
            assertThat(again.jobId()).isEqualTo(job.jobId());
        }
    }

    // ---- stats ---------------------------------------------------------------------------------------

    @Nested
    class Stats {
        @Test
        void anEmptyQueueHasNothing() {
            assertThat(queue.stats()).isEqualTo(QueueStats.EMPTY);
            assertThat(queue.stats().drained()).isTrue();
        }

        @Test
        void gaugesComeFromTheListsAndZsetsAndCountersFromTheStatsHash() {
            queue.enqueue(2, "2", "x");
            claimHead(2, W); // leased
            queue.enqueue(3, "3", "x");
            queue.retry(claimHead(3, W), "e", Duration.ofHours(1), false); // delayed, a retry
            queue.enqueue(4, "4", "x");
            queue.park(claimHead(4, W), "e", false); // parked
            queue.enqueue(5, "5", "x");
            claimHead(5, W);
            queue.release(5); // revoked by an operator: still held until handed on
            queue.enqueue(6, "6", "x");
            finish(claimLane(6, W), true, false); // completed
            queue.enqueue(8, "8", "x");
            ClaimedJob stalled = claimHead(8, W);
            redis.zadd(keys.leases(p(8)), 0, stalled.lease());
            queue.reap(p(8), 10); // a stall recovered, revoked
            queue.enqueue(1, "1a", "x");
            queue.enqueue(1, "1b", "x"); // ready
            queue.enqueue(1, "1a", "x"); // a duplicate

            QueueStats s = queue.stats();
            assertThat(s.readyLanes()).isEqualTo(1);
            assertThat(s.leasedLanes()).isEqualTo(3);
            assertThat(s.delayedLanes()).isEqualTo(1);
            assertThat(s.parkedLanes()).isEqualTo(1);
            assertThat(s.enqueued()).isEqualTo(8);
            assertThat(s.completed()).isEqualTo(1);
            assertThat(s.waiting()).isEqualTo(7);
            assertThat(s.dedupHits()).isEqualTo(1);
            assertThat(s.stallsRecovered()).isEqualTo(1);
            assertThat(s.retries()).isEqualTo(1);
            assertThat(s.released()).isEqualTo(1);
            assertThat(s.drained()).isFalse();
        }
    }

    // ---- partition count -----------------------------------------------------------------------------

    @Nested
    class PartitionCount {
        @Test
        void theSameCountIsAccepted() {
            queue.checkPartitionCount();
            queue.checkPartitionCount();
            new LaneQueue(redis, new Keys(keys.queue(), 4), Duration.ofSeconds(1), Duration.ofMinutes(1))
                    .checkPartitionCount();
            assertThat(redis.get(keys.partitionCount())).isEqualTo("4");
        }

        @Test
        void anotherCountIsRefusedNamingTheSetting() {
            queue.checkPartitionCount();
            LaneQueue other = new LaneQueue(redis, new Keys(keys.queue(), 8), Duration.ofSeconds(1),
                    Duration.ofMinutes(1));
            assertThatThrownBy(other::checkPartitionCount).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("queue.partitions=4").hasMessageContaining("queue.partitions=8")
                    .hasMessageContaining(keys.queue());
            assertThat(redis.get(keys.partitionCount())).isEqualTo("4");
        }
    }

    // ---- no per-order state --------------------------------------------------------------------------

    @Nested
    class NoPerOrderStateAfterDrain {
        private static final Pattern ALLOWED = Pattern.compile("\\{\\d+}:(r|k|v|y|z|f|s|n|u|o|d:\\d+)|partitions");
        private static final Set<String> COUNTERS = Set.of("e", "c", "d", "x", "t", "rl", "sk");

        @Test
        void onlyPartitionKeysAreLeftWhenEveryLaneIsDrained() {
            queue.checkPartitionCount();
            int orders = 120;
            int perOrder = 4;
            List<LaneQueue.Enqueue> events = new ArrayList<>();
            for (int i = 0; i < perOrder; i++) {
                for (long o = 1; o <= orders; o++) {
                    events.add(new LaneQueue.Enqueue(o, "k" + o + "-" + i, o + ":" + i));
                    if (o % 7 == 0) {
                        events.add(new LaneQueue.Enqueue(o, "k" + o + "-" + i, "dup"));
                    }
                }
            }
            for (int from = 0; from < events.size(); from += 100) {
                queue.enqueueAll(events.subList(from, Math.min(events.size(), from + 100)));
            }
            assertThat(queue.stats().waiting()).isEqualTo((long) orders * perOrder);

            // three holders per partition; every tenth order's first attempt fails once (retried at once)
            Map<Long, List<String>> ran = new HashMap<>();
            Map<Integer, Map<String, List<ClaimedJob>>> active = new HashMap<>();
            for (int p = 0; p < keys.partitions(); p++) {
                active.put(p, new LinkedHashMap<>());
            }
            Set<String> failedOnce = new HashSet<>();
            int rounds = 0;
            while (queue.stats().waiting() > 0) {
                assertThat(++rounds).as("drain rounds").isLessThan(2_000);
                Map<Integer, LaneQueue.DrainRequest> requests = new HashMap<>();
                Map<Integer, List<String>> sentHolders = new HashMap<>();
                for (int p = 0; p < keys.partitions(); p++) {
                    List<LaneQueue.Finished> fin = new ArrayList<>();
                    List<String> holders = new ArrayList<>();
                    List<String> free = new ArrayList<>();
                    for (int h = 0; h < 3; h++) {
                        String holder = "host:1/p" + p + "-t" + h;
                        List<ClaimedJob> jobs = active.get(p).remove(holder);
                        if (jobs == null) {
                            free.add(holder);
                            continue;
                        }
                        ClaimedJob head = jobs.get(0);
                        if (head.orderId() % 10 == 0 && head.payload().endsWith(":0") && failedOnce.add(head.jobId())) {
                            assertThat(queue.retry(head, "flaky", Duration.ZERO, false).code())
                                    .isEqualTo(ResultCode.RETRY_SCHEDULED);
                            free.add(holder);
                            continue;
                        }
                        for (ClaimedJob j : jobs) {
                            ran.computeIfAbsent(j.orderId(), k -> new ArrayList<>()).add(j.payload());
                        }
                        fin.add(finished(jobs, rounds % 3 != 0, false));
                        holders.add(holder);
                    }
                    requests.put(p, new LaneQueue.DrainRequest(fin, free));
                    sentHolders.put(p, holders);
                }
                Map<Integer, LaneQueue.DrainResult> results = queue.drainAll(requests);
                for (int p = 0; p < keys.partitions(); p++) {
                    LaneQueue.DrainResult r = results.get(p);
                    for (int i = 0; i < r.finished().size(); i++) {
                        LaneQueue.FinishResult f = r.finished().get(i);
                        assertThat(f.code()).isIn(ResultCode.CONTINUE, ResultCode.DONE, ResultCode.HANDED_ON);
                        if (f.continues()) {
                            active.get(p).put(sentHolders.get(p).get(i), f.next());
                        }
                    }
                    for (LaneQueue.Claim c : r.claims()) {
                        assertThat(active.get(p).put(c.holder(), c.jobs())).isNull();
                    }
                }
            }
            for (long o = 1; o <= orders; o++) {
                List<String> want = new ArrayList<>();
                for (int i = 0; i < perOrder; i++) {
                    want.add(o + ":" + i);
                }
                assertThat(ran.get(o)).as("order %d ran in order, once each", o).isEqualTo(want);
            }
            QueueStats s = queue.stats();
            assertThat(s).isEqualTo(new QueueStats(0, 0, 0, 0, 0, (long) orders * perOrder,
                    (long) orders * perOrder, s.dedupHits(), 0, orders / 10, 0));
            assertThat(s.dedupHits()).isEqualTo(perOrder * (orders / 7));

            Set<String> left = queueKeys();
            String q = keys.queue() + ":";
            for (String k : left) {
                assertThat(k).startsWith(q);
                assertThat(ALLOWED.matcher(k.substring(q.length())).matches()).as("unexpected key %s", k).isTrue();
            }
            assertThat(left).noneMatch(k -> k.contains(":l:"));
            for (int p = 0; p < keys.partitions(); p++) {
                // the empty ones vanished; what is left holds no per-order field
                for (String gone : List.of(keys.ready(p), keys.leases(p), keys.revoked(p), keys.delayed(p),
                        keys.parked(p), keys.failures(p))) {
                    assertThat(left).doesNotContain(gone);
                }
                assertThat(redis.hkeys(keys.stats(p))).isSubsetOf(COUNTERS);
            }
            assertThat(left).filteredOn(k -> k.matches(".*:d:\\d+")).isNotEmpty()
                    .allSatisfy(k -> assertThat(redis.hkeys(k)).allSatisfy(f -> assertThat(f).hasSize(12)));
            assertThat(left).contains(keys.partitionCount());
        }
    }
}
