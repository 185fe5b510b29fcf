package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.LiveConsoleBackend;
import dev.lockstep.embedded.FreePort;
import dev.lockstep.runtime.BurstLauncher;
import dev.lockstep.runtime.BurstRun;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.testing.ChildProcess;
import dev.lockstep.testing.TestServers;
import dev.lockstep.worker.WorkerSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.swing.JTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's multi-process scenario (docs/DESIGN.md, "The fleet"): one {@code lockstep servers}
 * process, three {@code worker} processes on its servers (the first serves the ingest), and an
 * attached console, a real window on the same servers showing the Workers view. A burst is fired
 * over HTTP at the first worker's ingest and one {@code --no-ingest} worker is SIGKILLed mid-burst:
 * the audit finds 0 anomalies with every accepted event handled, and the Workers view stops listing
 * the killed worker within one heartbeat time to live of the kill, plus one console poll (and a second's slack). Tagged {@code process} (and
 * {@code gui}, inherited): Failsafe runs it in {@code mvn verify}.
 */
@Tag("process")
class FleetProcessesGuiTest extends ConsoleGuiTestBase {
    private static final String READY = "Ctrl-C stops gracefully";
    private static final Duration TTL = Duration.ofSeconds(2);
    /**
     * Beyond the TTL and one console poll: time for the poller's read and the EDT's repaint on a loaded machine
     * (2 cores running the servers, three workers, the burst and this console). The kill comes after the
     * victim's last beat, so its entry expires at most one TTL after the kill.
     */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private static final List<ChildProcess> children = new ArrayList<>();
    private static Path dataDir;
    private static String redisUri;
    private static String mongoUri;
    private LockstepConfig shared;

    @BeforeAll
    static void startServers() throws Exception {
        dataDir = Files.createTempDirectory("lockstep-fleet-");
        ChildProcess servers = ChildProcess.lockstep(READY, "servers", "--data-dir", dataDir.toString());
        children.add(servers);
        servers.awaitReady(60);
        Matcher m = Pattern.compile("--redis-uri (\\S+) --mongo-uri (\\S+)").matcher(String.join("\n", servers.output()));
        assertThat(m.find()).as("servers printed their URIs: %s", servers.output()).isTrue();
        redisUri = m.group(1);
        mongoUri = m.group(2);
    }

    @AfterAll
    static void stopServers() {
        children.forEach(c -> c.process().destroyForcibly());
    }

    @AfterEach
    void stopWorkers() {
        // the servers last, after the console closed (the base class closes it first)
        children.stream().skip(1).forEach(c -> c.process().destroyForcibly());
    }

    @Override
    protected ConsoleBackend createBackend() {
        Map<String, String> o = new HashMap<>();
        o.put("redis.uri", redisUri);
        o.put("mongo.uri", mongoUri);
        o.put("queue.name", TestServers.uniqueName("q"));
        o.put("mongo.database", TestServers.uniqueName("db"));
        o.put("http.port", "0");
        o.put("journal.enabled", "false");
        o.put("worker.heartbeat.ttl.ms", Long.toString(TTL.toMillis()));
        o.put("data.dir", dataDir.resolve("console").toString());
        shared = ConfigLoader.load(null, Map.of(), o);
        // attached: it runs no workers, so the Workers view lists exactly the three worker processes
        return new LiveConsoleBackend(LockstepRuntime.start(shared), false);
    }

    private ChildProcess worker(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("worker", "--redis-uri", redisUri, "--mongo-uri", mongoUri,
                "--workers", "2", "--set", "queue.name=" + shared.queueName(),
                "--set", "mongo.database=" + shared.mongoDatabase(), "--set", "lease.ms=2000",
                "--set", "journal.enabled=false", "--set", "worker.heartbeat.ttl.ms=" + TTL.toMillis()));
        args.addAll(List.of(more));
        ChildProcess c = ChildProcess.lockstep(READY, args.toArray(String[]::new));
        children.add(c);
        return c;
    }

    @Test
    void aWorkerKilledMidBurstLosesNothingAndLeavesTheWorkersViewWithinOneHeartbeatTtl() throws Exception {
        int httpPort = FreePort.find();
        ChildProcess ingest = worker("--http-port", String.valueOf(httpPort));
        ChildProcess second = worker("--no-ingest");
        ChildProcess victim = worker("--no-ingest");
        for (ChildProcess w : List.of(ingest, second, victim)) {
            w.awaitReady(60);
        }
        String host = WorkerSettings.processId().substring(0, WorkerSettings.processId().lastIndexOf(':'));
        String victimId = host + ":" + victim.process().pid();
        List<String> ids = List.of(host + ":" + ingest.process().pid(), host + ":" + second.process().pid(), victimId);

        pressViewShortcut(View.WORKERS);
        JTable table = window.table("workers.table").target();
        eventually(() -> column(table, 0), listed -> listed.containsAll(ids));
        assertThat(onEdt(() -> column(table, 0))).as("listed before the kill").contains(victimId).hasSize(3);

        try (LockstepRuntime runtime = LockstepRuntime.start(shared)) {
            BurstPlan plan = BurstPlan.generate(BurstSpec.of(400, 0.05, 0.3, 21));
            CountDownLatch thirdAnswered = new CountDownLatch(1);
            BurstRun.ProgressListener progress = (phase, done, total) -> {
                if (phase == BurstRun.Phase.FIRING && done * 3 >= total) {
                    thirdAnswered.countDown();
                }
            };
            CompletableFuture<AuditReport> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return BurstLauncher.run(runtime, new BurstLauncher.Target.Remote(URI.create("http://127.0.0.1:"
                            + httpPort)), plan, new BurstLauncher.Options(true, 16, 0, Duration.ofSeconds(120)), progress);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(thirdAnswered.await(120, TimeUnit.SECONDS)).as("a third of the burst answered").isTrue();
            victim.kill();
            long killedAt = System.nanoTime();

            Duration bound = TTL.plus(ConsoleFrame.POLL_PERIOD).plus(MARGIN);
            await("the killed worker leaves the Workers view").atMost(bound).pollInterval(Duration.ofMillis(50))
                    .until(() -> onEdt(() -> column(table, 0)), listed -> !listed.contains(victimId));
            long goneAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("fleet: the killed worker left the Workers view %d ms after the kill (TTL %d ms)%n",
                    goneAfterMs, TTL.toMillis());
            assertThat(onEdt(() -> column(table, 0))).as("the survivors stay listed")
                    .containsAll(ids.subList(0, 2));

            AuditReport report = run.get(180, TimeUnit.SECONDS);
            System.out.println("fleet: " + report.toText());
            assertThat(report.anomalies().none()).as("anomalies %s", report.anomalies()).isTrue();
            assertThat(report.handled()).as("handled = accepted").isEqualTo(report.accepted());
            assertThat(report.drained()).isTrue();
            assertThat(report.integrity()).isTrue();
        }
    }

    private static List<String> column(JTable table, int column) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < table.getRowCount(); r++) {
            out.add(String.valueOf(table.getValueAt(r, column)));
        }
        return out;
    }
}
