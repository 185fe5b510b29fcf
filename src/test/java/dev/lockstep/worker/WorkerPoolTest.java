package dev.lockstep.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.QueueStats;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The worker pool on a real Redis: mutual exclusion (I1), order (I2), no loss or double effect under retries and stalls (docs/DESIGN.md, "Invariants"). */
class WorkerPoolTest {
    private final UnifiedJedis redis = TestServers.get().redis();

    private static WorkerSettings settings(int threads, String id) {
        return WorkerSettings.defaults().withThreads(threads).withWorkerId(id).withMaxAttempts(50)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withIdleWait(Duration.ofMillis(100))
                .withReapInterval(Duration.ofMillis(50)).withMaxContinue(8);
    }

    /** Many threads, few orders, concurrent producers, a flaky handler: every order's events run one at a time, in acceptance order, exactly once. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void serializesEachOrderAndKeepsAcceptanceOrderUnderRetries(long seed) throws Exception {
        Keys keys = new Keys(TestServers.uniqueName("q"), 8);
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofSeconds(10), Duration.ofMinutes(5));
        int orders = 24;
        int perOrder = 40;
        Map<Long, List<Integer>> applied = new ConcurrentHashMap<>();
        Map<Long, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger completions = new AtomicInteger();
        SplittableRandom failures = new SplittableRandom(seed);
        JobHandler handler = (job, lease) -> {
            AtomicInteger r = running.computeIfAbsent(job.orderId(), k -> new AtomicInteger());
            if (r.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                boolean fail;
                synchronized (failures) {
                    fail = failures.nextInt(10) == 0;
                }
                if (fail) {
                    throw new IllegalStateException("injected failure");
                }
                int seq = Integer.parseInt(job.payload().split(":")[1]);
                applied.computeIfAbsent(job.orderId(), k -> Collections.synchronizedList(new ArrayList<>())).add(seq);
                return ApplyResult.APPLIED;
            } finally {
                r.decrementAndGet();
            }
        };
        LaneListener listener = new LaneListener() {
            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completions.incrementAndGet();
            }
        };
        try (WorkerPool a = new WorkerPool(redis, queue, handler, listener, settings(6, "a"), "a");
             WorkerPool b = new WorkerPool(redis, queue, handler, listener, settings(6, "b"), "b")) {
            a.start();
            b.start();
            // each producer owns some orders, so acceptance order per order is its sequence
            ExecutorService producers = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int pr = 0; pr < 4; pr++) {
                int producer = pr;
                fs.add(producers.submit(() -> {
                    for (int seq = 1; seq <= perOrder; seq++) {
                        for (long o = producer + 1; o <= orders; o += 4) {
                            queue.enqueue(o, o + "-" + seq, o + ":" + seq);
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            producers.shutdown();
            await().atMost(Duration.ofSeconds(60)).until(() -> completions.get() == orders * perOrder);
        }
        assertThat(overlaps.get()).isZero();
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= perOrder; i++) {
            expected.add(i);
        }
        for (long o = 1; o <= orders; o++) {
            assertThat(applied.get(o)).as("order %d", o).containsExactlyElementsOf(expected);
        }
        QueueStats s = queue.stats();
        assertThat(s.waiting()).isZero();
        assertThat(s.leasedLanes()).isZero();
        assertThat(s.readyLanes()).isZero();
        assertThat(s.completed()).isEqualTo((long) orders * perOrder);
        queue.purge();
    }

    /** A holder that stalls without renewing loses its lane to another worker; its late completion is refused; nothing is lost or done twice. */
    @Test
    void aStalledHolderIsReapedAndItsLateCompletionRefused() throws Exception {
        Keys keys = new Keys(TestServers.uniqueName("q"), 2);
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofMillis(300), Duration.ofMinutes(5));
        CountDownLatch stalledEntered = new CountDownLatch(1);
        CountDownLatch unstall = new CountDownLatch(1);
        Map<String, AtomicInteger> completedByJob = new ConcurrentHashMap<>();
        List<Long> reaped = Collections.synchronizedList(new ArrayList<>());
        LaneListener listener = new LaneListener() {
            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completedByJob.computeIfAbsent(job.payload(), k -> new AtomicInteger()).incrementAndGet();
            }

            @Override
            public void revoked(long orderId, long fence, String reason) {
                reaped.add(orderId);
            }
        };
        JobHandler stalling = (job, lease) -> {
            lease.freeze();
            stalledEntered.countDown();
            unstall.await();
            return ApplyResult.APPLIED;
        };
        JobHandler healthy = (job, lease) -> ApplyResult.APPLIED;
        queue.enqueue(42, "d1", "first");
        queue.enqueue(42, "d2", "second");
        try (WorkerPool stalled = new WorkerPool(redis, queue, stalling, listener, settings(1, "stalled"), "stalled")) {
            stalled.start();
            stalledEntered.await();
            // the lease is in the name of the slot that holds the lane
            assertThat(queue.leases(10)).singleElement()
                    .satisfies(l -> assertThat(l.holder()).matches("stalled/stalled-slot-\\d+"));
            try (WorkerPool rescuer = new WorkerPool(redis, queue, healthy, listener, settings(2, "rescuer"), "rescuer")) {
                rescuer.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> completedByJob.containsKey("second"));
                unstall.countDown();
                await().atMost(Duration.ofSeconds(20)).until(() -> stalled.busy() == 0);
            }
        }
        assertThat(reaped).contains(42L);
        assertThat(completedByJob.get("first")).hasValue(1);
        assertThat(completedByJob.get("second")).hasValue(1);
        assertThat(queue.stats().waiting()).isZero();
        assertThat(queue.stats().stallsRecovered()).isGreaterThanOrEqualTo(1);
        queue.purge();
    }

    /** After the attempt limit a lane parks and only its own order waits; other orders keep flowing. */
    @Test
    void aPoisonEventParksOnlyItsOwnLane() throws Exception {
        Keys keys = new Keys(TestServers.uniqueName("q"), 2);
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofSeconds(10), Duration.ofMinutes(5));
        AtomicInteger done = new AtomicInteger();
        CountDownLatch parked = new CountDownLatch(1);
        JobHandler handler = (job, lease) -> {
            if (job.payload().equals("poison")) {
                throw new IllegalArgumentException("cannot apply");
            }
            return ApplyResult.APPLIED;
        };
        LaneListener listener = new LaneListener() {
            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                done.incrementAndGet();
            }

            @Override
            public void parked(ClaimedJob job, String error, int attempts, String worker) {
                parked.countDown();
            }
        };
        WorkerSettings s = settings(4, "p").withMaxAttempts(3).withBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
        try (WorkerPool pool = new WorkerPool(redis, queue, handler, listener, s, "p")) {
            pool.start();
            queue.enqueue(1, "p1", "poison");
            queue.enqueue(1, "p2", "after-poison");
            for (int o = 2; o <= 20; o++) {
                queue.enqueue(o, "x" + o, "fine");
            }
            parked.await();
            await().atMost(Duration.ofSeconds(20)).until(() -> done.get() == 19);
            assertThat(queue.parked(10)).singleElement().satisfies(p -> {
                assertThat(p.orderId()).isEqualTo(1);
                assertThat(p.attempts()).isEqualTo(3);
                assertThat(p.depth()).isEqualTo(2);
            });
            assertThat(queue.skipParked(1)).isEqualTo("poison");
            await().atMost(Duration.ofSeconds(20)).until(() -> done.get() == 20);
        }
        assertThat(queue.stats().waiting()).isZero();
        queue.purge();
    }
}
