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
import java.time.Duration;
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
        server = WebhookServer.start(new IngestSettings("127.0.0.1", 0, 64 * 1024, SECRET).withWorkerThreads(32),
                pipeline, HealthProbe.ALWAYS_UP);
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

        FireStats stats = new HttpFirer(baseUrl, SECRET, FAST_RETRIES).fire(deliveries, 3,
                (done, of) -> answered.put(done, true));

        assertThat(stats.sent()).isEqualTo(10);
        assertThat(stats.rejected()).isEqualTo(10);
        assertThat(stats.retries()).as("each delivery retried to the last").isEqualTo(10L * FAST_RETRIES.retries());
        assertThat(stats.givenUp()).isEqualTo(10);
        assertThat(answered).hasSize(10);
    }

    /** Three retries a millisecond or two apart: a test waits for the retries, not for a backoff. */
    private static final RetryPolicy FAST_RETRIES = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2));

    /**
     * Redis down for the first attempts of every delivery (the ingest answers 503): the injector
     * sends each again, like the provider, and every event is accepted once; nothing is given up.
     */
    @Test
    void a503IsRetriedWithTheSameIdsUntilAccepted() throws Exception {
        FlakyPipeline flaky = new FlakyPipeline(2, false);
        List<OrderEvent> unique = events(30);
        List<WebhookDelivery> deliveries = unique.stream().map(e -> new WebhookDelivery(e, 0L)).toList();
        FireStats stats;
        try (WebhookServer flakyServer = WebhookServer.start(
                new IngestSettings("127.0.0.1", 0, 64 * 1024, SECRET).withWorkerThreads(8), flaky, HealthProbe.ALWAYS_UP)) {
            stats = new HttpFirer(flakyServer.baseUrl(), SECRET, FAST_RETRIES).fire(deliveries, 4, null);
        }

        assertThat(stats.sent()).isEqualTo(30);
        assertThat(stats.queued()).isEqualTo(30);
        assertThat(stats.rejected()).isZero();
        assertThat(stats.givenUp()).isZero();
        assertThat(stats.retries()).as("two refused attempts per delivery").isEqualTo(60);
        assertThat(stats.refusedEvents()).isEmpty();
        assertThat(flaky.recording.accepted()).extracting(Delivery::event).containsExactlyInAnyOrderElementsOf(unique);
    }

    /**
     * The first attempt of each delivery is enqueued but its answer lost (a 503 after the write, as
     * when Redis dies mid-reply): the retry is answered duplicate, and the tally still counts the
     * event as queued once, so the audit's accepted matches what the queue holds.
     */
    @Test
    void aDuplicateAnsweredOnARetryOfAnEventNoOtherCopyQueuedCountsAsQueued() throws Exception {
        FlakyPipeline flaky = new FlakyPipeline(1, true);
        List<OrderEvent> unique = events(12);
        List<WebhookDelivery> deliveries = new ArrayList<>();
        unique.forEach(e -> deliveries.add(new WebhookDelivery(e, 0L)));
        FireStats stats;
        try (WebhookServer flakyServer = WebhookServer.start(
                new IngestSettings("127.0.0.1", 0, 64 * 1024, SECRET).withWorkerThreads(8), flaky, HealthProbe.ALWAYS_UP)) {
            stats = new HttpFirer(flakyServer.baseUrl(), SECRET, FAST_RETRIES).fire(deliveries, 4, null);
        }

        assertThat(flaky.recording.accepted()).hasSize(12);
        assertThat(stats.queued()).isEqualTo(12);
        assertThat(stats.duplicates()).isZero();
        assertThat(stats.retries()).isEqualTo(12);
    }

    /** A 401 (wrong secret) is the request's fault: the provider does not retry it, nor does the injector. */
    @Test
    void a4xxOtherThan429IsNeverRetried() throws Exception {
        List<WebhookDelivery> deliveries = events(5).stream().map(e -> new WebhookDelivery(e, 0L)).toList();

        FireStats stats = new HttpFirer(server.baseUrl(), "not-the-secret", FAST_RETRIES).fire(deliveries, 2, null);

        assertThat(stats.rejected()).isEqualTo(5);
        assertThat(stats.retries()).isZero();
        assertThat(stats.givenUp()).isZero();
    }

    @Test
    void theBackoffDoublesUpToItsCapAndOnly5xxAnd429AreRetryable() {
        RetryPolicy p = new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(3));
        assertThat(List.of(1, 2, 3, 4, 5, 6, 8).stream().map(p::backoff).map(Duration::toMillis))
                .containsExactly(100L, 200L, 400L, 800L, 1600L, 3000L, 3000L);
        assertThat(RetryPolicy.retryable(503)).isTrue();
        assertThat(RetryPolicy.retryable(500)).isTrue();
        assertThat(RetryPolicy.retryable(429)).isTrue();
        assertThat(RetryPolicy.retryable(401)).isFalse();
        assertThat(RetryPolicy.retryable(400)).isFalse();
        assertThat(RetryPolicy.retryable(413)).isFalse();
    }


    /**
     * Refuses the first {@code refusals} attempts of every dedup key with the queue unavailable (503);
     * with {@code enqueueFirst} the first refused attempt was enqueued all the same (its answer lost).
     */
    private static final class FlakyPipeline implements dev.lockstep.pipeline.Pipeline {
        final RecordingPipeline recording = new RecordingPipeline();
        final ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> attempts = new ConcurrentHashMap<>();
        final int refusals;
        final boolean enqueueFirst;

        FlakyPipeline(int refusals, boolean enqueueFirst) {
            this.refusals = refusals;
            this.enqueueFirst = enqueueFirst;
        }

        @Override
        public dev.lockstep.pipeline.Mode mode() {
            return recording.mode();
        }

        @Override
        public void start() {
        }

        @Override
        public dev.lockstep.pipeline.AcceptResult accept(Delivery delivery) {
            int n = attempts.computeIfAbsent(delivery.dedupKey(), k -> new java.util.concurrent.atomic.AtomicInteger())
                    .incrementAndGet();
            if (n <= refusals) {
                if (n == 1 && enqueueFirst) {
                    recording.accept(delivery);
                }
                throw new dev.lockstep.pipeline.QueueUnavailableException("Redis is down (test)", null);
            }
            return recording.accept(delivery);
        }

        @Override
        public dev.lockstep.pipeline.RunCounters counters() {
            return recording.counters();
        }

        @Override
        public boolean awaitDrained(Duration timeout) {
            return true;
        }

        @Override
        public void close() {
        }
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
