package dev.lockstep.bench;

import dev.lockstep.embedded.EmbeddedRedis;
import dev.lockstep.embedded.Infrastructure;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import redis.clients.jedis.UnifiedJedis;

/** {@code bench}: the lane queue's throughput with a no-op handler, on a given or an embedded Redis. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Enqueue N events over M orders while a worker pool with a no-op handler drains them;",
                "print events/s end to end, the enqueue rate, Redis commands, round trips and CPU per event,",
                "and check every event completed exactly once, in order per order, queue empty afterwards."})
public final class QueueBenchCommand implements Callable<Integer> {

    @Mixin
    BenchOptions options;

    @Option(names = "--redis-uri", paramLabel = "URI", description = "A standalone Redis (redis://host:port); default: an embedded one without persistence.")
    String redisUri;

    @Override
    public Integer call() {
        BenchSpec spec = options.spec();
        if (redisUri != null && redisUri.startsWith("redis-cluster://")) {
            throw new IllegalArgumentException("the benchmark reads one server's INFO: give a standalone Redis");
        }
        EmbeddedRedis embedded = redisUri == null ? EmbeddedRedis.start(null, "no") : null;
        String uri = embedded != null ? embedded.uri() : redisUri;
        int connections = options.redisConnections();
        try (UnifiedJedis redis = Infrastructure.connectRedis(uri, connections)) {
            for (BenchSpec warm : options.warmupSpecs()) {
                QueueBench.run(warm, redis);
            }
            BenchResult r = QueueBench.run(spec, redis);
            System.out.println(options.json ? BenchReport.json(new Output(r, connections, uri, embedded != null))
                    : BenchReport.text(r, connections));
            return r.passed() ? 0 : 1;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** The JSON form: the result plus how Redis was reached. */
    public record Output(BenchResult result, int redisConnections, String redisUri, boolean redisEmbedded) {
    }
}
