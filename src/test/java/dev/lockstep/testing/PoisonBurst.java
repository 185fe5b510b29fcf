package dev.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.order.Topic;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ResultCode;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.OrderStore;
import dev.lockstep.store.StoredOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fault scenario 6 of issue 11's burst, shared by the CLI and console tests: {@value #ORDERS} orders created, paid
 * and fulfilled, with a poison entry (one no handler can read) as order {@value #POISONED}'s second event, and a
 * worker process that parks a lane after 3 attempts.
 */
public final class PoisonBurst {
    public static final String WORKER_READY = "Ctrl-C stops gracefully";
    public static final int ORDERS = 40;
    public static final long POISONED = 17;
    public static final List<Topic> TOPICS = List.of(Topic.CREATE, Topic.PAID, Topic.FULFILLED);
    /** A queue entry no handler can read: what a corrupted entry, or one a legacy producer wrote, looks like. */
    private static final String POISON = "{\"legacy_order\":" + POISONED + ",\"topic\":";

    private PoisonBurst() {
    }

    /** Every order's three events, order by order within each topic, the poison entry before order 17's second. */
    public static List<LaneQueue.Enqueue> entries() {
        List<LaneQueue.Enqueue> burst = new ArrayList<>();
        for (int i = 0; i < TOPICS.size(); i++) {
            for (long o = 1; o <= ORDERS; o++) {
                if (o == POISONED && i == 1) {
                    burst.add(new LaneQueue.Enqueue(o, "poison-" + o, POISON));
                }
                burst.add(new LaneQueue.Enqueue(o, "evt-" + o + "-" + i, OrderEventCodec.encode(event(o, TOPICS.get(i), i))));
            }
        }
        return burst;
    }

    /**
     * Starts the worker process (added to {@code children}, for the caller to stop), enqueues the burst and
     * waits until the poisoned lane parked and every other event applied (the poisoned order's first too).
     */
    public static void runUntilParked(LockstepConfig shared, LaneQueue queue, OrderStore store,
                                      List<ChildProcess> children) throws Exception {
        ChildProcess worker = worker(shared);
        children.add(worker);
        worker.awaitReady(60);
        assertThat(queue.enqueueAll(entries())).allMatch(c -> c == ResultCode.QUEUED);
        await().atMost(Duration.ofSeconds(30)).until(() -> parked(queue, POISONED));
        for (long o = 1; o <= ORDERS; o++) {
            long order = o;
            List<Topic> expected = o == POISONED ? List.of(Topic.CREATE) : TOPICS;
            await().atMost(Duration.ofSeconds(30)).until(() -> topicsApplied(store, order).equals(expected));
        }
    }

    /** {@code lockstep worker --no-ingest} on {@code shared}'s servers, queue and database, parking after 3 attempts. */
    private static ChildProcess worker(LockstepConfig shared) throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of("worker", "--no-ingest", "--workers", "4",
                "--set", "retry.attempts=3", "--set", "retry.backoff.ms=20", "--set", "retry.backoff.max.ms=100"));
        args.addAll(serverFlags(shared));
        return ChildProcess.lockstep(WORKER_READY, args.toArray(String[]::new));
    }

    public static List<String> serverFlags(LockstepConfig shared) {
        return List.of("--redis-uri", shared.redisUri(), "--mongo-uri", shared.mongoUri(),
                "--set", "queue.name=" + shared.queueName(), "--set", "mongo.database=" + shared.mongoDatabase());
    }

    public static List<Topic> topicsApplied(OrderStore store, long orderId) {
        List<StoredOrder> docs = store.order(orderId);
        return docs.isEmpty() ? List.of()
                : docs.get(0).history().stream().filter(a -> a.outcome() == ApplyResult.APPLIED)
                        .map(Application::topic).toList();
    }

    public static boolean parked(LaneQueue q, long orderId) {
        return q.parked(100).stream().anyMatch(p -> p.orderId() == orderId);
    }

    /** The audit: every order's events applied once each and in order, the poisoned order's too once skipped. */
    public static void assertEveryEventAppliedOnceInOrder(OrderStore store) {
        for (long o = 1; o <= ORDERS; o++) {
            List<Application> history = store.order(o).get(0).history();
            assertThat(history).as("order %d", o).extracting(Application::topic).containsExactlyElementsOf(TOPICS);
            assertThat(history).as("order %d", o).allMatch(a -> a.outcome() == ApplyResult.APPLIED);
        }
    }

    private static OrderEvent event(long orderId, Topic topic, int i) {
        return new OrderEvent("shop.example", topic, orderId, "evt-" + orderId + "-" + i, "wh-" + orderId + "-" + i,
                1_700_000_000_000L + i * 1000L, topic == Topic.CREATE ? "pending" : "paid",
                topic == Topic.FULFILLED ? "fulfilled" : null, List.of(new LineItem("SKU-" + orderId % 5, 1)));
    }
}
