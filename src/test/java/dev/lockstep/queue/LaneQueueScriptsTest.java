package dev.lockstep.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** Each queue script on its own, against a real Redis, with a fresh queue name per test. */
class LaneQueueScriptsTest {
    private static final String W = "w1/t1";
    private UnifiedJedis redis;
    private Keys keys;
    private LaneQueue queue;

    @BeforeEach
    void setUp() {
        redis = TestServers.get().redis();
        keys = new Keys(TestServers.uniqueName("q"), 4);
        queue = new LaneQueue(redis, keys, Duration.ofSeconds(30), Duration.ofMinutes(5));
    }

    @AfterEach
    void tearDown() {
        queue.purge();
    }

    private ClaimedJob claimOne(long orderId) {
        List<ClaimedJob> jobs = queue.claim(keys.partitionOf(orderId), W, 1).jobs();
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    @Nested
    class Enqueue {
        @Test
        void queuesAndMakesAnIdleLaneReadyOnce() {
            assertThat(queue.enqueue(7, "d1", "a")).isEqualTo(ResultCode.QUEUED);
            assertThat(queue.enqueue(7, "d2", "b")).isEqualTo(ResultCode.QUEUED);
            int p = keys.partitionOf(7);
            assertThat(redis.lrange(keys.ready(p), 0, -1)).containsExactly("7");
            assertThat(redis.llen(keys.lane(p, 7))).isEqualTo(2);
            QueueStats s = queue.stats();
            assertThat(s.waiting()).isEqualTo(2);
            assertThat(s.readyLanes()).isEqualTo(1);
            assertThat(s.enqueued()).isEqualTo(2);
        }

        @Test
        void aDuplicateIsCountedAndNeverEnqueued() {
            assertThat(queue.enqueue(7, "same", "a")).isEqualTo(ResultCode.QUEUED);
            assertThat(queue.enqueue(7, "same", "a")).isEqualTo(ResultCode.DUPLICATE);
            assertThat(redis.llen(keys.lane(keys.partitionOf(7), 7))).isEqualTo(1);
            assertThat(queue.stats().dedupHits()).isEqualTo(1);
            assertThat(queue.stats().waiting()).isEqualTo(1);
            assertThat(redis.ttl(keys.dedup(keys.partitionOf(7), "same"))).isBetween(1L, 300L);
        }

        @Test
        void duplicateHitsAreListedNewestFirstWithTheirCopies() {
            queue.enqueue(7, "s|orders/create|e1", "a");
            queue.enqueue(7, "s|orders/create|e1", "a");
            queue.enqueue(7, "s|orders/create|e1", "a");
            queue.enqueue(9, "s|orders/paid|e2", "b");
            queue.enqueue(9, "s|orders/paid|e2", "b");
            List<DuplicateHit> hits = queue.recentDuplicates(10);
            assertThat(hits).extracting(DuplicateHit::dedupKey).containsExactlyInAnyOrder("s|orders/create|e1", "s|orders/paid|e2");
            assertThat(hits).filteredOn(h -> h.orderId() == 7).singleElement().satisfies(h -> {
                assertThat(h.copies()).isEqualTo(2);
                assertThat(h.firstSeen()).isPositive().isLessThanOrEqualTo(h.lastHit());
            });
            assertThat(queue.stats().dedupHits()).isEqualTo(3);
        }
    }

    @Nested
    class Claim {
        @Test
        void leasesTheHeadWithARisingFencingToken() {
            queue.enqueue(7, "d1", "first");
            queue.enqueue(7, "d2", "second");
            ClaimedJob job = claimOne(7);
            assertThat(job.payload()).isEqualTo("first");
            assertThat(job.token()).isEqualTo(1);
            assertThat(queue.leases(10)).singleElement().satisfies(l -> {
                assertThat(l.orderId()).isEqualTo(7);
                assertThat(l.holder()).isEqualTo(W);
                assertThat(l.token()).isEqualTo(1);
                assertThat(l.deadline()).isGreaterThan(l.since());
            });
            assertThat(HolderEntry.parse(redis.hget(keys.holders(job.partition()), "7")))
                    .satisfies(e -> assertThat(e).isEqualTo(new HolderEntry(1, W, e.since(), job.jobId())));
            assertThat(queue.stats().leasedLanes()).isEqualTo(1);
            assertThat(queue.stats().readyLanes()).isZero();
            // the lane is leased: nobody else can claim it
            assertThat(queue.claim(keys.partitionOf(7), "w2/t1", 10).jobs()).isEmpty();
        }

        @Test
        void claimsSeveralLanesInOneCall() {
            long[] sameP = ordersInOnePartition(3);
            for (long o : sameP) {
                queue.enqueue(o, "d" + o, "p" + o);
            }
            LaneQueue.ClaimBatch b = queue.claim(keys.partitionOf(sameP[0]), W, 10);
            assertThat(b.jobs()).extracting(ClaimedJob::orderId).containsExactly(sameP[0], sameP[1], sameP[2]);
            assertThat(b.readyLeft()).isZero();
        }
    }

    @Nested
    class Complete {
        @Test
        void continuesWithTheNextJobUnderAFreshToken() {
            queue.enqueue(7, "d1", "first");
            queue.enqueue(7, "d2", "second");
            ClaimedJob job = claimOne(7);
            LaneQueue.Completion c = queue.complete(job, W, true);
            assertThat(c.code()).isEqualTo(ResultCode.CONTINUE);
            assertThat(c.next().payload()).isEqualTo("second");
            assertThat(c.next().token()).isEqualTo(2);
            assertThat(HolderEntry.parse(redis.hget(keys.holders(job.partition()), "7")))
                    .satisfies(e -> assertThat(e).isEqualTo(new HolderEntry(2, W, e.since(), c.next().jobId())));
            assertThat(queue.complete(c.next(), W, true).code()).isEqualTo(ResultCode.DONE);
            QueueStats s = queue.stats();
            assertThat(s.waiting()).isZero();
            assertThat(s.leasedLanes()).isZero();
            assertThat(s.completed()).isEqualTo(2);
            assertThat(redis.exists(keys.lane(keys.partitionOf(7), 7))).isFalse();
        }

        @Test
        void handsTheLaneBackToReadyWhenNotContinuing() {
            queue.enqueue(7, "d1", "first");
            queue.enqueue(7, "d2", "second");
            assertThat(queue.complete(claimOne(7), W, false).code()).isEqualTo(ResultCode.HANDED_ON);
            assertThat(queue.stats().readyLanes()).isEqualTo(1);
            assertThat(claimOne(7).payload()).isEqualTo("second");
        }

        @Test
        void refusesAStaleToken() {
            queue.enqueue(7, "d1", "first");
            ClaimedJob job = claimOne(7);
            queue.release(7);
            assertThat(queue.complete(job, W, true).code()).isEqualTo(ResultCode.LOCK_MISMATCH);
            assertThat(queue.stats().waiting()).isEqualTo(1);
        }
    }

    @Nested
    class Extend {
        @Test
        void renewsOwnedLeasesAndReportsLostOnes() {
            long[] o = ordersInOnePartition(3);
            int p = keys.partitionOf(o[0]);
            for (long id : o) {
                queue.enqueue(id, "d" + id, "p" + id);
            }
            List<ClaimedJob> mine = queue.claim(p, W, 3).jobs();
            assertThat(mine).extracting(ClaimedJob::orderId).containsExactly(o[0], o[1], o[2]);
            ClaimedJob owned = mine.get(0);
            ClaimedJob takenOver = mine.get(1);
            ClaimedJob released = mine.get(2);

            // an owned lease is pushed to now + lease (its deadline first set near, as if time had passed)
            redis.zadd(keys.leases(p), serverMillis() + 1_000, Long.toString(owned.orderId()));
            long from = serverMillis();
            assertThat(queue.extend(p, List.of(owned))).isEmpty();
            assertThat(deadline(owned)).isBetween(from + queue.leaseMs(), serverMillis() + queue.leaseMs());

            // taken over: the lease lapses, the reaper revokes it, another holder claims the lane (same
            // order, newer token), so the first holder's token is stale while the lane is leased
            redis.zadd(keys.leases(p), 0, Long.toString(takenOver.orderId()));
            assertThat(queue.reap(p, 10)).extracting(LaneQueue.Revoked::orderId).containsExactly(takenOver.orderId());
            ClaimedJob theirs = queue.claim(p, "w2/t1", 10).jobs().get(0);
            assertThat(theirs.orderId()).isEqualTo(takenOver.orderId());
            assertThat(theirs.token()).isGreaterThan(takenOver.token());
            long theirDeadline = deadline(theirs);
            // released: an operator revokes it; the lane is not leased at all
            assertThat(queue.release(released.orderId())).isPositive();

            redis.zadd(keys.leases(p), serverMillis() + 1_000, Long.toString(owned.orderId()));
            long from2 = serverMillis();
            assertThat(queue.extend(p, List.of(owned, takenOver, released)))
                    .containsExactly(takenOver.orderId(), released.orderId());
            assertThat(deadline(owned)).isBetween(from2 + queue.leaseMs(), serverMillis() + queue.leaseMs());
            // the new holder's lease is neither pushed nor taken back by the stale token
            assertThat(deadline(theirs)).isEqualTo(theirDeadline);
            assertThat(HolderEntry.parse(redis.hget(keys.holders(p), Long.toString(theirs.orderId()))).token())
                    .isEqualTo(theirs.token());
            // a lost lease is not resurrected
            assertThat(redis.zscore(keys.leases(p), Long.toString(released.orderId()))).isNull();
        }

        private long deadline(ClaimedJob job) {
            Double score = redis.zscore(keys.leases(job.partition()), Long.toString(job.orderId()));
            assertThat(score).as("lease deadline of order %d", job.orderId()).isNotNull();
            return score.longValue();
        }

        /** Redis server time, ms: the clock the scripts set deadlines by. */
        private long serverMillis() {
            return (Long) redis.eval("local t = redis.call('TIME') return t[1] * 1000 + math.floor(t[2] / 1000)");
        }
    }

    @Nested
    class RetryAndPark {
        @Test
        void retryKeepsTheHeadAndDelaysTheLane() {
            queue.enqueue(7, "d1", "first");
            queue.enqueue(7, "d2", "second");
            ClaimedJob job = claimOne(7);
            assertThat(queue.retry(job, "boom", Duration.ZERO)).isEqualTo(ResultCode.RETRY_SCHEDULED);
            assertThat(queue.stats().delayedLanes()).isEqualTo(1);
            assertThat(queue.stats().retries()).isEqualTo(1);
            ClaimedJob again = claimOne(7);
            assertThat(again.jobId()).isEqualTo(job.jobId());
            assertThat(again.attempts()).isEqualTo(1);
            assertThat(again.token()).isGreaterThan(job.token());
        }

        @Test
        void aDelayedLaneIsNotClaimedBeforeItsBackoff() {
            queue.enqueue(7, "d1", "first");
            queue.retry(claimOne(7), "boom", Duration.ofHours(1));
            assertThat(queue.claim(keys.partitionOf(7), W, 10).jobs()).isEmpty();
        }

        @Test
        void parkHoldsTheLaneForAnOperatorAndRetryOrSkipResumesIt() {
            queue.enqueue(7, "d1", "poison");
            queue.enqueue(7, "d2", "next");
            ClaimedJob job = claimOne(7);
            assertThat(queue.park(job, "bad payload")).isEqualTo(ResultCode.PARKED);
            assertThat(queue.claim(keys.partitionOf(7), W, 10).jobs()).isEmpty();
            assertThat(queue.parked(10)).singleElement().satisfies(pl -> {
                assertThat(pl.orderId()).isEqualTo(7);
                assertThat(pl.attempts()).isEqualTo(1);
                assertThat(pl.error()).isEqualTo("bad payload");
                assertThat(pl.depth()).isEqualTo(2);
            });

            assertThat(queue.retryParked(7)).isTrue();
            assertThat(queue.retryParked(7)).isFalse();
            ClaimedJob retried = claimOne(7);
            assertThat(retried.payload()).isEqualTo("poison");
            assertThat(retried.attempts()).isZero();

            queue.park(retried, "still bad");
            assertThat(queue.skipParked(7)).isEqualTo("poison");
            assertThat(queue.skipParked(7)).isNull();
            assertThat(claimOne(7).payload()).isEqualTo("next");
            assertThat(queue.stats().parkedLanes()).isZero();
            assertThat(queue.stats().waiting()).isEqualTo(1);
        }
    }

    @Nested
    class ReapAndRelease {
        @Test
        void reapRevokesExpiredLeasesAndBumpsTheFence() {
            LaneQueue shortLease = new LaneQueue(redis, keys, Duration.ofMillis(1), Duration.ofMinutes(5));
            shortLease.enqueue(7, "d1", "a");
            ClaimedJob job = shortLease.claim(keys.partitionOf(7), W, 1).jobs().get(0);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> !shortLease.reap(job.partition(), 10).isEmpty()
                            || shortLease.stats().stallsRecovered() > 0);
            assertThat(shortLease.fence(7)).isEqualTo(job.token() + 1);
            assertThat(shortLease.stats().stallsRecovered()).isEqualTo(1);
            assertThat(shortLease.stats().leasedLanes()).isZero();
            assertThat(shortLease.complete(job, W, true).code()).isEqualTo(ResultCode.LOCK_MISMATCH);
            ClaimedJob again = shortLease.claim(job.partition(), "w2/t1", 1).jobs().get(0);
            assertThat(again.jobId()).isEqualTo(job.jobId());
            assertThat(again.token()).isEqualTo(job.token() + 2);
        }

        @Test
        void reapLeavesLiveLeasesAlone() {
            queue.enqueue(7, "d1", "a");
            ClaimedJob job = claimOne(7);
            assertThat(queue.reap(job.partition(), 10)).isEmpty();
            assertThat(queue.stats().leasedLanes()).isEqualTo(1);
        }

        @Test
        void releaseBumpsTheFenceAndPutsTheLaneBackFirst() {
            long[] sameP = ordersInOnePartition(2);
            queue.enqueue(sameP[0], "a", "held");
            ClaimedJob job = claimOne(sameP[0]);
            queue.enqueue(sameP[1], "b", "other");
            long fence = queue.release(sameP[0]);
            assertThat(fence).isEqualTo(job.token() + 1);
            assertThat(queue.release(sameP[0])).isEqualTo(-1);
            assertThat(queue.stats().released()).isEqualTo(1);
            assertThat(queue.claim(job.partition(), W, 1).jobs().get(0).orderId()).isEqualTo(sameP[0]);
        }
    }

    private long[] ordersInOnePartition(int n) {
        long[] out = new long[n];
        int target = keys.partitionOf(1000);
        int i = 0;
        for (long o = 1000; i < n; o++) {
            if (keys.partitionOf(o) == target) {
                out[i++] = o;
            }
        }
        return out;
    }
}
