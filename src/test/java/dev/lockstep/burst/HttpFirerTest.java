package dev.lockstep.burst;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.ingest.HealthProbe;
import dev.lockstep.ingest.IngestSettings;
import dev.lockstep.ingest.RecordingPipeline;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Delivery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP firer against the real ingest server. */
class HttpFirerTest {
    private static final String SECRET = "firer-secret";
    private static final int IN_FLIGHT = 8;

    private final RecordingPipeline pipeline = new RecordingPipeline();
    private WebhookServer server;

    @BeforeEach
    void startServer() {
        HealthProbe alwaysUp = new HealthProbe() {
            @Override
            public boolean redisUp() {
                return true;
            }

            @Override
            public boolean mongoUp() {
                return true;
            }
        };
        server = WebhookServer.start(new IngestSettings("127.0.0.1", 0, 64 * 1024, SECRET).withWorkerThreads(32),
                pipeline, alwaysUp);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void everyDeliveryArrivesSignedAndIsCountedOnce() throws Exception {
        List<OrderEvent> unique = events(300);
        List<WebhookDelivery> deliveries = new ArrayList<>();
        unique.forEach(e -> deliveries.add(new WebhookDelivery(e, 1_714_560_000_000L)));
        // Every third event is delivered again: a provider retry shares the event (and its ids).
        for (int i = 0; i < unique.size(); i += 3) {
            deliveries.add(new WebhookDelivery(unique.get(i), 1_714_560_005_000L));
        }
        Collections.shuffle(deliveries, new Random(7));
        int total = deliveries.size();
        AtomicLong progressCalls = new AtomicLong();
        AtomicLong lastDone = new AtomicLong();
        List<Long> totalsSeen = Collections.synchronizedList(new ArrayList<>());

        FireStats stats = new HttpFirer(server.baseUrl(), SECRET).fire(deliveries, IN_FLIGHT, (done, of) -> {
            progressCalls.incrementAndGet();
            lastDone.accumulateAndGet(done, Math::max);
            totalsSeen.add(of);
        });

        assertThat(stats.sent()).isEqualTo(total);
        assertThat(stats.rejected()).as("every HMAC and body was valid").isZero();
        assertThat(stats.queued()).isEqualTo(unique.size());
        assertThat(stats.duplicates()).isEqualTo(total - unique.size());
        assertThat(stats.ackLatency().getTotalCount()).isEqualTo(total);
        assertThat(stats.ackLatency().getMinValue()).isPositive();
        assertThat(stats.seconds()).isPositive();
        assertThat(progressCalls.get()).isEqualTo(total);
        assertThat(lastDone.get()).isEqualTo(total);
        assertThat(totalsSeen).containsOnly((long) total);

        // The server saw every delivery pass HMAC and validation, and parsed exactly what was sent.
        assertThat(pipeline.recordedCount()).isEqualTo(total);
        assertThat(pipeline.accepted()).extracting(Delivery::event).containsExactlyInAnyOrderElementsOf(unique);
        assertThat(pipeline.maxConcurrentAccepts()).isLessThanOrEqualTo(IN_FLIGHT);
    }

    @Test
    void aWrongSecretIsRejectedAndNothingIsAccepted() throws Exception {
        List<WebhookDelivery> deliveries = events(20).stream().map(e -> new WebhookDelivery(e, 0L)).toList();

        FireStats stats = new HttpFirer(server.baseUrl(), "not-the-secret").fire(deliveries, 4, null);

        assertThat(stats.sent()).isEqualTo(20);
        assertThat(stats.rejected()).isEqualTo(20);
        assertThat(stats.queued() + stats.duplicates()).isZero();
        // refusals are not acks: no latency, and every event is known to be refused
        assertThat(stats.ackLatency().getTotalCount()).isZero();
        assertThat(stats.refusedEvents()).hasSize(20);
        assertThat(pipeline.recordedCount()).isZero();
    }

    @Test
    void anUnreachableServerCountsEveryDeliveryRejected() throws Exception {
        var baseUrl = server.baseUrl();
        server.close();
        List<WebhookDelivery> deliveries = events(10).stream().map(e -> new WebhookDelivery(e, 0L)).toList();
        ConcurrentHashMap<Long, Boolean> answered = new ConcurrentHashMap<>();

        FireStats stats = new HttpFirer(baseUrl, SECRET).fire(deliveries, 3, (done, of) -> answered.put(done, true));

        assertThat(stats.sent()).isEqualTo(10);
        assertThat(stats.rejected()).isEqualTo(10);
        assertThat(answered).hasSize(10);
    }

    private static List<OrderEvent> events(int count) {
        Topic[] topics = Topic.values();
        List<OrderEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long orderId = 5_000 + i / topics.length;
            Topic topic = topics[i % topics.length];
            events.add(new OrderEvent("shop-" + (i % 3) + ".myshopify.com", topic, orderId, "evt-" + i, "wh-" + i,
                    1_714_560_000_000L + i, topic == Topic.CREATE ? "pending" : "paid",
                    topic == Topic.FULFILLED ? "fulfilled" : null,
                    List.of(new LineItem("SKU-" + (i % 7), 1 + i % 4), new LineItem("SKU-X", 1))));
        }
        return events;
    }
}
