package dev.lockstep.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.mongodb.client.MongoClient;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.testing.LogCapture;
import dev.lockstep.testing.ScramMongoServer;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MongoDB credentials in {@code mongo.uri}, through the real driver's SCRAM-SHA-256 against a server
 * that requires them ({@link ScramMongoServer}): they work, a server that needs them refuses a
 * client without them, and a wrong password ends start-up at once with an error that names
 * {@code mongo.uri} and never the password.
 */
class MongoCredentialsTest {
    private static final String PASSWORD = "Tr0ub4dor-and-3";
    private final ScramMongoServer server = new ScramMongoServer("lockstep", PASSWORD);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theStoreWorksWithTheCredentialsInTheUri() {
        try (MongoClient client = Infrastructure.connectMongo(server.uri("lockstep", PASSWORD), Duration.ofSeconds(10),
                Duration.ofSeconds(5), LockstepConfig.WRITE_CONCERN_ACKNOWLEDGED)) {
            FencedOrderStore store = new FencedOrderStore(client.getDatabase("auth"));
            assertThat(store.apply(create(5), 1, "w")).isEqualTo(ApplyResult.APPLIED);
            assertThat(store.order(5)).isNotEmpty();
        }
        assertThat(server.refusals.get()).isZero();
        assertThat(server.unauthorized.get()).isZero();
    }

    @Test
    void theServerRefusesAClientWithoutCredentials() {
        try (MongoClient client = Infrastructure.connectMongo(server.uriWithoutCredentials(), Duration.ofSeconds(10),
                Duration.ofSeconds(5), LockstepConfig.WRITE_CONCERN_ACKNOWLEDGED)) {
            assertThatThrownBy(() -> new FencedOrderStore(client.getDatabase("auth")).apply(create(6), 1, "w"))
                    .hasMessageContaining("requires authentication");
        }
        assertThat(server.unauthorized.get()).isPositive();
    }

    @Test
    void aWrongPasswordEndsStartUpAtOnceNamingMongoUriAndNeverThePassword() {
        String wrong = "not-" + PASSWORD;
        LockstepConfig config = TestServers.get().config(Map.of("mongo.uri", server.uri("lockstep", wrong),
                "wait.seconds", "120"));
        try (LogCapture logs = LogCapture.all()) {
            // fails on the refusal, long before the 120 s wait for servers would run out
            Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                try (Infrastructure infra = Infrastructure.start(config)) {
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(thrown).isNotNull();
            assertThat(thrown.getMessage()).contains("refused the credentials of mongo.uri").doesNotContain(wrong)
                    .doesNotContain(PASSWORD);
            for (ILoggingEvent e : logs.events()) {
                assertThat(e.getFormattedMessage()).doesNotContain(wrong);
                if (e.getThrowableProxy() != null) {
                    assertThat(e.getThrowableProxy().getMessage()).doesNotContain(wrong);
                }
            }
        }
        assertThat(server.refusals.get()).isPositive();
    }

    private static OrderEvent create(long order) {
        return new OrderEvent("shop.myshopify.com", Topic.CREATE, order, "c" + order, "wc" + order, 1000, "pending", null,
                List.of(new LineItem("A", 1)));
    }
}
