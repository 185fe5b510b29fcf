package dev.lockstep.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Lanes held ahead of the handler threads ({@code worker.lanes} above {@code worker.threads}), on the
 * test JVM's real Redis. One partition, so one drain call claims for every slot the pool offers.
 */
class ClaimAheadTest {
    private final UnifiedJedis redis = TestServers.get().redis();

    private static WorkerSettings settings(int threads, int lanes, String id, Duration deadline) {
        return WorkerSettings.defaults().withThreads(threads).withLanes(lanes).withWorkerId(id).withMaxAttempts(50)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withIdleWait(Duration.ofMillis(100))
                .withReapInterval(Duration.ofMillis(50)).withHandlerDeadline(deadline);
    }

    private static LaneQueue queue(UnifiedJedis redis, Duration lease) {
        return new LaneQueue(redis, new Keys(TestServers.uniqueName("q"), 1), lease, Duration.ofMinutes(5));
    }

    /** Completions per payload, and each order's payloads in the order they completed. */
    private static final class Completions implements LaneListener {
        final Map<String, Integer> times = new ConcurrentHashMap<>();
        final Map<Long, List<String>> byOrder = new ConcurrentHashMap<>();
        final List<String> revoked = new CopyOnWriteArrayList<>();

        @Override
        public void completed(ClaimedJob job, ApplyResult result, String worker) {
            times.merge(job.payload(), 1, Integer::sum);
            byOrder.computeIfAbsent(job.orderId(), k -> new CopyOnWriteArrayList<>()).add(job.payload());
        }

        @Override
        public void revoked(long orderId, long fence, String reason) {
            revoked.add(orderId + ": " + reason);
        }
    }

    /** A one-partition queue with one event for each of orders 1..n, payload "o:1". */
    private LaneQueue queueWithOneEventPerOrder(Duration lease, int n) {
        LaneQueue q = queue(redis, lease);
        for (long o = 1; o <= n; o++) {
            q.enqueue(o, o + "-1", o + ":1");
        }
        return q;
    }

    /** A handler whose every call says it started ({@code stuck}) and blocks until {@code release}. */
    private static JobHandler blockingEveryCall(CountDownLatch stuck, CountDownLatch release) {
        return (job, lease) -> {
            stuck.countDown();
            LaneEngineEdgesTest.stuckUntil(release);
            return ApplyResult.APPLIED;
        };
    }

    private long leasesHeld(LaneQueue q) {
        return redis.zcard(q.keys().leases(0));
    }

    /** One thread, eight lanes: while its one call blocks, the pool holds the other seven lanes too; each runs in order, once. */
    @Test
    void aPoolHoldsMoreLanesThanThreadsAndRunsEachLaneInOrder() throws Exception {
        LaneQueue q = queue(redis, Duration.ofSeconds(10));
        for (long o = 1; o <= 8; o++) {
            for (int e = 1; e <= 3; e++) {
                q.enqueue(o, o + "-" + e, o + ":" + e);
            }
        }
        CountDownLatch firstCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        JobHandler handler = (job, lease) -> {
            if (first.compareAndSet(true, false)) {
                firstCall.countDown();
                LaneEngineEdgesTest.stuckUntil(release);
            }
            return ApplyResult.APPLIED;
        };
        Completions done = new Completions();
        try (WorkerPool pool = new WorkerPool(redis, q, handler, done, settings(1, 8, "ahead", Duration.ofSeconds(60)),
                "ahead")) {
            pool.start();
            assertThat(firstCall.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> leasesHeld(q) == 8);
            assertThat(pool.busy()).isEqualTo(8);
            assertThat(done.times).isEmpty();
            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> done.times.size() == 24);
        }
        assertThat(done.times.values()).containsOnly(1);
        for (long o = 1; o <= 8; o++) {
            assertThat(done.byOrder.get(o)).containsExactly(o + ":1", o + ":2", o + ":3");
        }
        assertThat(leasesHeld(q)).isZero();
        assertThat(q.stats().waiting()).isZero();
        q.purge();
    }

    /** A pool whose every thread is in a call claims nothing more: another pool takes the new work. */
    @Test
    void aPoolWhoseThreadsAreAllInACallLeavesNewLanesToOthers() throws Exception {
        LaneQueue q = queue(redis, Duration.ofSeconds(10));
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandler blocking = blockingEveryCall(stuck, release);
        Completions done = new Completions();
        WorkerPool busy = new WorkerPool(redis, q, blocking, done, settings(1, 8, "busy", Duration.ofSeconds(60)), "busy");
        try {
            busy.start();
            q.enqueue(1, "1-1", "1:1");
            assertThat(stuck.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            for (long o = 2; o <= 5; o++) {
                q.enqueue(o, o + "-1", o + ":1");
            }
            try (WorkerPool other = new WorkerPool(redis, q, (job, lease) -> ApplyResult.APPLIED, done,
                    settings(2, 2, "other", Duration.ofSeconds(60)), "other")) {
                other.start();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> done.times.keySet().containsAll(List.of("2:1", "3:1", "4:1", "5:1")));
            }
            assertThat(busy.busy()).isEqualTo(1);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> done.times.containsKey("1:1"));
        } finally {
            release.countDown();
            busy.close();
        }
        assertThat(done.times.values()).containsOnly(1);
        q.purge();
    }

    /** Lanes waiting behind a call that passes its deadline run on the thread that replaces it; the stuck event is retried and applied once. */
    @Test
    void lanesWaitingBehindACallPastItsDeadlineRunOnTheReplacementThread() throws Exception {
        LaneQueue q = queueWithOneEventPerOrder(Duration.ofSeconds(10), 4);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong stuckOrder = new AtomicLong();
        JobHandler handler = (job, lease) -> {
            if (stuckOrder.compareAndSet(0, job.orderId())) {
                LaneEngineEdgesTest.stuckUntil(release);
            }
            return ApplyResult.APPLIED;
        };
        Completions done = new Completions();
        try (WorkerPool pool = new WorkerPool(redis, q, handler, done,
                settings(1, 4, "late", Duration.ofMillis(300)), "late")) {
            pool.start();
            // the three waiting lanes, and the stuck one's retry, run while the first call is still stuck
            await().atMost(Duration.ofSeconds(10)).until(() -> done.times.size() == 4);
            assertThat(release.getCount()).isEqualTo(1);
            assertThat(pool.replacedHandlers()).isEqualTo(1);
            release.countDown(); // the late call returns: its result counts for nothing
        }
        assertThat(done.times.values()).containsOnly(1);
        assertThat(q.stats().waiting()).isZero();
        q.purge();
    }

    /** Closing with lanes waiting for its one stuck thread: every lane it holds is handed back, fence first, and runs elsewhere once. */
    @Test
    void closeHandsBackTheLanesWaitingForAThread() throws Exception {
        LaneQueue q = queueWithOneEventPerOrder(Duration.ofMillis(1500), 4);
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandler blocking = blockingEveryCall(stuck, release);
        Completions closing = new Completions();
        Completions rescuer = new Completions();
        try {
            try (WorkerPool pool = new WorkerPool(redis, q, blocking, closing,
                    settings(1, 4, "closing", Duration.ofSeconds(60)), "closing")) {
                pool.start();
                assertThat(stuck.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> leasesHeld(q) == 4);
            } // close(): its one thread stays stuck, three lanes wait for it
            assertThat(closing.revoked).containsExactlyInAnyOrder("1: handed back at shutdown",
                    "2: handed back at shutdown", "3: handed back at shutdown", "4: handed back at shutdown");
            assertThat(leasesHeld(q)).isZero();
            try (WorkerPool other = new WorkerPool(redis, q, (job, lease) -> ApplyResult.APPLIED, rescuer,
                    settings(2, 2, "rescuer", Duration.ofSeconds(60)), "rescuer")) {
                other.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> rescuer.times.size() == 4);
            }
        } finally {
            release.countDown();
        }
        assertThat(closing.times).isEmpty();
        assertThat(rescuer.times.values()).containsOnly(1);
        q.purge();
    }
}
