package dev.lockstep.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.burst.ExpectedOrder;
import dev.lockstep.burst.WebhookDelivery;
import dev.lockstep.embedded.FreePort;
import dev.lockstep.embedded.Infrastructure;
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
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two headless worker processes share one Redis and one MongoDB; one is killed with SIGKILL in the
 * middle of a burst. The survivor's reaper recovers its leased lanes: every accepted event takes
 * effect exactly once, in order, and stock is conserved (I3, I4, I5 across processes;
 * docs/DESIGN.md, "Invariants"). Tagged {@code process}: it starts and kills separate JVMs, so it
 * runs in {@code mvn verify} (Failsafe).
 */
@Tag("process")
class WorkerProcessKillTest {
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
    }

    /** A worker process and what it has printed so far (stdout and the log on stderr). */
    private record Worker(Process process, List<String> output) {
        boolean printed(String text) {
            return output.stream().anyMatch(l -> l.contains(text));
        }
    }

    private Process startWorker(String queue, String db) throws Exception {
        return startWorker(queue, db, TestServers.get().mongoUri()).process();
    }

    private Worker startWorker(String queue, String db, String mongoUri) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", cp, "dev.lockstep.Main", "worker", "--no-ingest",
                "--redis-uri", TestServers.get().redisUri(), "--mongo-uri", mongoUri,
                "--workers", "4", "--set", "queue.name=" + queue, "--set", "mongo.database=" + db,
                "--set", "lease.ms=1000", "--set", "journal.enabled=false")
                .redirectErrorStream(true);
        Process p = pb.start();
        processes.add(p);
        List<String> output = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
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
        return new Worker(p, output);
    }

    /** A fresh queue and database shared with the worker processes, and a seeded plan for them. */
    private record Shared(String queue, String db, FencedOrderStore store, LaneQueue lanes, BurstPlan plan) {
        static Shared of(BurstSpec spec) {
            return of(spec, TestServers.get().mongo());
        }

        static Shared of(BurstSpec spec, MongoClient mongo) {
            String queue = TestServers.uniqueName("q");
            String db = TestServers.uniqueName("db");
            FencedOrderStore store = new FencedOrderStore(mongo.getDatabase(db));
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
        // killed while it holds a lane, mid-burst: the events are enqueued on another thread while this one
        // watches the victim's leases (waiting for a quarter to complete raced the burst's end on a fast machine)
        java.util.concurrent.CompletableFuture<Long> enqueued =
                java.util.concurrent.CompletableFuture.supplyAsync(shared::enqueueAll);
        String victimHolders = ":" + victim.pid() + "/";
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2)).until(() ->
                lanes.leases(1_000).stream().anyMatch(l -> l.holder().contains(victimHolders)));
        victim.destroyForcibly();
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long accepted = enqueued.get(60, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(120)).until(() -> {
            QueueStats s = lanes.stats();
            return s.waiting() == 0 && s.leasedLanes() == 0;
        });
        assertThat(lanes.stats().completed()).isEqualTo(accepted);
        assertThat(lanes.stats().stallsRecovered()).as("the killed worker's leased lanes were recovered").isPositive();

        assertEveryEventTookEffectOnce(store, plan);
        lanes.purge();
    }

    /** Every planned order is stored once, in its expected state, each event applied exactly once; stock conserved. */
    private static void assertEveryEventTookEffectOnce(FencedOrderStore store, BurstPlan plan) {
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
    }

    /**
     * SIGTERM (Ctrl-C) stops a worker gracefully: it finishes the job it runs and hands its lanes back,
     * so none is left leased to lapse, nothing accepted is lost, and a restarted worker applies the rest
     * exactly once. Work is in flight at the signal by construction, not by timing: the worker's store
     * is held (its handlers wait inside their first MongoDB call) until the worker has begun to stop.
     */
    @Test
    void aTerminatedWorkerHandsBackItsLanesAndARestartFinishesTheWork() throws Exception {
        try (GatedMongo gated = GatedMongo.start(); MongoClient mongo = Infrastructure.connectMongo(gated.uri())) {
            Shared shared = Shared.of(BurstSpec.of(300, 0.0, 0.0, 5), mongo);
            LaneQueue lanes = shared.lanes();
            Worker worker = startWorker(shared.queue(), shared.db(), gated.uri());
            gated.hold(shared.db());
            long accepted = shared.enqueueAll();

            await("handlers inside the held store, their lanes leased in Redis").atMost(Duration.ofSeconds(60))
                    .until(() -> gated.waiting() > 0 && lanes.stats().leasedLanes() > 0);
            QueueStats before = lanes.stats();
            assertThat(before.completed()).as("nothing completes while the store is held").isZero();

            // SIGTERM through the handle: Process.destroy() would also close our end of its output
            assertThat(worker.process().toHandle().destroy()).as("SIGTERM sent").isTrue();
            try {
                await("the worker begins to stop").atMost(Duration.ofSeconds(30))
                        .until(() -> worker.printed("stopping: no new webhooks"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no stop under way; the worker printed:\n" + String.join("\n", worker.output()), e);
            }
            gated.release();
            assertThat(worker.process().waitFor(30, TimeUnit.SECONDS)).as("worker stopped after SIGTERM").isTrue();

            QueueStats after = lanes.stats();
            assertThat(after.leasedLanes()).as("no lane left leased").isZero();
            assertThat(after.completed()).isLessThan(accepted);
            assertThat(after.waiting()).as("nothing accepted is lost").isEqualTo(accepted - after.completed());
            assertThat(after.readyLanes()).as("the handed-back lanes are ready for another worker").isPositive();
            assertThat(after.stallsRecovered()).isZero();

            startWorker(shared.queue(), shared.db(), gated.uri());
            await("a restarted worker drains the queue").atMost(Duration.ofSeconds(120)).until(() -> {
                QueueStats s = lanes.stats();
                return s.waiting() == 0 && s.leasedLanes() == 0;
            });
            QueueStats done = lanes.stats();
            assertThat(done.completed()).as("every accepted event completed once").isEqualTo(accepted);
            assertThat(done.stallsRecovered()).as("no lease had to lapse").isZero();
            assertEveryEventTookEffectOnce(shared.store(), shared.plan());
            lanes.purge();
        }
    }

    /**
     * A MongoDB-wire server whose reads and writes of one database can be held: a handler that calls
     * it waits inside the call until {@link #release}, so its lane stays leased for as long as the
     * test needs.
     */
    private static final class GatedMongo implements AutoCloseable {
        private static final Set<String> HELD_COMMANDS = Set.of("find", "insert", "update", "findAndModify", "delete");

        private final MongoServer server;
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile String heldDatabase;
        private volatile CountDownLatch gate = new CountDownLatch(0);

        private GatedMongo() {
            server = new MongoServer(new MemoryBackend() {
                @Override
                public Document handleCommand(Channel channel, String database, String command, Document query) {
                    if (database.equals(heldDatabase) && HELD_COMMANDS.contains(command)) {
                        waitAtGate();
                    }
                    return super.handleCommand(channel, database, command, query);
                }
            });
        }

        static GatedMongo start() {
            GatedMongo m = new GatedMongo();
            m.server.bind("127.0.0.1", FreePort.find());
            return m;
        }

        String uri() {
            return "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
        }

        /** From now on, calls on {@code database} wait until {@link #release}. */
        void hold(String database) {
            gate = new CountDownLatch(1);
            heldDatabase = database;
        }

        void release() {
            gate.countDown();
        }

        /** Calls waiting at the gate right now. */
        int waiting() {
            return waiting.get();
        }

        private void waitAtGate() {
            CountDownLatch g = gate;
            if (g.getCount() == 0) {
                return;
            }
            waiting.incrementAndGet();
            try {
                g.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
        }

        @Override
        public void close() {
            release();
            server.shutdownNow();
        }
    }
}
