package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.Main;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.ingest.IngestSettings;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.runtime.BurstLauncher;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.testing.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as a user runs it, against the test servers. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return runOn(TestServers.uniqueName("q"), TestServers.uniqueName("db"), args);
    }

    private int runOn(String queue, String db, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--redis-uri", TestServers.get().redisUri(), "--mongo-uri", TestServers.get().mongoUri(),
                "--set", "queue.name=" + queue, "--set", "mongo.database=" + db));
        return cl.execute(all.toArray(new String[0]));
    }

    /** {@code burst --target} fires at an ingest that runs elsewhere and audits through the shared Redis and MongoDB. */
    @Test
    void burstAgainstARunningIngestAuditsThroughTheSharedServers() throws Exception {
        String queue = TestServers.uniqueName("q");
        String db = TestServers.uniqueName("db");
        LockstepConfig cfg = TestServers.get().config(Map.of("queue.name", queue, "mongo.database", db));
        try (LockstepRuntime elsewhere = LockstepRuntime.start(cfg);
             Pipeline pipeline = elsewhere.newPipeline(Mode.LOCKSTEP, PausedHolderFault.NONE)) {
            pipeline.start();
            try (WebhookServer ingest = WebhookServer.start(IngestSettings.from(cfg), pipeline,
                    BurstLauncher.healthOf(elsewhere))) {
                int code = runOn(queue, db, "burst", "--orders", "60", "--target", ingest.baseUrl().toString(), "--json");
                assertThat(code).as(err.toString()).isZero();
                JsonNode r = new ObjectMapper().readTree(out.toString().trim());
                assertThat(r.get("accepted").asLong()).isPositive();
                assertThat(r.get("handled").asLong()).isEqualTo(r.get("accepted").asLong());
                assertThat(r.get("integrity").asBoolean()).isTrue();
                assertThat(pipeline.counters().snapshot().accepted()).isEqualTo(r.get("accepted").asLong());
            }
        }
    }

    @Test
    void burstOverHttpPrintsOneJsonReportWithTheAuditTerms() throws Exception {
        int code = run("burst", "--orders", "80", "--duplicates", "0.1", "--reorder", "0.3", "--json");
        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString().trim());
        assertThat(r.get("mode").asText()).isEqualTo("lockstep");
        for (String f : List.of("orders", "eventsSent", "accepted", "duplicatesDropped", "rejected", "handled", "applied",
                "skippedStale", "seconds", "eventsPerSecond")) {
            assertThat(r.has(f)).as(f).isTrue();
        }
        assertThat(r.get("handled").asLong()).isEqualTo(r.get("accepted").asLong());
        assertThat(r.get("eventsSent").asLong())
                .isEqualTo(r.get("accepted").asLong() + r.get("duplicatesDropped").asLong() + r.get("rejected").asLong());
        r.get("anomalies").fields().forEachRemaining(a -> assertThat(a.getValue().asLong()).as(a.getKey()).isZero());
        assertThat(r.get("integrity").asBoolean()).isTrue();
    }

    @Test
    void compareRunsTheThreeModesOnOneBurst() throws Exception {
        int code = run("compare", "--orders", "60", "--via", "direct", "--json");
        assertThat(code).as(err.toString()).isZero();
        JsonNode runs = new ObjectMapper().readTree(out.toString().trim()).get("runs");
        assertThat(runs).hasSize(3);
        assertThat(runs.findValuesAsText("mode")).containsExactly("unsafe", "naive-lock", "lockstep");
        assertThat(runs.get(2).get("integrity").asBoolean()).isTrue();
        assertThat(runs.get(0).get("eventsSent").asLong()).isEqualTo(runs.get(2).get("eventsSent").asLong());
    }

    @Test
    void aBadConfigValueStopsWithAMessageNamingTheKeyAsTyped() {
        int code = run("burst", "--orders", "10", "--set", "lease.ms=soon");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--set lease.ms").contains("soon").doesNotContain("LOCKSTEP_LEASE_MS");
        assertThat(out.toString()).isEmpty();
    }

    /** The user typed {@code --http-port}: the error names it, not an environment variable nobody set. */
    @Test
    void aBadFlagValueNamesTheFlagInTwoLines() {
        int code = run("burst", "--http-port", "99999");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "lockstep: invalid value '99999' for --http-port (http.port): expected a whole number from 0 to 65535",
                "see `lockstep burst --help`");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariable() {
        ConfigOptions options = new ConfigOptions();
        assertThatThrownBy(() -> options.load(Map.of("LOCKSTEP_HTTP_PORT", "99999")))
                .hasMessage("invalid value '99999' for http.port (env LOCKSTEP_HTTP_PORT): expected a whole number"
                        + " from 0 to 65535");
        options.httpPort = "99999"; // the flag wins, and is what the error names
        assertThatThrownBy(() -> options.load(Map.of("LOCKSTEP_HTTP_PORT", "8080")))
                .hasMessageStartingWith("invalid value '99999' for --http-port (http.port)");
    }

    /** {@code --wait-seconds} sets how long a process waits for its servers; a bad value names the flag. */
    @Test
    void waitSecondsIsAFlag() {
        ConfigOptions options = new ConfigOptions();
        options.waitSeconds = "5";
        assertThat(options.load(Map.of()).waitForServers()).isEqualTo(java.time.Duration.ofSeconds(5));
        options.waitSeconds = "-1";
        assertThatThrownBy(() -> options.load(Map.of())).hasMessageStartingWith("invalid value '-1' for --wait-seconds (wait.seconds)");
    }

    /** {@code --orders abc}: one line and a hint, not fifty lines of usage; nothing started. */
    @Test
    void aValueOfTheWrongTypeGetsOneLineAndAHint() {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("burst", "--orders", "abc")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "lockstep: Invalid value for option '--orders': 'abc' is not an int",
                "see `lockstep burst --help`");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void outOfRangeBurstFlagsAndUnknownOptionsAreNamedInTwoLines() {
        for (String[] args : List.of(new String[] {"burst", "--orders", "0"}, new String[] {"burst", "--reorder", "1.5"},
                new String[] {"compare", "--duplicates", "-0.1"}, new String[] {"burst", "--mode", "fast"},
                new String[] {"burst", "--ordrs", "5"}, new String[] {"worker", "--mode", "fast"},
                new String[] {"worker", "--metrics-port", "99999"})) {
            err.getBuffer().setLength(0);
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            assertThat(cl.execute(args)).as(String.join(" ", args)).isEqualTo(2);
            String flag = args[1].equals("--ordrs") ? "--orders" : args[1];
            assertThat(err.toString().lines()).as(String.join(" ", args)).hasSize(2)
                    .first().asString().startsWith("lockstep: ").contains(flag);
            assertThat(err.toString().lines().skip(1)).containsExactly("see `lockstep " + args[0] + " --help`");
        }
    }

    @Test
    void anUnknownKeyAndBadBurstFlagsAreRefused() {
        assertThat(run("burst", "--orders", "10", "--set", "lease.msec=5")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown configuration key 'lease.msec'");
        assertThat(run("burst", "--orders", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--orders must be within 1..10000000, not 0");
        assertThat(run("burst", "--orders", "10", "--via", "pigeon")).isEqualTo(2);
        assertThat(err.toString()).contains("--via").contains("expected http or direct, not 'pigeon'");
    }

    /** The usage line names every command, the ones added later (screenshots, soak, bench-compare) included. */
    @Test
    void theUsageLineListsEveryCommand() {
        CommandLine cl = Main.commandLine();
        String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        // the synopsis wraps at 80 columns: its lines up to the first blank one, joined
        String synopsis = oneLine(usage);
        assertThat(synopsis).startsWith("Usage: lockstep ");
        // the wrap may fall inside the list: compared without the spaces it put there
        assertThat(synopsis.replaceAll("\\s+", ""))
                .contains("[console|worker|burst|compare|screenshots|soak|bench|bench-compare|servers|admin]");
        assertThat(cl.getSubcommands().keySet()).as("registered commands")
                .containsExactlyInAnyOrder("console", "worker", "burst", "compare", "screenshots", "soak", "bench",
                        "bench-compare", "servers", "admin")
                .allSatisfy(name -> assertThat(synopsis).contains(name));
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("--help")).isZero();
        assertThat(oneLine(out.toString())).isEqualTo(synopsis);
    }

    private static String oneLine(String usage) {
        return usage.lines().takeWhile(l -> !l.isBlank()).map(String::strip)
                .collect(java.util.stream.Collectors.joining(" "));
    }
}
