package dev.lockstep.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.QueueUnavailableException;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.testing.SignedWebhooks;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * The ingest answers from the pipeline's accept future, holding no thread while the event is on its
 * way to Redis: 40 webhooks in flight on an ingest with 2 worker threads all reach the pipeline
 * before any is answered, and each gets its own answer (200 queued, 200 duplicate or 503). With a
 * thread blocked per accept, only 2 could ever be in the pipeline at once.
 */
class AsyncAcceptTest {
    private static final String SECRET = "async-secret";
    private static final int IN_FLIGHT = 40;

    /** Holds every accept until the test settles it. */
    private static final class DeferredPipeline implements Pipeline {
        final ConcurrentLinkedQueue<CompletableFuture<AcceptResult>> pending = new ConcurrentLinkedQueue<>();
        volatile boolean released;

        /** From now on every accept, held or new, completes: nothing stays blocked when the test ends. */
        void release() {
            released = true;
            pending.forEach(f -> f.complete(AcceptResult.QUEUED));
        }

        @Override
        public Mode mode() {
            return Mode.LOCKSTEP;
        }

        @Override
        public void start() {
        }

        @Override
        public AcceptResult accept(Delivery delivery) {
            return acceptAsync(delivery).join();
        }

        @Override
        public CompletableFuture<AcceptResult> acceptAsync(Delivery delivery) {
            CompletableFuture<AcceptResult> f = new CompletableFuture<>();
            pending.add(f);
            if (released) {
                f.complete(AcceptResult.QUEUED);
            }
            return f;
        }

        @Override
        public RunCounters counters() {
            return new RunCounters();
        }

        @Override
        public boolean awaitDrained(Duration timeout) {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void manyWebhooksWaitForTheQueueWithoutAThreadEach() throws Exception {
        DeferredPipeline pipeline = new DeferredPipeline();
        ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT);
        WebhookServer server = WebhookServer.start(new IngestSettings("127.0.0.1", 0, 64 * 1024, SECRET)
                .withWorkerThreads(2), pipeline, HealthProbe.ALWAYS_UP);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                OrderEvent e = new OrderEvent("shop.myshopify.com", Topic.UPDATED, 7_000 + i, "evt-" + i, "wh-" + i,
                        1_714_560_000_000L + i, "paid", null, List.of(new LineItem("SKU-1", 1)));
                answers.add(senders.submit(() -> SignedWebhooks.post(server.baseUrl(), e, SECRET)));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.pending.size() == IN_FLIGHT);
            assertThat(answers).noneMatch(Future::isDone);

            List<CompletableFuture<AcceptResult>> settled = new ArrayList<>(pipeline.pending);
            for (int i = 0; i < settled.size(); i++) {
                switch (i % 3) {
                    case 0 -> settled.get(i).complete(AcceptResult.QUEUED);
                    case 1 -> settled.get(i).complete(AcceptResult.DUPLICATE);
                    default -> settled.get(i).completeExceptionally(new QueueUnavailableException("Redis gone", null));
                }
            }
            int queued = 0;
            int duplicate = 0;
            int unavailable = 0;
            for (Future<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(20, TimeUnit.SECONDS);
                if (r.statusCode() == 503) {
                    unavailable++;
                } else {
                    assertThat(r.statusCode()).isEqualTo(200);
                    if (r.body().contains("\"duplicate\"")) {
                        duplicate++;
                    } else {
                        assertThat(r.body()).contains("\"queued\"");
                        queued++;
                    }
                }
            }
            assertThat(List.of(queued, duplicate, unavailable)).containsExactly(14, 13, 13);
        } finally {
            pipeline.release();
            senders.shutdownNow();
            server.close();
        }
    }
}
