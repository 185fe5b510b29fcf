package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.Main;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.fleet.WorkerInfo;
import dev.lockstep.fleet.WorkerRegistry;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.store.JournalStage;
import dev.lockstep.testing.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code lockstep admin}: its output and exit codes against the test servers (the worker-side scenario is PoisonEventFaultTest). */
class AdminCommandTest {
    private final LockstepConfig shared = TestServers.get().config(Map.of());
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int admin(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(List.of("--redis-uri", TestServers.get().redisUri(), "--mongo-uri", TestServers.get().mongoUri(),
                "--set", "queue.name=" + shared.queueName(), "--set", "mongo.database=" + shared.mongoDatabase()));
        return cl.execute(all.toArray(String[]::new));
    }

    @Test
    void emptyListingsSaySoAndSucceed() {
        assertThat(admin("locks")).as(err.toString()).isZero();
        assertThat(admin("parked")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("no held leases").contains("no parked lanes");
    }

    @Test
    void workersListsTheProcessesWhoseHeartbeatLivesAndSaysHowToStartOneWhenNone() {
        assertThat(admin("workers")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("no worker processes (start one: java -jar lockstep.jar worker");
        WorkerRegistry registry = new WorkerRegistry(TestServers.get().redis(), shared.queueName(),
                shared.workerHeartbeatTtl());
        registry.beat(new WorkerInfo("box-1:777", "worker", "box-1", 777, "0.1.0", "lockstep", 8, 2, 900, 321.5,
                "http://box-1:8088", System.currentTimeMillis() - 65_000, System.currentTimeMillis()));
        out.getBuffer().setLength(0);
        assertThat(admin("workers")).isZero();
        assertThat(out.toString().lines().skip(1).findFirst()).hasValueSatisfying(line -> assertThat(line)
                .contains("box-1:777").contains("worker").contains("lockstep").contains("321.5")
                .contains("http://box-1:8088"));
        registry.leave("box-1:777");
    }

    @Test
    void aStepWithNothingToDoExitsOneSayingWhy() {
        assertThat(admin("retry", "--order", "42")).isEqualTo(1);
        assertThat(admin("skip", "--order", "42")).isEqualTo(1);
        assertThat(admin("release", "--order", "42")).isEqualTo(1);
        assertThat(admin("resume", "--order", "42")).isEqualTo(1);
        assertThat(out.toString()).contains("order 42: has no parked head").contains("order 42: holds no lease")
                .contains("order 42: is not paused");
    }

    @Test
    void badInputExitsTwoAndChangesNothing() {
        assertThat(admin("retry", "--order", "-3")).isEqualTo(2);
        assertThat(err.toString()).contains("--order must be a positive order id: -3");
        assertThat(admin("skip", "--order", "x")).isEqualTo(2);
        assertThat(admin("pause")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--order=N'");
        assertThat(admin("locks", "--limit", "0")).isEqualTo(2);
    }

    @Test
    void pauseAndResumeAreRecordedWithTheOperatorAndAPausedLaneIsNotPausedTwice() {
        assertThat(admin("pause", "--order", "7")).as(err.toString()).isZero();
        assertThat(admin("pause", "--order", "7")).isEqualTo(1);
        assertThat(admin("resume", "--order", "7")).isZero();
        assertThat(out.toString()).contains("order 7: lane paused at").contains("order 7: is paused already")
                .contains("order 7: lane resumed");
        try (LockstepRuntime runtime = LockstepRuntime.start(shared)) {
            assertThat(runtime.journal(Mode.LOCKSTEP).forOrder(7)).extracting(e -> e.stage())
                    .containsExactly(JournalStage.PAUSED, JournalStage.RESUMED);
        }
    }

    @Test
    void helpSaysHowToReachTheWorkersServers() {
        assertThat(admin("--help")).isZero();
        assertThat(out.toString()).contains("--redis-uri").contains("lockstep servers").contains("Exit codes");
    }
}
