package dev.lockstep.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfrastructureTest {

    @Test
    void embeddedServersKeepTheirDataAcrossARestart(@TempDir Path dataDir) {
        LockstepConfig config = ConfigLoader.load(null, Map.of(),
                Map.of("data.dir", dataDir.toString(), "redis.embedded.appendfsync", "always"));
        assertThat(config.embeddedRedis()).isTrue();
        assertThat(config.embeddedMongo()).isTrue();

        try (Infrastructure first = Infrastructure.start(config)) {
            assertThat(first.redisEmbedded()).isTrue();
            assertThat(first.redisHealthy()).isTrue();
            assertThat(first.mongoHealthy()).isTrue();
            first.redis().set("lockstep:test:survives", "yes");
            first.mongo().getDatabase("survival").getCollection("c").insertOne(new Document("_id", 1).append("v", "yes"));
        }
        try (Infrastructure second = Infrastructure.start(config)) {
            assertThat(second.redis().get("lockstep:test:survives")).isEqualTo("yes");
            Document d = second.mongo().getDatabase("survival").getCollection("c").find(new Document("_id", 1)).first();
            assertThat(d).isNotNull();
            assertThat(d.getString("v")).isEqualTo("yes");
        }
    }

    /** wait.seconds=0 keeps today's behaviour: a server that does not answer fails the start at once, named. */
    @Test
    void aServerDownAtStartFailsAtOnceWithWaitZero() {
        int port = FreePort.find();
        LockstepConfig config = ConfigLoader.load(null, Map.of(), Map.of("redis.uri", "redis://127.0.0.1:" + port,
                "mongo.uri", dev.lockstep.testing.TestServers.get().mongoUri(), "wait.seconds", "0"));

        assertThatThrownBy(() -> Infrastructure.start(config))
                .isInstanceOf(Infrastructure.ServerUnavailableException.class)
                .hasMessageContaining("Redis at redis://127.0.0.1:" + port)
                .hasMessageContaining("wait.seconds=0");
    }

    /**
     * A worker or console started while its external Redis and MongoDB are down waits for them (issue
     * 11: it exited with MongoTimeoutException) and starts once they answer.
     */
    @Test
    void aProcessStartedBeforeItsServersWaitsForThem() throws Exception {
        int redisPort = FreePort.find();
        int mongoPort = FreePort.find();
        LockstepConfig config = ConfigLoader.load(null, Map.of(), Map.of("redis.uri", "redis://127.0.0.1:" + redisPort,
                "mongo.uri", "mongodb://127.0.0.1:" + mongoPort, "wait.seconds", "60"));
        List<String> steps = new CopyOnWriteArrayList<>();
        CompletableFuture<Infrastructure> started = CompletableFuture.supplyAsync(() -> Infrastructure.start(config, steps::add));
        EmbeddedRedis redis = null;
        EmbeddedMongo mongo = null;
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> steps.contains("waiting for Redis at redis://127.0.0.1:" + redisPort));
            assertThat(started).isNotDone();
            redis = EmbeddedRedis.start(null, "everysec", redisPort);
            await().atMost(Duration.ofSeconds(20)).until(() -> steps.contains("waiting for MongoDB at mongodb://127.0.0.1:" + mongoPort));
            assertThat(started).isNotDone();
            mongo = EmbeddedMongo.start(null, DurableH2Backend.Durability.COMMIT, mongoPort);
            try (Infrastructure infra = started.get(30, TimeUnit.SECONDS)) {
                assertThat(infra.redisHealthy()).isTrue();
                assertThat(infra.mongoHealthy()).isTrue();
            }
        } finally {
            started.cancel(true);
            if (mongo != null) {
                mongo.close();
            }
            if (redis != null) {
                redis.close();
            }
        }
    }

    /**
     * Pooled connections left stale by a Redis restart are replaced when borrowed (issue 11: the
     * burst command died with "Unexpected end of stream" on the first call after a restart).
     */
    @Test
    void aRedisRestartCostsAtMostOneFailedCallPerPooledConnection(@TempDir Path dataDir) {
        int port = FreePort.find();
        int connections = 8;
        EmbeddedRedis first = EmbeddedRedis.start(dataDir, "always", port);
        try (var client = Infrastructure.connectRedis("redis://127.0.0.1:" + port, connections)) {
            client.set("lockstep:test:restart", "kept");
            first.close();
            EmbeddedRedis second = EmbeddedRedis.start(dataDir, "always", port);
            try {
                int failed = 0;
                String value = null;
                while (value == null && failed <= connections) {
                    try {
                        value = client.get("lockstep:test:restart");
                    } catch (redis.clients.jedis.exceptions.JedisConnectionException stale) {
                        failed++; // a connection of the old server: dropped, the next call takes another
                    }
                }
                assertThat(value).isEqualTo("kept");
                assertThat(failed).isLessThanOrEqualTo(connections);
                // and the client keeps working afterwards
                for (int i = 0; i < 3 * connections; i++) {
                    assertThat(client.get("lockstep:test:restart")).isEqualTo("kept");
                }
            } finally {
                second.close();
            }
        } finally {
            first.close();
        }
    }

}
