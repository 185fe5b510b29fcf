package dev.lockstep.console.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Workers view's empty state: a worker on the console's servers, sharing its queue, no password shown. */
class WorkerStartCommandTest {

    @Test
    void namesTheServersAndOnlyTheSharedKeysThatDifferFromTheDefaults() {
        LockstepConfig defaults = ConfigLoader.load(null, Map.of(), Map.of());
        assertThat(WorkerStartCommand.of(defaults, "redis://127.0.0.1:6379", "mongodb://127.0.0.1:27017", true))
                .endsWith(" worker --no-ingest --redis-uri redis://127.0.0.1:6379 --mongo-uri mongodb://127.0.0.1:27017");

        LockstepConfig own = ConfigLoader.load(null, Map.of(), Map.of("queue.name", "orders-eu", "queue.partitions", "32",
                "mongo.database", "shop", "worker.heartbeat.ttl.ms", "2000", "lease.ms", "4000"));
        String command = WorkerStartCommand.of(own, "redis://127.0.0.1:6379", "mongodb://127.0.0.1:27017", false);
        assertThat(command).doesNotContain("--no-ingest").doesNotContain("lease.ms")
                .endsWith(" --set queue.name=orders-eu --set queue.partitions=32 --set mongo.database=shop"
                        + " --set worker.heartbeat.ttl.ms=2000");
    }

    @Test
    void masksEveryPasswordAndQuotesWhatAShellWouldExpand() {
        LockstepConfig defaults = ConfigLoader.load(null, Map.of(), Map.of());
        String command = WorkerStartCommand.of(defaults, "redis://app:s3cret@10.0.0.5:6379",
                "mongodb://app:m0ngo-pw@10.0.0.6:27017/?authSource=admin", false);

        assertThat(command).doesNotContain("s3cret").doesNotContain("m0ngo-pw")
                .contains("--redis-uri 'redis://app:***@10.0.0.5:6379'")
                .contains("--mongo-uri 'mongodb://app:***@10.0.0.6:27017/?authSource=admin'");
    }
}
