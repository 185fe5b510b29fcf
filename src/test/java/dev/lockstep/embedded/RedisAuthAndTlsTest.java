package dev.lockstep.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.config.ConfigException;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.store.OrderStore;
import dev.lockstep.testing.OwnRedisServer;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.TestServers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis AUTH (ACL user and password, requirepass) and TLS ({@code rediss://}, a CA of the test's own)
 * through the real clients: each test starts its own {@code redis-server} on a free loopback port and
 * runs events through the lockstep lanes (enqueue, claim, complete) over it. MongoDB credentials in
 * the URI are accepted and never shown (the embedded server checks none).
 */
class RedisAuthAndTlsTest {
    private static final String PASSWORD = "s3cret-Redis-pw";

    @TempDir
    static Path certs;

    @BeforeAll
    static void machineHasRedisServer() {
        assumeTrue(OwnRedisServer.available(), "needs " + OwnRedisServer.BINARY);
    }

    @Test
    void anAclUserAndPasswordInTheUriRunEventsThroughTheLanes() {
        try (OwnRedisServer redis = OwnRedisServer.start("--user", "lockstep", "on", ">" + PASSWORD, "~*", "&*",
                "+@all", "--user", "default", "off")) {
            String uri = "redis://lockstep:" + PASSWORD + "@127.0.0.1:" + redis.port();

            runsABurst(TestServers.get().config(Map.of("redis.uri", uri)));
        }
    }

    @Test
    void requirepassAloneWorksWithAnEmptyUser() {
        try (OwnRedisServer redis = OwnRedisServer.start("--requirepass", PASSWORD)) {
            runsABurst(TestServers.get().config(Map.of("redis.uri", "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port())));
        }
    }

    @Test
    void aWrongPasswordIsOneClearStartupErrorNamingTheSettingWithoutTheSecretOrATrace() {
        try (OwnRedisServer redis = OwnRedisServer.start("--user", "lockstep", "on", ">" + PASSWORD, "~*", "&*",
                "+@all", "--user", "default", "off")) {
            String wrong = "not-the-" + PASSWORD;
            LockstepConfig config = TestServers.get().config(Map.of("redis.uri",
                    "redis://lockstep:" + wrong + "@127.0.0.1:" + redis.port()));
            LogCapture lines = LogCapture.all();
            try (lines) {
                assertThatThrownBy(() -> Infrastructure.start(config).close())
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("redis.uri")
                        .hasMessageContaining("LOCKSTEP_REDIS_URI")
                        .hasMessageContaining("redis://lockstep:***@127.0.0.1:" + redis.port())
                        .hasMessageNotContaining(wrong);
            }
            assertThat(lines.events()).as("nothing logged with a trace").noneMatch(e -> e.getThrowableProxy() != null);
            assertThat(lines.events()).noneMatch(e -> e.getFormattedMessage().contains(wrong));
        }
    }

    @Test
    void tlsWithTheTestsOwnCaRunsEventsThroughTheLanes() {
        assumeTrue(OwnRedisServer.opensslAvailable(), "needs openssl to make the certificates");
        OwnRedisServer.makeCertificates(certs);
        try (OwnRedisServer redis = OwnRedisServer.startTls(certs.resolve("server.crt"), certs.resolve("server.key"),
                certs.resolve("ca.crt"), "--user", "lockstep", "on", ">" + PASSWORD, "~*", "&*", "+@all",
                "--user", "default", "off")) {
            String uri = "rediss://lockstep:" + PASSWORD + "@127.0.0.1:" + redis.port();

            runsABurst(TestServers.get().config(Map.of("redis.uri", uri,
                    "redis.tls.ca.file", certs.resolve("ca.crt").toString())));
        }
    }

    @Test
    void tlsToAServerWhoseCaIsNotTrustedIsAClearStartupErrorNamingTheCaSetting() {
        assumeTrue(OwnRedisServer.opensslAvailable(), "needs openssl to make the certificates");
        OwnRedisServer.makeCertificates(certs);
        try (OwnRedisServer redis = OwnRedisServer.startTls(certs.resolve("server.crt"), certs.resolve("server.key"),
                certs.resolve("ca.crt"))) {
            LockstepConfig config = TestServers.get().config(Map.of("redis.uri", "rediss://127.0.0.1:" + redis.port()));

            assertThatThrownBy(() -> Infrastructure.start(config).close())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("redis.tls.ca.file")
                    .hasMessageContaining("LOCKSTEP_REDIS_TLS_CA_FILE");
        }
    }

    /**
     * The driver takes the credentials from the URI and authenticates with them (SCRAM) when it
     * connects. mongo-java-server checks no credentials and has no SCRAM at all ("no such command:
     * 'saslStart'"), so against the embedded server the handshake is refused: the start fails at once
     * (waiting cannot fix credentials) naming {@code mongo.uri}, and the password shows nowhere.
     */
    @Test
    void mongoCredentialsInTheUriAreUsedByTheClientAndNeverShown() {
        int port = URI.create(TestServers.get().mongoUri()).getPort();
        String password = "m0ngo-Pw";
        String uri = "mongodb://app:" + password + "@127.0.0.1:" + port + "/?authSource=admin";
        LockstepConfig config = TestServers.get().config(Map.of("mongo.uri", uri));
        assertThat(config.toString()).doesNotContain(password).contains("mongodb://app:***@");

        long started = System.nanoTime();
        assertThatThrownBy(() -> Infrastructure.start(config).close())
                .as("the client authenticates as the URI's user; the embedded server has no SCRAM")
                .isInstanceOf(Infrastructure.ServerUnavailableException.class)
                .hasMessageContaining("mongo.uri")
                .hasMessageContaining("app")
                .hasMessageNotContaining(password);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no waiting for a refusal")
                .isLessThan(config.waitForServers());
    }

    @Test
    void aMissingCaFileIsABadValueNamingTheKey() {
        assertThatThrownBy(() -> TestServers.get().config(Map.of("redis.tls.ca.file", "/nonexistent/ca.pem")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("redis.tls.ca.file");
    }

    /** Two orders' events accepted into the lockstep lanes, claimed, applied to the store and completed. */
    private static void runsABurst(LockstepConfig config) {
        try (LockstepRuntime runtime = LockstepRuntime.start(config)) {
            assertThat(runtime.infra().redisHealthy()).isTrue();
            assertThat(runtime.infra().redisUri()).doesNotContain(PASSWORD).contains(":***@");
            Pipeline pipeline = runtime.newPipeline(Mode.LOCKSTEP, PausedHolderFault.NONE);
            pipeline.start();
            try {
                for (long order : List.of(71L, 72L)) {
                    pipeline.accept(delivery(event(order, Topic.CREATE, "c", 1000, "pending")));
                    pipeline.accept(delivery(event(order, Topic.PAID, "p", 2000, "paid")));
                }
                OrderStore store = runtime.store(Mode.LOCKSTEP);
                await().atMost(Duration.ofSeconds(30)).until(() -> List.of(71L, 72L).stream()
                        .allMatch(id -> store.order(id).size() == 1 && store.order(id).get(0).state() == OrderState.PAID));
                await().atMost(Duration.ofSeconds(30)).until(() -> runtime.laneQueue().stats().waiting() == 0
                        && runtime.laneQueue().stats().leasedLanes() == 0);
            } finally {
                pipeline.close();
            }
        }
    }

    private static OrderEvent event(long orderId, Topic topic, String tag, long updatedAt, String status) {
        return new OrderEvent("shop.myshopify.com", topic, orderId, "ev-" + tag + orderId, "wh-" + tag + orderId,
                updatedAt, status, null, List.of(new LineItem("A", 1)));
    }

    private static Delivery delivery(OrderEvent e) {
        return new Delivery(e, Delivery.dedupKey(e.shop(), e.topic().wire(), e.eventId()), System.currentTimeMillis());
    }
}
