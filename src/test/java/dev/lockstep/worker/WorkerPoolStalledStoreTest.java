package dev.lockstep.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.embedded.Infrastructure;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.order.Topic;
import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.store.StallingProxy;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.TestServers;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Handler deadlines while the store is stalled (a TCP proxy holding every byte between the pool and
 * the MongoDB-wire server): raising the store's fence then waits out the store's timeout, and that
 * wait must not hold up the deadline checks of the other handlers.
 */
class WorkerPoolStalledStoreTest {
    private static final Duration DEADLINE = Duration.ofMillis(300);
    /** Far above what the test allows for detection: a deadline serialized behind it shows. */
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(10);

    private final UnifiedJedis redis = TestServers.get().redis();

    private static OrderEvent create(long orderId) {
        return new OrderEvent("s", Topic.CREATE, orderId, "e" + orderId, "", 100, "pending", null,
                List.of(new LineItem("A", 2)));
    }

    /**
     * Three handlers hang in the stalled store past their deadlines: each attempt is failed in Redis
     * (retry scheduled, lane revoked) and its thread replaced within a few supervisor ticks, not one
     * store timeout after another. The fences go up once the store answers, and only then do the
     * retries run (fence first, then hand on); every event takes effect once.
     */
    @Test
    void handlersPastTheirDeadlinesWhileTheStoreIsStalledAreEachFailedAtOnce() throws Exception {
        hangInTheStalledStore(3, 3, Duration.ofSeconds(3));
    }

    /**
     * More overrunning calls than the revokers and their queue hold while the store is stalled (four
     * handlers, replaced as each hangs, meet fourteen orders; the queue holds 8): the revocations past
     * the bound are not queued (the log says so) but stay revoked in Redis, and the reaper finishes
     * them, fence first, once the store answers: every event still takes effect once.
     */
    @Test
    void revocationsPastTheRevokersBoundAreLeftToTheReaper() throws Exception {
        int bound = WorkerPool.REVOKERS + 8;
        try (LogCapture log = LogCapture.of(WorkerPool.class)) {
            hangInTheStalledStore(4, bound + 4, Duration.ofSeconds(8));
            assertThat(log.events()).anyMatch(e -> e.getFormattedMessage().startsWith("could not queue a revocation"));
        }
    }

    /**
     * {@code n} orders whose calls hang in the stalled store past their deadline, on {@code threads}
     * handlers; asserts each is failed in Redis and its thread replaced within {@code detectWithin},
     * then resumes the store and asserts each retry ran after its fence was raised and each event
     * took effect once.
     */
    private void hangInTheStalledStore(int threads, int n, Duration detectWithin) throws Exception {
        List<Long> orders = LongStream.rangeClosed(71, 70 + n).boxed().toList();
        Map<Long, Long> fenceRaised = new ConcurrentHashMap<>();
        List<Long> retried = new CopyOnWriteArrayList<>();
        Map<Long, ApplyResult> completed = new ConcurrentHashMap<>();
        Map<Long, Boolean> retryRanAfterItsFence = new ConcurrentHashMap<>();
        AtomicInteger calls = new AtomicInteger();
        try (StallingProxy proxy = new StallingProxy(URI.create(TestServers.get().mongoUri()).getPort());
             MongoClient client = Infrastructure.connectMongo(proxy.uri(), STORE_TIMEOUT, Duration.ofSeconds(2),
                     LockstepConfig.WRITE_CONCERN_MAJORITY)) {
            FencedOrderStore store = new FencedOrderStore(client.getDatabase(TestServers.uniqueName("db")));
            store.seedStock(Map.of("A", 100L));
            JobHandler handler = (job, lease) -> {
                calls.incrementAndGet();
                if (job.attempts() > 0) {
                    retryRanAfterItsFence.put(job.orderId(), fenceRaised.containsKey(job.orderId()));
                }
                return store.apply(OrderEventCodec.decode(job.payload()), job.token(), Thread.currentThread().getName());
            };
            LaneListener listener = new LaneListener() {
                @Override
                public void revoked(long orderId, long fence, String reason) {
                    store.raiseFence(orderId, fence); // as the lockstep pipeline does: through the stalled store
                    fenceRaised.put(orderId, fence);
                }

                @Override
                public void retried(ClaimedJob job, String error, int attempts, String worker) {
                    retried.add(job.orderId());
                }

                @Override
                public void completed(ClaimedJob job, ApplyResult result, String worker) {
                    completed.put(job.orderId(), result);
                }
            };
            LaneQueue q = new LaneQueue(redis, new Keys(TestServers.uniqueName("q"), 4), Duration.ofSeconds(30),
                    Duration.ofMinutes(5));
            WorkerSettings s = WorkerSettings.defaults().withThreads(threads).withWorkerId("stalled")
                    .withMaxAttempts(5).withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))
                    .withIdleWait(Duration.ofMillis(100)).withReapInterval(Duration.ofMillis(50))
                    .withHandlerDeadline(DEADLINE);
            try (WorkerPool pool = new WorkerPool(redis, q, handler, listener, s, "stalled")) {
                pool.start();
                proxy.stall();
                for (long o : orders) {
                    q.enqueue(o, "d" + o, OrderEventCodec.encode(create(o)));
                }

                await("every overrunning attempt failed in Redis and its thread replaced")
                        .atMost(detectWithin)
                        .until(() -> retried.size() == orders.size() && pool.replacedHandlers() == orders.size());
                assertThat(retried).containsExactlyInAnyOrderElementsOf(orders);
                assertThat(calls).as("no retry runs while its fence cannot be raised").hasValue(orders.size());

                proxy.resume();
                await().atMost(Duration.ofSeconds(30)).until(() -> completed.keySet().containsAll(orders)
                        && q.stats().drained() && pool.busy() == 0);
            } finally {
                q.purge();
            }
            assertThat(fenceRaised).containsOnlyKeys(orders);
            assertThat(retryRanAfterItsFence).containsOnlyKeys(orders).doesNotContainValue(false);
            for (long o : orders) {
                assertThat(store.order(o).get(0).history()).extracting(Application::effectId)
                        .containsExactly(create(o).effectId());
            }
            assertThat(store.stock()).containsEntry("A", 100L - 2L * orders.size());
        }
    }
}
