package dev.lockstep.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import java.nio.file.Path;
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
}
