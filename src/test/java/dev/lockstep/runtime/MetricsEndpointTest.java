package dev.lockstep.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.embedded.EmbeddedRedis;
import dev.lockstep.embedded.Infrastructure;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.ingest.HealthProbe;
import dev.lockstep.ingest.IngestSettings;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.metrics.ProcessMetrics;
import dev.lockstep.mode.LockstepPipeline;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.testing.PrometheusText;
import dev.lockstep.testing.SignedWebhooks;
import dev.lockstep.testing.TestServers;
import dev.lockstep.worker.WorkerSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Histogram;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code GET /metrics} of a worker on a real queue and store, read by an independent Prometheus
 * text-format parser: what a scraper sees matches what the process did.
 */
class MetricsEndpointTest {
    private static final String SECRET = "metrics-secret";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aScrapeCountsWhatTheWorkerDidAndTimesItsAcknowledgementsAndJobs() throws Exception {
        EmbeddedRedis own = EmbeddedRedis.start(null, "no");
        UnifiedJedis redis = Infrastructure.connectRedis(own.uri(), 16);
        LaneQueue queue = new LaneQueue(redis, new Keys("metrics", 4), Duration.ofSeconds(10), Duration.ofHours(1));
        FencedOrderStore store = new FencedOrderStore(TestServers.get().mongo().getDatabase(TestServers.uniqueName("db")));
        LockstepPipeline pipeline = new LockstepPipeline(redis, queue, store, EventJournal.DISABLED, PausedHolderFault.NONE,
                WorkerSettings.defaults().withThreads(2).withWorkerId("m").withIdleWait(Duration.ofMillis(100))
                        .withReapInterval(Duration.ofMillis(100)));
        ProcessMetrics metrics = new ProcessMetrics("host-a:4242");
        PipelineMetrics.bind(metrics, pipeline);
        pipeline.start();
        try (WebhookServer server = WebhookServer.start(new IngestSettings("127.0.0.1", 0, 65536, SECRET), pipeline,
                HealthProbe.ALWAYS_UP, metrics)) {
            List<OrderEvent> events = new ArrayList<>();
            for (long order = 1; order <= 3; order++) {
                events.add(event(order, Topic.CREATE, "c" + order, 1000, "pending"));
                events.add(event(order, Topic.PAID, "p" + order, 2000, "paid"));
            }
            for (OrderEvent e : events) {
                assertThat(post(server.baseUrl(), e, SECRET).statusCode()).isEqualTo(200);
            }
            assertThat(post(server.baseUrl(), events.get(0), SECRET).body()).contains("duplicate");
            assertThat(post(server.baseUrl(), events.get(1), "wrong-secret").statusCode()).isEqualTo(401);
            assertThat(pipeline.awaitDrained(Duration.ofSeconds(30))).isTrue();

            HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + WebhookServer.METRICS_PATH)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
            Map<String, MetricFamily> families = parse(scrape.body());

            assertThat(counter(families, "lockstep_events_accepted_total")).isEqualTo(6);
            assertThat(counter(families, "lockstep_events_duplicates_total")).isEqualTo(1);
            assertThat(counter(families, "lockstep_events_applied_total")
                    + counter(families, "lockstep_events_skipped_total")).isEqualTo(6);
            assertThat(counter(families, "lockstep_writes_rejected_total")).isZero();
            assertThat(counter(families, "lockstep_events_retries_total")).isZero();
            assertThat(counter(families, "lockstep_events_parked_total")).isZero();
            assertThat(gauge(families, "lockstep_queue_depth", Map.of())).isZero();
            assertThat(gauge(families, "lockstep_leases_held", Map.of())).isZero();
            assertThat(gauge(families, "lockstep_queue_lanes", Map.of("state", "ready"))).isZero();
            // 6 queued + 1 duplicate answered 200, the forged one 401
            assertThat(responses(families, "200")).isEqualTo(7);
            assertThat(responses(families, "401")).isEqualTo(1);
            Histogram ack = histogram(families, "lockstep_webhook_ack_seconds");
            assertThat(ack.getSampleCount()).isEqualTo(7);
            assertThat(ack.getBuckets()).isNotEmpty();
            Histogram job = histogram(families, "lockstep_job_claim_to_complete_seconds");
            assertThat(job.getSampleCount()).isEqualTo(6);
            for (MetricFamily f : families.values()) {
                for (Metric m : f.getMetrics()) {
                    assertThat(m.getLabels()).as(f.getName()).containsEntry("process", "host-a:4242");
                }
            }
        } finally {
            pipeline.close();
            redis.close();
            own.close();
        }
    }

    @Test
    void aWorkerWithoutIngestServesHealthAndMetricsOnly() throws Exception {
        ProcessMetrics metrics = new ProcessMetrics("host-b:1");
        try (WebhookServer status = WebhookServer.startStatusOnly(new IngestSettings("127.0.0.1", 0, 65536, SECRET),
                HealthProbe.ALWAYS_UP, metrics)) {
            HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(
                    URI.create(status.baseUrl() + WebhookServer.METRICS_PATH)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(parse(scrape.body())).containsKey("jvm_memory_used_bytes");
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                    URI.create(status.baseUrl() + WebhookServer.HEALTH_PATH)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> webhook = post(status.baseUrl(),
                    event(9, Topic.CREATE, "x", 1000, "pending"), SECRET);
            assertThat(webhook.statusCode()).as("no ingest on a status-only port").isEqualTo(404);
        }
    }

    @Test
    void aScrapeDuringARedisOutageStillAnswers() throws Exception {
        EmbeddedRedis own = EmbeddedRedis.start(null, "no");
        UnifiedJedis redis = Infrastructure.connectRedis(own.uri(), 4);
        LaneQueue queue = new LaneQueue(redis, new Keys("metrics-down", 2), Duration.ofSeconds(10), Duration.ofHours(1));
        FencedOrderStore store = new FencedOrderStore(TestServers.get().mongo().getDatabase(TestServers.uniqueName("db")));
        LockstepPipeline pipeline = new LockstepPipeline(redis, queue, store, EventJournal.DISABLED, PausedHolderFault.NONE,
                WorkerSettings.defaults().withThreads(1).withWorkerId("d"));
        ProcessMetrics metrics = new ProcessMetrics("host-c:1");
        PipelineMetrics.bind(metrics, pipeline);
        try {
            own.close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(metrics.scrape()).contains("lockstep_queue_depth"));
        } finally {
            pipeline.close();
            redis.close();
        }
    }

    private static OrderEvent event(long order, Topic topic, String id, long at, String status) {
        return new OrderEvent("shop.myshopify.com", topic, order, "ev-" + id, "wh-" + id, at, status, null,
                List.of(new LineItem("A", 1)));
    }

    private static HttpResponse<String> post(URI base, OrderEvent e, String secret) throws Exception {
        return SignedWebhooks.post(base, e, secret);
    }

    private static Map<String, MetricFamily> parse(String text) throws Exception {
        return PrometheusText.parse(text);
    }

    private static double counter(Map<String, MetricFamily> families, String name) {
        MetricFamily f = families.get(name);
        assertThat(f).as(name).isNotNull();
        return ((Counter) f.getMetrics().get(0)).getValue();
    }

    private static double gauge(Map<String, MetricFamily> families, String name, Map<String, String> labels) {
        MetricFamily f = families.get(name);
        assertThat(f).as(name).isNotNull();
        return f.getMetrics().stream().filter(m -> m.getLabels().entrySet().containsAll(labels.entrySet()))
                .map(m -> ((Gauge) m).getValue()).findFirst().orElseThrow();
    }

    private static double responses(Map<String, MetricFamily> families, String status) {
        return families.get("lockstep_webhook_responses_total").getMetrics().stream()
                .filter(m -> status.equals(m.getLabels().get("status")))
                .mapToDouble(m -> ((Counter) m).getValue()).sum();
    }

    private static Histogram histogram(Map<String, MetricFamily> families, String name) {
        MetricFamily f = families.get(name);
        assertThat(f).as(name).isNotNull();
        return (Histogram) f.getMetrics().get(0);
    }
}
