package dev.lockstep.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.testing.ChildProcess;
import dev.lockstep.testing.SignedWebhooks;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker on its embedded servers stopped with SIGTERM while it holds lanes: it hands them back and
 * only then stops Redis. The embedded Redis's own shutdown hook used to run at the same time as the
 * worker's, so Redis was gone mid-stop: every leased lane failed to be handed back ("could not hand
 * back order ...; its lease will lapse") and the drain loop logged lost connections.
 */
@Tag("process")
class WorkerGracefulStopTest {
    private static final String SECRET = "lockstep-dev-secret"; // the packaged default, fine on loopback
    private static final Pattern URL = Pattern.compile("Webhooks: POST (http://\\S+)/webhooks/orders");

    @Test
    void sigtermHandsBackLeasedLanesBeforeTheEmbeddedRedisStops(@TempDir Path dir) throws Exception {
        ChildProcess worker = ChildProcess.lockstep("Ctrl-C stops gracefully", "worker", "--http-port", "0",
                "--data-dir", dir.resolve("data").toString(), "--workers", "4").awaitReady(120);
        URI base = worker.output().stream().map(URL::matcher).filter(Matcher::find).map(m -> URI.create(m.group(1)))
                .findFirst().orElseThrow();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            List<Future<java.net.http.HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                OrderEvent e = new OrderEvent("shop.myshopify.com", Topic.UPDATED, 9_000 + i % 300, "evt-" + i, "wh-" + i,
                        1_714_560_000_000L + i, "paid", null, List.of(new LineItem("SKU-1", 1)));
                sent.add(senders.submit(() -> SignedWebhooks.post(base, e, SECRET)));
            }
            for (Future<java.net.http.HttpResponse<String>> f : sent) {
                assertThat(f.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        } finally {
            senders.shutdownNow();
        }
        // SIGTERM, with a backlog of lanes being worked on (Process.destroy would also close our end
        // of its output, and the stop's log lines would be lost)
        worker.process().toHandle().destroy();
        assertThat(worker.process().waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
        // the last lines are read after the process is gone
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> worker.printed("embedded Redis on port"));
        List<String> out = worker.output();
        assertThat(out).noneMatch(l -> l.contains("could not hand back"));
        assertThat(out).noneMatch(l -> l.contains("Unexpected end of stream") || l.contains("Failed to connect"));
        int poolStopped = indexOf(out, "lockstep: stopped");
        int redisStopped = indexOf(out, "embedded Redis on port");
        assertThat(poolStopped).as("the worker pool stopped; output %s", out).isNotNegative();
        assertThat(redisStopped).as("Redis stopped after the pool").isGreaterThan(poolStopped);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text) && !lines.get(i).contains("started")) {
                return i;
            }
        }
        return -1;
    }
}
