package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.queue.KeyPurge;
import dev.lockstep.testing.TestServers;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;

/** The benchmark on a tiny workload against the real test Redis: its checks and figures, never its timings. */
class QueueBenchTest {
    private final UnifiedJedis redis = TestServers.get().redis();

    private static BenchSpec tiny() {
        return BenchSpec.defaults().withEvents(2000, 200).withThreads(3, 4).withPartitions(4).withTimeoutSeconds(60)
                .withQueueName(TestServers.uniqueName("bench"));
    }

    @Test
    void everyEventCompletesOnceInOrderAndTheQueueEndsEmpty() {
        BenchSpec spec = tiny();
        BenchResult r = QueueBench.run(spec, redis);

        BenchResult.Correctness c = r.correctness();
        assertThat(c.completed()).isEqualTo(2000);
        assertThat(c.missing()).isZero();
        assertThat(c.duplicates()).isZero();
        assertThat(c.outOfOrder()).isZero();
        assertThat(c.overlaps()).isZero();
        assertThat(c.notQueued()).isZero();
        assertThat(c.statsEnqueued()).isEqualTo(2000);
        assertThat(c.statsCompleted()).isEqualTo(2000);
        assertThat(c.waitingLeft()).isZero();
        assertThat(c.lanesLeft()).isZero();
        assertThat(c.laneKeysLeft()).isZero();
        assertThat(c.jobKeysLeft()).isZero();
        assertThat(r.passed()).isTrue();
        assertSaneFigures(r);
        assertThat(r.enqueuePhase()).isNull();
        assertThat(keysOf(spec.queueName())).as("the run deletes its keys").isZero();
    }

    @Test
    void pipelinedPhasedRunPassesAndSplitsTheRedisCost() {
        BenchSpec spec = tiny().withEnqueueBatch(64).withPhased(true);
        BenchResult r = QueueBench.run(spec, redis);

        assertThat(r.passed()).isTrue();
        assertThat(r.correctness().completed()).isEqualTo(2000);
        assertSaneFigures(r);
        // enqueuing alone runs one enqueue script per partition per batch of 64, dedups in hashes, and
        // claims nothing; the drain runs one drain script per partition per round
        assertThat(r.enqueuePhase().evalshaPerEvent()).isPositive().isLessThan(1.0);
        assertThat(r.enqueuePhase().callsPerEventByCommand()).containsKey("hmget").doesNotContainKey("zadd");
        assertThat(r.drainPhase().evalshaPerEvent()).isPositive().isLessThan(1.0);
        assertThat(r.drainPhase().callsPerEventByCommand()).containsKey("lpop").doesNotContainKey("hmget");
        assertThat(r.timing().drainSeconds()).isLessThanOrEqualTo(r.timing().wallSeconds());
        assertThat(keysOf(spec.queueName())).isZero();
    }

    @Test
    void theJsonFormCarriesTheFiguresAndTheVerdict() throws Exception {
        BenchResult r = QueueBench.run(tiny().withEvents(300, 30), redis);
        var node = BenchReport.mapper().readTree(BenchReport.json(new QueueBenchCommand.Output(r, 40, "redis://x", true)));

        assertThat(node.path("result").path("passed").asBoolean()).isTrue();
        assertThat(node.path("result").path("spec").path("events").asInt()).isEqualTo(300);
        assertThat(node.path("result").path("timing").path("eventsPerSecond").asDouble()).isPositive();
        assertThat(node.path("result").path("redis").path("callsPerEventByCommand").path("evalsha").asDouble())
                .isPositive();
        assertThat(node.path("result").path("machine").path("redisVersion").asText()).isNotBlank();
        assertThat(node.path("redisConnections").asInt()).isEqualTo(40);
        assertThat(BenchReport.text(r, 40)).contains("PASSED", "300 events over 30 orders", "Redis pool 40");
    }

    private static void assertSaneFigures(BenchResult r) {
        BenchResult.Timing t = r.timing();
        assertThat(t.wallSeconds()).isPositive();
        assertThat(t.eventsPerSecond()).isPositive();
        assertThat(t.enqueueSeconds()).isPositive().isLessThanOrEqualTo(t.wallSeconds());
        assertThat(t.enqueuePerSecond()).isGreaterThanOrEqualTo(t.eventsPerSecond());
        BenchResult.RedisUsage u = r.redis();
        // enqueues and completions travel in batches: at most one script call each per event
        assertThat(u.evalshaPerEvent()).isPositive().isLessThanOrEqualTo(2.0);
        assertThat(u.commandsPerEvent()).isGreaterThan(u.evalshaPerEvent());
        assertThat(u.cpuMicrosPerEvent()).isPositive();
        assertThat(u.netInBytesPerEvent()).isGreaterThan(r.payloadBytes());
        assertThat(r.payloadBytes()).isBetween(180, 260);
        assertThat(r.client().laneRunsPerEvent()).isPositive().isLessThanOrEqualTo(1.0);
        assertThat(r.machine().cores()).isPositive();
        assertThat(r.machine().redisVersion()).matches("\\d+\\.\\d+.*");
    }

    private long keysOf(String queueName) {
        ScanParams params = new ScanParams().match(KeyPurge.literal(queueName + ":") + "*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        long n = 0;
        do {
            var page = redis.scan(cursor, params);
            n += page.getResult().size();
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return n;
    }
}
