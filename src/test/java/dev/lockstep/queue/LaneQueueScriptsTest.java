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
            queue.enqueue(7, "d1", "a");
            ClaimedJob job = claimOne(7);
            long before = queue.leases(1).get(0).deadline();
            assertThat(queue.extend(job.partition(), List.of(job))).isEmpty();
            assertThat(queue.leases(1).get(0).deadline()).isGreaterThanOrEqualTo(before);
            queue.release(7);
            assertThat(queue.extend(job.partition(), List.of(job))).containsExactly(7L);
            // a lost lease is not resurrected
            assertThat(redis.zscore(keys.leases(job.partition()), "7")).isNull();
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
