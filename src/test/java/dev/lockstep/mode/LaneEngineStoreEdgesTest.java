package dev.lockstep.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.order.Topic;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.store.OrderStore;
import dev.lockstep.store.StoredOrder;
import dev.lockstep.testing.TestServers;
import dev.lockstep.worker.WorkerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** Lane engine v2 edges that need the real fenced store, through the lockstep pipeline (issue 8). */
class LaneEngineStoreEdgesTest {
    private final UnifiedJedis redis = TestServers.get().redis();

    /** Waits for a latch as a call stuck in I/O would, never seeing an interrupt (at most 60 s). */
    private static void stuckUntil(CountDownLatch latch) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (latch.getCount() > 0 && System.nanoTime() < until) {
            try {
                latch.await(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ignored) {
                // a call stuck in I/O does not notice
            }
        }
    }

    /**
     * A store call that hangs past the handler deadline: the lane is revoked and the store's fence
     * raised before the retry runs, so the hung call's late write (made before the retry writes) is
     * refused, and the event's effect and stock movement happen once.
     */
    @Test
    void aHungStoreCallsLateWriteIsFencedOut() {
        var db = TestServers.get().mongo().getDatabase(TestServers.uniqueName("db"));
        FencedOrderStore real = new FencedOrderStore(db);
        real.seedStock(Map.of("A", 10L));
        long order = 91;
        CountDownLatch retryStarted = new CountDownLatch(1);
        CountDownLatch unhang = new CountDownLatch(1);
        CountDownLatch lateWritten = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<ApplyResult> late = new AtomicReference<>();
        OrderStore store = new DelegatingStore(real) {
            @Override
            public ApplyResult apply(OrderEvent event, long token, String worker) {
                if (event.orderId() != order) {
                    return real.apply(event, token, worker);
                }
                int call = calls.incrementAndGet();
                if (call == 1) {
                    stuckUntil(unhang); // past the deadline; the interrupt is ignored
                    try {
                        ApplyResult r = real.apply(event, token, worker);
                        late.set(r);
                        return r;
                    } finally {
                        lateWritten.countDown();
                    }
                }
                if (call == 2) {
                    // the retry: let the hung call write first, before any newer token has written
                    retryStarted.countDown();
                    stuckUntil(lateWritten);
                }
                return real.apply(event, token, worker);
            }
        };
        LaneQueue queue = new LaneQueue(redis, new Keys(TestServers.uniqueName("q"), 2), Duration.ofSeconds(10),
                Duration.ofHours(1));
        WorkerSettings settings = WorkerSettings.defaults().withThreads(2).withWorkerId("hung")
                .withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).withIdleWait(Duration.ofMillis(100))
                .withReapInterval(Duration.ofMillis(50)).withHandlerDeadline(Duration.ofMillis(1000));
        OrderEvent create = new OrderEvent("s", Topic.CREATE, order, "e1", "", 100, "pending", null,
                List.of(new LineItem("A", 2)));
        try (LockstepPipeline pipeline = new LockstepPipeline(redis, queue, store, EventJournal.DISABLED,
                PausedHolderFault.NONE, settings)) {
            pipeline.start();
            queue.enqueue(order, "d1", OrderEventCodec.encode(create));
            await().atMost(Duration.ofSeconds(10)).until(() -> retryStarted.getCount() == 0);
            assertThat(pipeline.workers().replacedHandlers()).isEqualTo(1);
            unhang.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> queue.stats().drained()
                    && pipeline.workers().busy() == 0 && calls.get() == 2 && late.get() != null);
            assertThat(late.get()).isEqualTo(ApplyResult.REJECTED_FENCE);
            assertThat(pipeline.counters().snapshot().retries()).isEqualTo(1);
        } finally {
            unhang.countDown();
            lateWritten.countDown();
            queue.purge();
        }
        StoredOrder stored = real.order(order).get(0);
        assertThat(stored.history()).extracting(Application::effectId).containsExactly(create.effectId());
        assertThat(stored.history()).extracting(Application::outcome).containsExactly(ApplyResult.APPLIED);
        assertThat(real.stock()).containsEntry("A", 8L);
    }

    /**
     * A lane's run is written in one store call; when that call fails, its events run one by one, so
     * the events before a failing one are applied, the failing one alone is retried in place, and
     * the rest follow in order — once each.
     */
    @Test
    void aFailingEventInARunIsRetriedAloneAndTheRunStaysInOrder() {
        var db = TestServers.get().mongo().getDatabase(TestServers.uniqueName("db"));
        FencedOrderStore real = new FencedOrderStore(db);
        real.seedStock(Map.of("A", 10L));
        long order = 92;
        List<OrderEvent> events = List.of(
                new OrderEvent("s", Topic.CREATE, order, "e1", "", 100, "pending", null, List.of(new LineItem("A", 2))),
                new OrderEvent("s", Topic.PAID, order, "e2", "", 200, "paid", null, List.of(new LineItem("A", 2))),
                new OrderEvent("s", Topic.FULFILLED, order, "e3", "", 300, "paid", "fulfilled",
                        List.of(new LineItem("A", 2))));
        AtomicInteger runCalls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        OrderStore store = new DelegatingStore(real) {
            @Override
            public ApplyResult apply(OrderEvent event, long token, String worker) {
                if (event.effectId().endsWith("e2") && failures.getAndIncrement() == 0) {
                    throw new IllegalStateException("injected: e2 fails once");
                }
                return real.apply(event, token, worker);
            }

            @Override
            public List<ApplyResult> applyRun(List<OrderEvent> run, long token, String worker) {
                runCalls.incrementAndGet();
                if (run.stream().anyMatch(e -> e.effectId().endsWith("e2")) && failures.get() == 0) {
                    throw new IllegalStateException("injected: a run holding e2 fails");
                }
                return real.applyRun(run, token, worker);
            }
        };
        LaneQueue queue = new LaneQueue(redis, new Keys(TestServers.uniqueName("q"), 2), Duration.ofSeconds(10),
                Duration.ofHours(1));
        WorkerSettings settings = WorkerSettings.defaults().withThreads(2).withWorkerId("runs")
                .withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).withIdleWait(Duration.ofMillis(100))
                .withReapInterval(Duration.ofMillis(50));
        for (int i = 0; i < events.size(); i++) {
            queue.enqueue(order, "r" + i, OrderEventCodec.encode(events.get(i)));
        }
        try (LockstepPipeline pipeline = new LockstepPipeline(redis, queue, store, EventJournal.DISABLED,
                PausedHolderFault.NONE, settings)) {
            pipeline.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> queue.stats().drained() && pipeline.workers().busy() == 0);
            assertThat(runCalls.get()).as("the lane's three events were claimed as one run").isGreaterThanOrEqualTo(1);
            assertThat(pipeline.counters().snapshot().retries()).isEqualTo(1);
        } finally {
            queue.purge();
        }
        StoredOrder stored = real.order(order).get(0);
        assertThat(stored.history()).extracting(Application::updatedAt).containsExactly(100L, 200L, 300L);
        assertThat(stored.history()).extracting(Application::outcome).containsOnly(ApplyResult.APPLIED);
        assertThat(real.stock()).containsEntry("A", 8L);
    }
}
