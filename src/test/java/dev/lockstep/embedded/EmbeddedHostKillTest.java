package dev.lockstep.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * A worker process that hosts the embedded Redis and MongoDB-wire server is killed with SIGKILL in
 * the middle of a burst, three times in a row on one data directory. Each time: its redis-server
 * exits with it (no orphan), the restart on the same files starts (the lock died with the host),
 * and the audit finds every accepted event applied exactly once and stock conserved: nothing the
 * embedded store acknowledged was lost (docs/DESIGN.md I3, I4, I5 across a crash of the store).
 */
@Tag("fault")
class EmbeddedHostKillTest {
    private static final Pattern REDIS_PORT = Pattern.compile("embedded Redis started on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern MONGO_PORT = Pattern.compile("embedded MongoDB-wire server started on 127\\.0\\.0\\.1:(\\d+)");
    private static final int ROUNDS = 3;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        processes.forEach(Process::destroyForcibly);
    }

    /** A worker process on the data directory and the ports of its embedded servers. */
    private record Host(Process process, int redisPort, int mongoPort) {
    }

    private Host startHost(Path dataDir, String queue, String db) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "-cp", cp, "dev.lockstep.Main", "worker", "--no-ingest",
                "--data-dir", dataDir.toString(), "--workers", "8", "--set", "queue.name=" + queue,
                "--set", "mongo.database=" + db, "--set", "lease.ms=1000",
                "--set", "redis.embedded.appendfsync=always")
                .redirectErrorStream(true).start();
        processes.add(p);
        CompletableFuture<int[]> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            int[] ports = new int[2];
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!ready.isDone()) {
                        out.append(line).append('\n');
                    }
                    Matcher m = REDIS_PORT.matcher(line);
                    if (m.find()) {
                        ports[0] = Integer.parseInt(m.group(1));
                    }
                    m = MONGO_PORT.matcher(line);
                    if (m.find()) {
                        ports[1] = Integer.parseInt(m.group(1));
                    }
                    if (line.contains("Ctrl-C stops gracefully")) {
                        ready.complete(ports);
                    }
                }
            } catch (IOException e) {
                // the process was killed: its output ends
            }
            ready.completeExceptionally(new AssertionError("worker exited before it was ready:\n" + out));
        });
        reader.setDaemon(true);
        reader.start();
        int[] ports = ready.get(90, TimeUnit.SECONDS);
        assertThat(ports[0]).as("embedded Redis port").isPositive();
        assertThat(ports[1]).as("embedded MongoDB port").isPositive();
        return new Host(p, ports[0], ports[1]);
    }

    @Test
    void killingTheHostOfTheEmbeddedServersLosesNothingAcknowledged(@TempDir Path dataDir) throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            String queue = "kill" + round;
            String db = "kill" + round;
            BurstPlan plan = BurstPlan.generate(BurstSpec.of(300, 0.05, 0.3, 40 + round));

            Host victim = startHost(dataDir, queue, db);
            long accepted;
            try (UnifiedJedis redis = Infrastructure.connectRedis("redis://127.0.0.1:" + victim.redisPort(), 16);
                 MongoClient mongo = Infrastructure.connectMongo("mongodb://127.0.0.1:" + victim.mongoPort())) {
                FencedOrderStore store = new FencedOrderStore(mongo.getDatabase(db));
                store.reset();
                store.seedStock(plan.initialStock());
                LaneQueue lanes = lanes(redis, queue);
                for (WebhookDelivery d : plan.deliveries()) {
                    var e = d.event();
                    lanes.enqueue(e.orderId(), Delivery.dedupKey(e.shop(), e.topic().wire(), e.eventId()),
                            OrderEventCodec.encode(e));
                }
                accepted = lanes.stats().enqueued();
                long third = accepted / 3;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> lanes.stats().completed() >= third);
            }
            long redisPid = EmbeddedRedis.readPid(dataDir.resolve("redis").resolve(EmbeddedRedis.PID_FILE)).orElseThrow();
            victim.process().destroyForcibly(); // SIGKILL, mid-burst
            assertThat(victim.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            await("round " + round + ": the killed host's redis-server (pid " + redisPid + ") exits with it")
                    .atMost(Duration.ofSeconds(15))
                    .until(() -> ProcessHandle.of(redisPid).map(h -> !h.isAlive()).orElse(true));

            Host restarted = startHost(dataDir, queue, db);
            try (UnifiedJedis redis = Infrastructure.connectRedis("redis://127.0.0.1:" + restarted.redisPort(), 16);
                 MongoClient mongo = Infrastructure.connectMongo("mongodb://127.0.0.1:" + restarted.mongoPort())) {
                FencedOrderStore store = new FencedOrderStore(mongo.getDatabase(db));
                LaneQueue lanes = lanes(redis, queue);
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    QueueStats s = lanes.stats();
                    return s.waiting() == 0 && s.leasedLanes() == 0;
                });
                assertThat(lanes.stats().enqueued()).as("round %d: accepted events survived the kill", round)
                        .isEqualTo(accepted);
                assertThat(lanes.stats().completed()).as("round %d: handled = accepted", round).isEqualTo(accepted);
                audit(round, plan, store);
            }
            restarted.process().destroy(); // SIGTERM: a clean stop before the next round
            assertThat(restarted.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static LaneQueue lanes(UnifiedJedis redis, String queue) {
        return new LaneQueue(redis, new Keys(queue, 16), Duration.ofSeconds(1), Duration.ofHours(1));
    }

    /** Every accepted event applied exactly once, final states right, stock conserved. */
    private static void audit(int round, BurstPlan plan, FencedOrderStore store) {
        Map<Long, List<StoredOrder>> stored = store.orders().stream().collect(Collectors.groupingBy(StoredOrder::orderId));
        for (ExpectedOrder exp : plan.expected().values()) {
            List<StoredOrder> docs = stored.get(exp.orderId());
            assertThat(docs).as("round %d: order %d stored once", round, exp.orderId()).hasSize(1);
            StoredOrder o = docs.get(0);
            assertThat(o.state()).as("round %d: order %d state", round, exp.orderId()).isEqualTo(exp.state());
            List<String> effects = o.history().stream().map(Application::effectId).toList();
            assertThat(effects).as("round %d: order %d: each event applied exactly once", round, exp.orderId())
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(exp.effectIds());
        }
        assertThat(store.stock()).as("round %d: stock conserved", round).isEqualTo(plan.expectedStock());
    }
}
