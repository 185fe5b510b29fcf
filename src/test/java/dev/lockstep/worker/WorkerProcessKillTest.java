package dev.lockstep.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.burst.ExpectedOrder;
import dev.lockstep.burst.WebhookDelivery;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.QueueStats;
import dev.lockstep.store.Application;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.store.StoredOrder;
import dev.lockstep.testing.TestServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two headless worker processes share one Redis and one MongoDB; one is killed with SIGKILL in the
 * middle of a burst. The survivor's reaper recovers its leased lanes: every accepted event takes
 * effect exactly once, in order, and stock is conserved (I3, I4, I5 across processes). Tagged
 * {@code process}: it starts and kills separate JVMs, so it runs in {@code mvn verify} (Failsafe).
 */
@Tag("process")
class WorkerProcessKillTest {
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process startWorker(String queue, String db) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", cp, "dev.lockstep.Main", "worker", "--no-ingest",
                "--redis-uri", TestServers.get().redisUri(), "--mongo-uri", TestServers.get().mongoUri(),
                "--workers", "4", "--set", "queue.name=" + queue, "--set", "mongo.database=" + db,
                "--set", "lease.ms=1000", "--set", "journal.enabled=false")
                .redirectErrorStream(true);
        Process p = pb.start();
        processes.add(p);
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("Ctrl-C stops gracefully")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process was killed: its output ends
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertThat(ready.await(60, TimeUnit.SECONDS)).as("worker process started").isTrue();
        return p;
    }

    /** A fresh queue and database shared with the worker processes, and a seeded plan for them. */
    private record Shared(String queue, String db, FencedOrderStore store, LaneQueue lanes, BurstPlan plan) {
        static Shared of(BurstSpec spec) {
            String queue = TestServers.uniqueName("q");
            String db = TestServers.uniqueName("db");
            FencedOrderStore store = new FencedOrderStore(TestServers.get().mongo().getDatabase(db));
            BurstPlan plan = BurstPlan.generate(spec);
            store.reset();
            store.seedStock(plan.initialStock());
            LaneQueue lanes = new LaneQueue(TestServers.get().redis(), new Keys(queue, 16), Duration.ofSeconds(1),
                    Duration.ofHours(1));
            return new Shared(queue, db, store, lanes, plan);
        }

        /** Enqueues every delivery as the ingest would. @return events accepted */
        long enqueueAll() {
            for (WebhookDelivery d : plan.deliveries()) {
                var e = d.event();
                lanes.enqueue(e.orderId(), Delivery.dedupKey(e.shop(), e.topic().wire(), e.eventId()),
                        OrderEventCodec.encode(e));
            }
            return lanes.stats().enqueued();
        }
    }

    @Test
    void killingAWorkerProcessLosesAndDoublesNothing() throws Exception {
        Shared shared = Shared.of(BurstSpec.of(300, 0.05, 0.3, 99));
        FencedOrderStore store = shared.store();
        LaneQueue lanes = shared.lanes();
        BurstPlan plan = shared.plan();
        Process victim = startWorker(shared.queue(), shared.db());
        startWorker(shared.queue(), shared.db());
        long accepted = shared.enqueueAll();
        await().atMost(Duration.ofSeconds(60)).until(() -> lanes.stats().completed() >= accepted / 4);
        victim.destroyForcibly();
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(120)).until(() -> {
            QueueStats s = lanes.stats();
            return s.waiting() == 0 && s.leasedLanes() == 0;
        });
        assertThat(lanes.stats().completed()).isEqualTo(accepted);
        assertThat(lanes.stats().stallsRecovered()).as("the killed worker's leased lanes were recovered").isPositive();

        Map<Long, StoredOrder> stored = store.orders().stream().collect(Collectors.toMap(StoredOrder::orderId, o -> o));
        for (ExpectedOrder exp : plan.expected().values()) {
            StoredOrder o = stored.get(exp.orderId());
            assertThat(o).as("order %d exists once", exp.orderId()).isNotNull();
            assertThat(o.state()).as("order %d state", exp.orderId()).isEqualTo(exp.state());
            List<String> effects = o.history().stream().map(Application::effectId).toList();
            assertThat(effects).as("order %d: each event handled exactly once", exp.orderId())
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(exp.effectIds());
        }
        assertThat(store.stock()).isEqualTo(plan.expectedStock());
        lanes.purge();
    }

    /** SIGTERM (Ctrl-C) stops a worker gracefully: it finishes or hands back its lanes, so none is left leased to lapse. */
    @Test
    void aTerminatedWorkerHandsBackItsLanes() throws Exception {
        Shared shared = Shared.of(BurstSpec.of(300, 0.0, 0.0, 5));
        LaneQueue lanes = shared.lanes();
        Process worker = startWorker(shared.queue(), shared.db());
        long accepted = shared.enqueueAll();
        await().atMost(Duration.ofSeconds(60)).until(() -> lanes.stats().completed() >= accepted / 5);
        worker.destroy();
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("worker stopped after SIGTERM").isTrue();
        QueueStats after = lanes.stats();
        assertThat(after.leasedLanes()).as("no lane left leased").isZero();
        assertThat(after.completed()).isLessThan(accepted);
        assertThat(after.waiting()).isEqualTo(accepted - after.completed());
        assertThat(after.stallsRecovered()).isZero();
        lanes.purge();
    }
}
