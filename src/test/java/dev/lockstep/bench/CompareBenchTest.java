package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison's plumbing: when BullMQ can run, what it is told, and the table of both results. */
class CompareBenchTest {

    private static BenchSpec tiny() {
        return BenchSpec.defaults().withEvents(400, 40).withThreads(2, 3).withPartitions(2).withTimeoutSeconds(60)
                .withQueueName(TestServers.uniqueName("bench"));
    }

    @Test
    void saysHowToInstallWhenBullMqIsMissing(@TempDir Path dir) throws Exception {
        assertThat(new BullMqRunner("node", dir).unavailableReason()).contains("bench.mjs");
        Files.writeString(dir.resolve("bench.mjs"), "");
        assertThat(new BullMqRunner("node", dir).unavailableReason()).contains("npm ci");
    }

    @Test
    void bullMqGetsTheSameWorkload() {
        BenchSpec spec = tiny().withEnqueueBatch(50).withPhased(true);
        assertThat(String.join(" ", BullMqRunner.arguments(spec, "redis://127.0.0.1:1", 3, true)))
                .contains("--redis-uri redis://127.0.0.1:1", "--events 400", "--orders 40", "--producers 2",
                        "--concurrency 3", "--batch 50", "--phased", "--split", "--warmup 0", "--json");
        assertThat(BullMqRunner.lastLine("warming up\n{\"a\":1}\n\n")).isEqualTo("{\"a\":1}");
    }

    @Test
    void tableShowsBothRunsAndTheRatio() throws Exception {
        BenchResult lockstep = QueueBench.run(tiny(), TestServers.get().redis());
        double bullRate = lockstep.timing().eventsPerSecond() / 2;
        JsonNode bullmq = BenchReport.mapper().readTree("""
                {"engine":"bullmq","bullmqVersion":"6.7.0","ioredisVersion":"5.11.1","ordered":false,
                 "workload":{"concurrency":3,"batch":1,"split":false},"machine":{"node":"v20"},
                 "timing":{"wallSeconds":1.0,"eventsPerSecond":%s,"enqueuePerSecond":500},
                 "redis":{"commandsPerEvent":36.0,"evalshaPerEvent":2.1,"cpuMicrosPerEvent":120.0},
                 "client":{"cpuMicrosPerEvent":150.0},"correctness":{"outOfOrder":7},"passed":true}
                """.formatted(bullRate));
        CompareBench.Comparison c = new CompareBench.Comparison(lockstep, 40, bullmq, null);

        assertThat(c.ratio()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(c.table()).contains("Lockstep (ordered)", "BullMQ (unordered)", "events/s end to end", "2.00",
                "BullMQ 6.7.0", "PASSED");
        JsonNode json = BenchReport.mapper().readTree(BenchReport.json(c));
        assertThat(json.path("ratio").asDouble()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(json.path("bullmq").path("correctness").path("outOfOrder").asInt()).isEqualTo(7);

        CompareBench.Comparison skipped = new CompareBench.Comparison(lockstep, 40, null, "BullMQ is not installed");
        assertThat(skipped.ratio()).isNull();
        assertThat(skipped.table()).contains("BullMQ not run: BullMQ is not installed");
    }

    /** Runs only where `npm ci` was done in bench/bullmq and node is on the PATH. */
    @Test
    void bullMqBenchRunsTheWorkloadOnTheSameRedis() {
        BullMqRunner runner = new BullMqRunner("node", Path.of("bench", "bullmq"));
        String reason = runner.unavailableReason();
        assumeTrue(reason == null, () -> "BullMQ side not installed here: " + reason);
        JsonNode r = runner.run(tiny(), TestServers.get().redisUri(), 4, false);

        assertThat(r.path("passed").asBoolean()).isTrue();
        assertThat(r.path("correctness").path("completed").asInt()).isEqualTo(400);
        assertThat(r.path("correctness").path("duplicates").asInt()).isZero();
        assertThat(r.path("payloadBytes").asInt()).isBetween(180, 260);
        assertThat(r.path("redis").path("evalshaPerEvent").asDouble()).isGreaterThanOrEqualTo(2.0);
    }
}
