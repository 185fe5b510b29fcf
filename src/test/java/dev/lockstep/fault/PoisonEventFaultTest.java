package dev.lockstep.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ParkedLane;
import dev.lockstep.queue.ResultCode;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.OrderStore;
import dev.lockstep.store.StoredOrder;
import dev.lockstep.testing.ChildProcess;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault scenario 6 of issue 11 (docs/RELIABILITY.md): a poison event parks its lane after
 * {@code retry.attempts} while the other orders flow; {@code lockstep admin retry} (a process of its
 * own) runs it again and it parks again; {@code lockstep admin skip} drops it and the lane's later
 * events run in order, and the journal says the operator skipped it.
 */
@Tag("fault")
class PoisonEventFaultTest {
    private static final String WORKER_READY = "Ctrl-C stops gracefully";
    private static final int ORDERS = 40;
    private static final long POISONED = 17;
    private static final List<Topic> TOPICS = List.of(Topic.CREATE, Topic.PAID, Topic.FULFILLED);
    /** A queue entry no handler can read: what a corrupted entry, or one a legacy producer wrote, looks like. */
    private static final String POISON = "{\"legacy_order\":" + POISONED + ",\"topic\":";

    private final List<ChildProcess> children = new ArrayList<>();

    @AfterEach
    void tearDown() {
        children.forEach(c -> c.process().destroyForcibly());
    }

    private List<String> serverFlags(LockstepConfig shared) {
        return List.of("--redis-uri", TestServers.get().redisUri(), "--mongo-uri", TestServers.get().mongoUri(),
                "--set", "queue.name=" + shared.queueName(), "--set", "mongo.database=" + shared.mongoDatabase());
    }

    /**
     * {@code lockstep admin args...} as an operator runs it, once it has printed {@code expected}: its
     * exit code, and its output in {@code out}.
     */
    private int admin(LockstepConfig shared, String expected, List<String> out, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(serverFlags(shared));
        ChildProcess c = ChildProcess.lockstep(expected, all.toArray(String[]::new));
        children.add(c);
        c.awaitReady(60);
        assertThat(c.process().waitFor(60, TimeUnit.SECONDS)).as("admin %s exited", List.of(args)).isTrue();
        out.addAll(c.output());
        return c.process().exitValue();
    }

    private static OrderEvent event(long orderId, Topic topic, int i) {
        return new OrderEvent("shop.example", topic, orderId, "evt-" + orderId + "-" + i, "wh-" + orderId + "-" + i,
                1_700_000_000_000L + i * 1000L, topic == Topic.CREATE ? "pending" : "paid",
                topic == Topic.FULFILLED ? "fulfilled" : null, List.of(new LineItem("SKU-" + orderId % 5, 1)));
    }

    private static List<Topic> topicsApplied(OrderStore store, long orderId) {
        List<StoredOrder> docs = store.order(orderId);
        return docs.isEmpty() ? List.of()
                : docs.get(0).history().stream().filter(a -> a.outcome() == ApplyResult.APPLIED)
                        .map(Application::topic).toList();
    }

    private static boolean parked(LaneQueue q, long orderId) {
        return q.parked(100).stream().anyMatch(p -> p.orderId() == orderId);
    }

    @Test
    void aPoisonEventParksItsLaneOthersFlowAndTheCliRetriesThenSkipsItInOrder() throws Exception {
        LockstepConfig shared = TestServers.get().config(Map.of());
        try (LockstepRuntime runtime = LockstepRuntime.start(shared)) {
            LaneQueue queue = runtime.laneQueue();
            OrderStore store = runtime.store(Mode.LOCKSTEP);
            List<String> workerArgs = new ArrayList<>(List.of("worker", "--no-ingest", "--workers", "4",
                    "--set", "retry.attempts=3", "--set", "retry.backoff.ms=20", "--set", "retry.backoff.max.ms=100"));
            workerArgs.addAll(serverFlags(shared));
            ChildProcess worker = ChildProcess.lockstep(WORKER_READY, workerArgs.toArray(String[]::new));
            children.add(worker);
            worker.awaitReady(60);

            // the burst: every order created, paid, fulfilled; order 17's second entry is poison
            List<LaneQueue.Enqueue> burst = new ArrayList<>();
            for (int i = 0; i < TOPICS.size(); i++) {
                for (long o = 1; o <= ORDERS; o++) {
                    if (o == POISONED && i == 1) {
                        burst.add(new LaneQueue.Enqueue(o, "poison-" + o, POISON));
                    }
                    burst.add(new LaneQueue.Enqueue(o, "evt-" + o + "-" + i, OrderEventCodec.encode(event(o, TOPICS.get(i), i))));
                }
            }
            assertThat(queue.enqueueAll(burst)).allMatch(c -> c == ResultCode.QUEUED);

            await().atMost(Duration.ofSeconds(30)).until(() -> parked(queue, POISONED));
            for (long o = 1; o <= ORDERS; o++) {
                long order = o;
                List<Topic> expected = o == POISONED ? List.of(Topic.CREATE) : TOPICS;
                await().atMost(Duration.ofSeconds(30)).until(() -> topicsApplied(store, order).equals(expected));
            }
            ParkedLane lane = queue.parked(100).stream().filter(p -> p.orderId() == POISONED).findFirst().orElseThrow();
            assertThat(lane.attempts()).isEqualTo(3);
            assertThat(lane.depth()).as("the poison head and the two events behind it").isEqualTo(3);

            List<String> out = new ArrayList<>();
            assertThat(admin(shared, "order " + POISONED + ": ", out, "parked")).as("%s", out).isZero();
            assertThat(out).anyMatch(l -> l.startsWith("order " + POISONED + ": ") && l.contains("after 3 attempts")
                    && l.contains("3 event(s) waiting"));

            // retry: still poison, so it parks again after its attempts; nothing behind it ran meanwhile
            out.clear();
            assertThat(admin(shared, "parked head queued for a retry", out, "retry", "--order", String.valueOf(POISONED))).as("%s", out).isZero();
            assertThat(out).anyMatch(l -> l.contains("order " + POISONED + ": parked head queued for a retry"));
            await().atMost(Duration.ofSeconds(30)).until(() -> parked(queue, POISONED));
            assertThat(topicsApplied(store, POISONED)).containsExactly(Topic.CREATE);

            // skip: the head is dropped and the lane's later events run, in order
            out.clear();
            assertThat(admin(shared, "parked head skipped", out, "skip", "--order", String.valueOf(POISONED))).as("%s", out).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> topicsApplied(store, POISONED).equals(TOPICS));
            assertThat(parked(queue, POISONED)).isFalse();

            // nothing left to do: exit code 1, saying why
            out.clear();
            assertThat(admin(shared, "has no parked head", out, "skip", "--order", String.valueOf(POISONED))).isEqualTo(1);
            assertThat(out).anyMatch(l -> l.contains("order " + POISONED + ": has no parked head"));

            // the audit: every other event applied once and in order, none twice
            for (long o = 1; o <= ORDERS; o++) {
                List<Application> history = store.order(o).get(0).history();
                assertThat(history).as("order %d", o).extracting(Application::topic).containsExactlyElementsOf(TOPICS);
                assertThat(history).as("order %d", o).allMatch(a -> a.outcome() == ApplyResult.APPLIED);
            }
            assertThat(queue.stats().parkedLanes()).isZero();
            // the worker's journal writes its parks in the background: wait for them
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.journal(Mode.LOCKSTEP).forOrder(POISONED)
                    .stream().filter(e -> e.stage() == JournalStage.PARKED).count() == 2);
            List<JournalEntry> journal = runtime.journal(Mode.LOCKSTEP).forOrder(POISONED);
            assertThat(journal).filteredOn(e -> e.stage() == JournalStage.RETRIED_BY_OPERATOR).hasSize(1);
            assertThat(journal).filteredOn(e -> e.stage() == JournalStage.SKIPPED_BY_OPERATOR).singleElement()
                    .satisfies(e -> assertThat(e.operator()).contains("@"));
        }
    }
}
