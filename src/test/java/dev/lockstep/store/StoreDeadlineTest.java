package dev.lockstep.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.embedded.Infrastructure;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.testing.TestServers;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, timeouts: a store call against a MongoDB that stops answering fails within about
 * {@code mongo.timeout.ms} with a {@link MongoException}, so the worker counts the attempt as failed,
 * and works again once the server answers. Through the client the process builds
 * ({@link Infrastructure#connectMongo(String, Duration, Duration, String)}), write concern included.
 */
class StoreDeadlineTest {
    private static final Duration DEADLINE = Duration.ofMillis(700);
    private static final List<LineItem> LINES = List.of(new LineItem("A", 2));

    private StallingProxy proxy;
    private MongoClient client;
    private FencedOrderStore store;

    @BeforeEach
    void setUp() throws Exception {
        proxy = new StallingProxy(URI.create(TestServers.get().mongoUri()).getPort());
        client = Infrastructure.connectMongo(proxy.uri(), DEADLINE, Duration.ofSeconds(2),
                LockstepConfig.WRITE_CONCERN_MAJORITY);
        store = new FencedOrderStore(client.getDatabase(TestServers.uniqueName("db")));
        store.seedStock(Map.of("A", 10L));
    }

    @AfterEach
    void tearDown() {
        client.close();
        proxy.close();
    }

    private static OrderEvent ev(Topic topic, int n, long updatedAt) {
        return new OrderEvent("shop", topic, 1, "evt-" + n, "", updatedAt, topic == Topic.PAID ? "paid" : "pending",
                null, LINES);
    }

    @Test
    void aStoreCallPastItsDeadlineThrowsAndTheNextOneWorksOnceTheServerAnswers() {
        assertThat(store.apply(ev(Topic.CREATE, 1, 100), 1, "w")).isEqualTo(ApplyResult.APPLIED);

        proxy.stall();
        long start = System.nanoTime();
        assertThatThrownBy(() -> store.apply(ev(Topic.PAID, 2, 200), 1, "w")).isInstanceOf(MongoException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(DEADLINE.minusMillis(50)).isLessThan(DEADLINE.multipliedBy(4));

        proxy.resume();
        assertThat(store.apply(ev(Topic.PAID, 2, 200), 2, "w")).isIn(ApplyResult.APPLIED, ApplyResult.ALREADY_APPLIED);
        assertThat(store.order(1).get(0).state()).isEqualTo(OrderState.PAID);
        assertThat(store.stock()).containsEntry("A", 8L);
    }

    @Test
    void aServerThatNeverAnswersFailsTheCallWithinTheDeadline() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             MongoClient c = Infrastructure.connectMongo("mongodb://127.0.0.1:" + silent.getLocalPort(), DEADLINE,
                     Duration.ofSeconds(2), LockstepConfig.WRITE_CONCERN_MAJORITY)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> new FencedOrderStore(c.getDatabase("never")).order(1))
                    .isInstanceOf(MongoException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(DEADLINE.multipliedBy(4));
        }
    }
}
