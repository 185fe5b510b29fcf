package dev.lockstep;

import dev.lockstep.burst.HttpFirer;
import dev.lockstep.burst.WebhookDelivery;
import dev.lockstep.ingest.HealthProbe;
import dev.lockstep.ingest.IngestSettings;
import dev.lockstep.ingest.RecordingPipeline;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Run as its own JVM by {@link FirerThreadsTest}: fires {@code args[0]} signed deliveries over
 * HTTP at a real ingest and prints how many threads the JVM started meanwhile.
 */
public final class FirerThreadsMain {
    static final String SECRET = "threads-secret";

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        try (WebhookServer server = WebhookServer.start(new IngestSettings("127.0.0.1", 0, 64 * 1024, SECRET)
                .withWorkerThreads(16), new RecordingPipeline(), HealthProbe.ALWAYS_UP)) {
            List<WebhookDelivery> deliveries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                OrderEvent e = new OrderEvent("shop.myshopify.com", Topic.UPDATED, 1_000 + i, "evt-" + i, "wh-" + i,
                        1_714_560_000_000L + i, "paid", null, List.of(new LineItem("SKU-1", 1)));
                deliveries.add(new WebhookDelivery(e, 1_714_560_000_000L));
            }
            long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            var stats = new HttpFirer(server.baseUrl(), SECRET).fire(deliveries, 16, null);
            long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
            System.out.println("answered " + stats.sent() + " threads started " + started);
        }
        System.exit(0);
    }
}
