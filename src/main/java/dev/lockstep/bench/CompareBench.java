package dev.lockstep.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.embedded.EmbeddedRedis;
import dev.lockstep.embedded.Infrastructure;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code bench-compare}: the same workload on the lane queue and on BullMQ, one after the other on
 * one Redis, and a small table with the ratio Lockstep/BullMQ.
 */
@Command(name = "bench-compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the queue benchmark on Lockstep, then the same workload on BullMQ (bench/bullmq/bench.mjs,",
                "`npm ci` there first) against the same Redis, and print both side by side with the ratio."})
public final class CompareBench implements Callable<Integer> {

    @Mixin
    BenchOptions options;

    @Option(names = "--redis-uri", paramLabel = "URI", description = "A standalone Redis; default: an embedded one (flushed between the two runs).")
    String redisUri;

    @Option(names = "--bullmq-dir", paramLabel = "DIR", description = "Folder of bench.mjs and its node_modules (default ${DEFAULT-VALUE}).")
    Path bullmqDir = Path.of("bench", "bullmq");

    @Option(names = "--node", paramLabel = "CMD", description = "Node.js executable (default ${DEFAULT-VALUE}).")
    String node = "node";

    @Option(names = "--bullmq-concurrency", paramLabel = "N", description = "BullMQ worker concurrency (default ${DEFAULT-VALUE}).")
    int bullmqConcurrency = BullMqRunner.Side.DEFAULT_CONCURRENCY;

    @Option(names = "--bullmq-batch", paramLabel = "N", description = "Jobs per Queue.addBulk call; 1 = Queue.add per job (default ${DEFAULT-VALUE}).")
    int bullmqBatch = BullMqRunner.Side.DEFAULT_BATCH;

    @Option(names = "--bullmq-producers", paramLabel = "N", description = "Concurrent BullMQ adders (default ${DEFAULT-VALUE}).")
    int bullmqProducers = BullMqRunner.Side.DEFAULT_PRODUCERS;

    @Option(names = "--bullmq-remove-on-complete", description = "removeOnComplete: true (BullMQ's default keeps completed jobs, so does this benchmark unless told).")
    boolean bullmqRemoveOnComplete;

    @Option(names = "--bullmq-split", description = "Run the BullMQ worker in its own thread (worker_threads), apart from the producers.")
    boolean split;

    @Override
    public Integer call() {
        BenchSpec spec = options.spec();
        EmbeddedRedis embedded = redisUri == null ? EmbeddedRedis.start(null, "no") : null;
        String uri = embedded != null ? embedded.uri() : redisUri;
        try (UnifiedJedis redis = Infrastructure.connectRedis(uri, options.redisConnections())) {
            for (BenchSpec warm : options.warmupSpecs()) {
                QueueBench.run(warm, redis);
            }
            BenchResult lockstep = QueueBench.run(spec, redis);
            if (embedded != null) {
                // a clean server for the second run; an external Redis is never flushed (each run deletes its own keys)
                redis.flushAll();
            }
            BullMqRunner runner = new BullMqRunner(node, bullmqDir);
            String reason = runner.unavailableReason();
            JsonNode bullmq = reason == null
                    ? runner.run(spec, uri, new BullMqRunner.Side(bullmqConcurrency, bullmqBatch, bullmqProducers, split,
                            bullmqRemoveOnComplete, options.warmup)) : null;
            Comparison c = new Comparison(lockstep, options.redisConnections(), bullmq, reason);
            System.out.println(options.json ? BenchReport.json(c) : c.table());
            return lockstep.passed() && (bullmq == null || bullmq.path("passed").asBoolean()) ? 0 : 1;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /**
     * Both runs and the ratio of their end-to-end rates.
     *
     * @param lockstep     the lane queue's result
     * @param redisConnections the lane queue side's Jedis pool size
     * @param bullmq       bench.mjs's JSON, or null when it could not run
     * @param bullmqSkipped why BullMQ did not run, or null
     */
    public record Comparison(BenchResult lockstep, int redisConnections, JsonNode bullmq, String bullmqSkipped) {

        /** Lockstep events/s over BullMQ events/s, end to end; null without a BullMQ run. */
        @JsonProperty("ratio")
        public Double ratio() {
            double b = bullmq == null ? 0 : bullmq.path("timing").path("eventsPerSecond").asDouble();
            return b > 0 ? BenchResult.round(lockstep.timing().eventsPerSecond() / b) : null;
        }

        public String table() {
            BenchSpec s = lockstep.spec();
            StringBuilder t = new StringBuilder();
            t.append(BenchReport.text(lockstep, redisConnections).lines().skip(1).limit(2).map(l -> l + "\n")
                    .reduce("", String::concat));
            if (bullmq == null) {
                t.append(BenchReport.f("BullMQ not run: %s%n", bullmqSkipped));
                t.append(BenchReport.f("Lockstep: %,.0f events/s end to end%n", lockstep.timing().eventsPerSecond()));
                return t.toString();
            }
            JsonNode bt = bullmq.path("timing");
            JsonNode br = bullmq.path("redis");
            JsonNode bw = bullmq.path("workload");
            t.append(BenchReport.f("BullMQ %s (ioredis %s, node %s): one worker process, concurrency %d, %d adder(s) with %s, "
                            + "%s, %s, load average %s at its start%n",
                    bullmq.path("bullmqVersion").asText(), bullmq.path("ioredisVersion").asText(),
                    bullmq.path("machine").path("node").asText(), bw.path("concurrency").asInt(),
                    bw.path("producers").asInt(),
                    bw.path("batch").asInt() > 1 ? "addBulk of " + bw.path("batch").asInt() : "add per job",
                    bw.path("removeOnComplete").asBoolean() ? "removeOnComplete" : "default job options (completed jobs kept)",
                    bw.path("split").asBoolean() ? "worker in its own thread" : "one event loop",
                    bullmq.path("machine").path("loadAverage").asText()));
            String row = "%-30s %20s %20s %10s%n";
            t.append(BenchReport.f(row, "", "Lockstep (ordered)", "BullMQ (unordered)", "ratio"));
            BenchResult.Timing lt = lockstep.timing();
            BenchResult.RedisUsage lr = lockstep.redis();
            t.append(line(row, "events/s end to end", lt.eventsPerSecond(), bt.path("eventsPerSecond").asDouble(), "%,.0f"));
            t.append(line(row, "wall s", lt.wallSeconds(), bt.path("wallSeconds").asDouble(), "%.2f"));
            t.append(line(row, "enqueue events/s", lt.enqueuePerSecond(), bt.path("enqueuePerSecond").asDouble(), "%,.0f"));
            if (s.phased()) {
                t.append(line(row, "drain events/s", lt.drainPerSecond(), bt.path("drainPerSecond").asDouble(), "%,.0f"));
            }
            t.append(line(row, "Redis commands/event", lr.commandsPerEvent(), br.path("commandsPerEvent").asDouble(), "%.2f"));
            t.append(line(row, "EVALSHA (round trips)/event", lr.evalshaPerEvent(), br.path("evalshaPerEvent").asDouble(), "%.2f"));
            t.append(line(row, "Redis CPU us/event", lr.cpuMicrosPerEvent(), br.path("cpuMicrosPerEvent").asDouble(), "%.1f"));
            t.append(line(row, "  of which sys us/event", lr.sysMicrosPerEvent(), br.path("sysMicrosPerEvent").asDouble(), "%.1f"));
            t.append(line(row, "Redis CPU cores", lr.cpuUtilization(), br.path("cpuUtilization").asDouble(), "%.2f"));
            t.append(line(row, "Redis bytes in/event", lr.netInBytesPerEvent(), br.path("netInBytesPerEvent").asDouble(), "%.0f"));
            t.append(line(row, "client CPU us/event", lockstep.client().jvmCpuMicrosPerEvent(),
                    bullmq.path("client").path("cpuMicrosPerEvent").asDouble(), "%.1f"));
            t.append(BenchReport.f(row, "checks", lockstep.passed() ? "PASSED" : "FAILED",
                    bullmq.path("passed").asBoolean() ? "PASSED" : "FAILED", ""));
            t.append(BenchReport.f(row, "out of order (per order)", Long.toString(lockstep.correctness().outOfOrder()),
                    bullmq.path("correctness").path("outOfOrder").asText(), ""));
            t.append(BenchReport.f("ratio Lockstep/BullMQ, events/s end to end: %.2f%n", ratio()));
            BenchResult.MemoryUsage m = lockstep.memory();
            if (m != null) {
                t.append(BenchReport.f("Lockstep Redis memory after the drained run: %.1f B retained/event, dedup buckets %.1f B/event, "
                        + "per-order keys left %d%n", m.retainedBytesPerEvent(), m.dedupBytesPerEvent(), m.perOrderKeysLeft()));
            }
            return t.toString();
        }

        private static String line(String row, String label, double lockstepValue, double bullmqValue, String format) {
            String ratio = bullmqValue > 0 ? String.format(Locale.ROOT, "%.2f", lockstepValue / bullmqValue) : "-";
            return BenchReport.f(row, label, String.format(Locale.ROOT, format, lockstepValue),
                    String.format(Locale.ROOT, format, bullmqValue), ratio);
        }
    }
}
