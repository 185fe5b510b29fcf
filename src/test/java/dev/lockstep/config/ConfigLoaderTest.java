package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void packagedDefaultsStartEmbeddedServers() {
        LockstepConfig c = ConfigLoader.load(null, Map.of(), Map.of());
        assertThat(c.embeddedRedis()).isTrue();
        assertThat(c.embeddedMongo()).isTrue();
        assertThat(c.partitions()).isEqualTo(16);
        assertThat(c.httpBind()).isEqualTo("127.0.0.1");
        assertThat(c.dedupTtl()).isGreaterThan(Duration.ofHours(4));
    }

    @Test
    void fileThenEnvironmentThenFlagsWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("my.properties");
        Files.writeString(file, "worker.threads=3\nhttp.port=9000\nlease.ms=4000\n");
        LockstepConfig c = ConfigLoader.load(file, Map.of("LOCKSTEP_HTTP_PORT", "9100", "LOCKSTEP_LEASE_MS", "5000"),
                Map.of("lease.ms", "6000"));
        assertThat(c.workerThreads()).isEqualTo(3);
        assertThat(c.httpPort()).isEqualTo(9100);
        assertThat(c.lease()).isEqualTo(Duration.ofMillis(6000));
    }

    @Test
    void everyKeyHasItsEnvironmentVariable() {
        assertThat(ConfigLoader.envName("redis.uri")).isEqualTo("LOCKSTEP_REDIS_URI");
        assertThat(ConfigLoader.envName("http.max.body.bytes")).isEqualTo("LOCKSTEP_HTTP_MAX_BODY_BYTES");
        LockstepConfig c = ConfigLoader.load(null, Map.of("LOCKSTEP_REDIS_URI", "redis://10.1.2.3:6380",
                "LOCKSTEP_HMAC_SECRET", "s3cret", "LOCKSTEP_DATA_DIR", "/var/lib/lockstep"), Map.of());
        assertThat(c.redisUri()).isEqualTo("redis://10.1.2.3:6380");
        assertThat(c.embeddedRedis()).isFalse();
        assertThat(c.hmacSecret()).isEqualTo("s3cret");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/lockstep"));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("queue.partitions", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("queue.partitions").hasMessageContaining("1 to 1024");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("LOCKSTEP_MONGO_URI", "postgres://x"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mongo.uri");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("retry.backoff.ms", "500", "retry.backoff.max.ms", "100")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retry.backoff.max.ms");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("journal.enabled", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("journal.enabled");
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("/nonexistent/lockstep.properties"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/lockstep.properties");
    }

    /** An error names where the bad value came from: the flag typed, the environment variable, the file. */
    @Test
    void badValuesNameTheirSource(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.port", "99999"),
                Map.of("http.port", "--http-port")))
                .hasMessage("invalid value '99999' for --http-port (http.port): expected a whole number from 0 to 65535");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("lease.ms", "soon"),
                Map.of("lease.ms", "--set lease.ms")))
                .hasMessageStartingWith("invalid value 'soon' for --set lease.ms: expected");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("LOCKSTEP_HTTP_PORT", "99999"), Map.of()))
                .hasMessageStartingWith("invalid value '99999' for http.port (env LOCKSTEP_HTTP_PORT): expected");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.port", "-1")))
                .hasMessageStartingWith("invalid value '-1' for http.port (command line): expected")
                .hasMessageNotContaining("LOCKSTEP_");
        Path file = Files.writeString(dir.resolve("l.properties"), "http.port=70000\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), Map.of()))
                .hasMessageStartingWith("invalid value '70000' for http.port (file " + file + "): expected");
    }

    @Test
    void mongoTimeoutsAndWriteConcern() {
        LockstepConfig d = ConfigLoader.load(null, Map.of(), Map.of());
        assertThat(d.mongoTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.mongoConnectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.mongoWriteConcern()).isEqualTo("majority");
        LockstepConfig c = ConfigLoader.load(null, Map.of("LOCKSTEP_MONGO_WRITE_CONCERN", "W1"),
                Map.of("mongo.timeout.ms", "0", "mongo.connect.timeout.ms", "250"));
        assertThat(c.mongoWriteConcern()).isEqualTo("w1");
        assertThat(c.mongoTimeout()).isZero();
        assertThat(c.mongoConnectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigLoader.load(null, Map.of(), Map.of("mongo.write.concern", "acknowledged")).mongoWriteConcern())
                .isEqualTo("acknowledged");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("mongo.write.concern", "w2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mongo.write.concern")
                .hasMessageContaining("majority, w1 or acknowledged");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("mongo.timeout.ms", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mongo.timeout.ms");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("mongo.connect.timeout.ms", "5s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mongo.connect.timeout.ms");
    }
}
