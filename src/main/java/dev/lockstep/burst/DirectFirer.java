package dev.lockstep.burst;

import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires deliveries straight into {@link Pipeline#accept} (no HTTP) from {@code inFlight} sender
 * threads. Senders take deliveries in list order, so the arrival order is the plan's, while up to
 * {@code inFlight} accepts really run at once. Each {@link Delivery} is built as the ingest builds
 * it. A delivery whose accept throws is a rejection (the ingest would answer 503): logged, counted.
 */
public final class DirectFirer implements Firer {
    private static final Logger log = LoggerFactory.getLogger(DirectFirer.class);
    private static final AtomicInteger FIRINGS = new AtomicInteger();

    private final Pipeline pipeline;

    public DirectFirer(Pipeline pipeline) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    @Override
    public FireStats fire(List<WebhookDelivery> deliveries, int inFlight, ProgressListener progress)
            throws InterruptedException {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1, was " + inFlight);
        }
        FireTally tally = new FireTally(deliveries, progress);
        int senders = Math.max(1, Math.min(inFlight, deliveries.size()));
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders, senderThreads());
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>(senders);
            for (int i = 0; i < senders; i++) {
                running.add(pool.submit(() -> send(deliveries, next, tally)));
            }
            for (Future<?> f : running) {
                await(f);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        FireStats stats = tally.finish(seconds);
        log.debug("fired {} deliveries in {} s: {} queued, {} duplicates, {} rejected", stats.sent(), seconds,
                stats.queued(), stats.duplicates(), stats.rejected());
        return stats;
    }

    private void send(List<WebhookDelivery> deliveries, AtomicInteger next, FireTally tally) {
        for (int i = next.getAndIncrement(); i < deliveries.size(); i = next.getAndIncrement()) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            Delivery delivery = asIngested(deliveries.get(i).event());
            long sentAt = System.nanoTime();
            AcceptResult result;
            try {
                result = pipeline.accept(delivery);
            } catch (RuntimeException e) {
                log.debug("delivery {} of order {} rejected", delivery.event().effectId(), delivery.event().orderId(), e);
                tally.rejected(i);
                continue;
            }
            long micros = (System.nanoTime() - sentAt) / 1_000;
            if (result == AcceptResult.DUPLICATE) {
                tally.duplicate(i, micros);
            } else {
                tally.queued(i, micros);
            }
        }
    }

    /** The delivery the ingest would build: dedup key from shop, topic and event id (else webhook id, else body hash). */
    static Delivery asIngested(OrderEvent event) {
        String id = !event.eventId().isBlank() ? event.eventId()
                : !event.webhookId().isBlank() ? event.webhookId() : bodyHash(event);
        return new Delivery(event, Delivery.dedupKey(event.shop(), event.topic().wire(), id), System.currentTimeMillis());
    }

    private static String bodyHash(OrderEvent event) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(OrderEventCodec.encode(event).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void await(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a burst sender failed", cause);
        }
    }

    private static ThreadFactory senderThreads() {
        int firing = FIRINGS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "burst-sender-" + firing + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
