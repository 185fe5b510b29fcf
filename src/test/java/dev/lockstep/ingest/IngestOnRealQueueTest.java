package dev.lockstep.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.embedded.EmbeddedRedis;
import dev.lockstep.embedded.Infrastructure;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.mode.LockstepPipeline;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.testing.SignedWebhooks;
import dev.lockstep.testing.TestServers;
import dev.lockstep.worker.WorkerSettings;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The ingest on the real lockstep queue: 200 only once enqueued in Redis, 503 when Redis is gone. */
class IngestOnRealQueueTest {
    private static final String SECRET = "s3cret";

    private static HttpResponse<String> post(URI base, OrderEvent e) throws Exception {
        return SignedWebhooks.post(base, e, SECRET);
    }

    @Test
    void acknowledgesOnlyWhatRedisHoldsAndAnswers503WhenItIsGone() throws Exception {
        EmbeddedRedis own = EmbeddedRedis.start(null, "no");
        UnifiedJedis redis = Infrastructure.connectRedis(own.uri(), 16);
        LaneQueue queue = new LaneQueue(redis, new Keys("ingest", 4), Duration.ofSeconds(10), Duration.ofHours(1));
        FencedOrderStore store = new FencedOrderStore(TestServers.get().mongo().getDatabase(TestServers.uniqueName("db")));
        LockstepPipeline pipeline = new LockstepPipeline(redis, queue, store, EventJournal.DISABLED, PausedHolderFault.NONE,
                WorkerSettings.defaults().withThreads(1).withWorkerId("t").withMaxAttempts(3)
                        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(10)).withIdleWait(Duration.ofMillis(100))
                        .withReapInterval(Duration.ofMillis(100)).withMaxContinue(8));
        try (WebhookServer server = WebhookServer.start(new IngestSettings("127.0.0.1", 0, 65536, SECRET), pipeline,
                HealthProbe.ALWAYS_UP)) {
            OrderEvent first = new OrderEvent("shop.myshopify.com", Topic.CREATE, 41, "ev-1", "wh-1", 1000, "pending", null,
                    List.of(new LineItem("A", 1)));
            HttpResponse<String> ok = post(server.baseUrl(), first);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"queued\":true");
            assertThat(queue.stats().waiting()).as("acknowledged means it is in Redis").isEqualTo(1);
            HttpResponse<String> again = post(server.baseUrl(), first);
            assertThat(again.body()).contains("\"duplicate\":true");
            assertThat(queue.stats().waiting()).isEqualTo(1);

            own.close();
            OrderEvent second = new OrderEvent("shop.myshopify.com", Topic.PAID, 41, "ev-2", "wh-2", 2000, "paid", null,
                    List.of(new LineItem("A", 1)));
            HttpResponse<String> down = post(server.baseUrl(), second);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("queue unavailable");
        } finally {
            pipeline.close();
            redis.close();
        }
    }
}
