package dev.lockstep.console.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.fleet.WorkerInfo;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.testing.PrometheusText;
import dev.lockstep.testing.TestServers;
import dev.lockstep.worker.WorkerSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.Test;

/**
 * A console running workers is a member of the fleet (docs/DESIGN.md, "The fleet"): it beats as
 * kind {@code console} while they run and leaves at once when it closes, and its ingest serves
 * {@code GET /metrics} for its process (docs/DESIGN.md, "Metrics"). An attached-only console runs
 * no workers: it reads the registry without joining it.
 */
class ConsoleFleetMemberTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aConsoleRunningWorkersBeatsAsAConsoleServesItsMetricsAndLeavesWhenClosed() throws Exception {
        var config = TestServers.get().config(Map.of("http.port", "0"));
        String id;
        try (LockstepRuntime reader = LockstepRuntime.start(config)) {
            try (LiveConsoleBackend console = new LiveConsoleBackend(LockstepRuntime.start(config), true)) {
                id = console.workerId();
                assertThat(id).isEqualTo(WorkerSettings.processId());
                WorkerInfo self = console.workers().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow();
                assertThat(self.kind()).isEqualTo("console");
                assertThat(self.mode()).isEqualTo("lockstep");
                assertThat(self.threads()).isEqualTo(config.workerThreads());
                String base = console.environment().ingestUrl().replace(WebhookServer.ORDERS_PATH, "");
                assertThat(self.ingestUrl()).isEqualTo(base);

                HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(URI.create(base + WebhookServer.METRICS_PATH))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(scrape.statusCode()).isEqualTo(200);
                Map<String, MetricFamily> families = parse(scrape.body());
                assertThat(families).containsKeys("lockstep_events_accepted_total", "lockstep_leases_held",
                        "lockstep_queue_depth", "jvm_memory_used_bytes");
                assertThat(families.get("lockstep_events_accepted_total").getMetrics())
                        .allSatisfy(m -> assertThat(m.getLabels()).containsEntry("process", id)
                                .containsEntry("mode", "lockstep"));
                assertThat(console.workerStartCommand()).contains(" worker --no-ingest --redis-uri ")
                        .contains("--mongo-uri");
            }
            assertThat(reader.workerRegistry().list()).extracting(WorkerInfo::id).doesNotContain(id);

            try (LiveConsoleBackend attached = new LiveConsoleBackend(LockstepRuntime.start(config), false)) {
                assertThat(attached.workerId()).isEmpty();
                assertThat(attached.workers()).extracting(WorkerInfo::id).doesNotContain(id);
                assertThat(attached.workerStartCommand()).contains(" worker --redis-uri ")
                        .doesNotContain("--no-ingest");
            }
        }
    }

    private static Map<String, MetricFamily> parse(String text) throws Exception {
        return PrometheusText.parse(text);
    }
}
