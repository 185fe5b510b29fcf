package dev.lockstep.burst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.ingest.OrderWebhookJson;
import dev.lockstep.ingest.WebhookHeaders;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.ingest.WebhookSignature;
import dev.lockstep.order.OrderEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires deliveries as signed Shopify-style POSTs at a webhook server, like a provider would, with
 * at most {@code inFlight} deliveries outstanding. A delivery answered 5xx or 429, timed out or not
 * connected is sent again, the same request (event and webhook ids), after the {@link RetryPolicy}'s
 * backoff, holding its in-flight slot meanwhile; another 4xx is final. One HTTP/1.1 client (and so
 * one connection pool) serves every burst this firer sends.
 */
public final class HttpFirer implements Firer {
    private static final Logger log = LoggerFactory.getLogger(HttpFirer.class);

    /** Rejections logged in full per burst; the rest are only counted. */
    private static final int LOGGED_REJECTIONS = 5;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A request that waits this long is counted as rejected rather than hanging the burst. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AtomicInteger CLIENT_THREADS = new AtomicInteger();

    private final URI ordersUrl;
    private final WebhookSignature signature;
    private final HttpClient client;
    private final RetryPolicy retry;
    /** Holds back retries for their backoff; the sends themselves run on the client's threads. */
    private final ScheduledExecutorService backoffTimer;

    /** A firer with the provider-like {@link RetryPolicy#DEFAULT}. */
    public HttpFirer(URI baseUrl, String hmacSecret) {
        this(baseUrl, hmacSecret, RetryPolicy.DEFAULT);
    }

    public HttpFirer(URI baseUrl, String hmacSecret, RetryPolicy retry) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.backoffTimer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "http-firer-backoff-" + CLIENT_THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.ordersUrl = URI.create(stripTrailingSlash(baseUrl.toString()) + WebhookServer.ORDERS_PATH);
        this.signature = new WebhookSignature(hmacSecret);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newCachedThreadPool(HttpFirer::clientThread))
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    @Override
    public FireStats fire(List<WebhookDelivery> deliveries, int inFlight, ProgressListener progress)
            throws InterruptedException {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1: " + inFlight);
        }
        FireTally tally = new FireTally(deliveries, progress == null ? ProgressListener.NONE : progress);
        Answers answers = new Answers(tally, deliveries.size());
        Semaphore permits = new Semaphore(inFlight);
        // A thread per delivery in flight, each waiting on its own request: sendAsync hops every answer
        // onto the JVM's default executor (a new thread per answer when the common pool has one
        // thread, and a stall whenever blocking work fills the common pool).
        AtomicInteger senderCount = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(inFlight, task -> {
            Thread thread = new Thread(task, "http-firer-send-" + senderCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        long started = System.nanoTime();
        try {
            for (int i = 0; i < deliveries.size(); i++) {
                permits.acquire();
                send(senders, answers, deliveries.get(i), i, System.nanoTime(), 0, permits);
            }
            answers.awaitAll();
        } finally {
            senders.shutdownNow();
        }
        return tally.finish((System.nanoTime() - started) / 1e9);
    }

    /**
     * Sends attempt {@code attempt} (0 = the first) of one delivery on a sender thread; its answer
     * either settles the delivery (and frees its slot) or schedules the next attempt after the backoff.
     */
    private void send(ExecutorService senders, Answers answers, WebhookDelivery delivery, int index, long firstSentAt,
                      int attempt, Semaphore permits) {
        try {
            senders.execute(() -> {
                HttpResponse<String> response = null;
                Throwable failure = null;
                try {
                    response = client.send(request(delivery), HttpResponse.BodyHandlers.ofString());
                } catch (IOException | RuntimeException e) {
                    failure = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = e;
                }
                settle(senders, answers, delivery, index, firstSentAt, attempt, permits, response, failure);
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the burst is over (its senders stopped): still one answer, or it would be waited for
            settle(senders, answers, delivery, index, firstSentAt, attempt, permits, null, e);
        }
    }

    private void settle(ExecutorService senders, Answers answers, WebhookDelivery delivery, int index, long firstSentAt,
                        int attempt, Semaphore permits, HttpResponse<String> response, Throwable failure) {
        if (attempt < retry.retries() && Answers.retryable(response, failure) && !senders.isShutdown()
                && !(failure instanceof IllegalArgumentException)) {
            retryLater(senders, answers, delivery, index, firstSentAt, attempt + 1, permits);
            return;
        }
        try {
            answers.answered(index, delivery.event(), firstSentAt, attempt, response, failure);
        } finally {
            permits.release();
        }
    }

    private void retryLater(ExecutorService senders, Answers answers, WebhookDelivery delivery, int index,
                            long firstSentAt, int attempt, Semaphore permits) {
        answers.tally.retried();
        try {
            backoffTimer.schedule(() -> send(senders, answers, delivery, index, firstSentAt, attempt, permits),
                    retry.backoff(attempt).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            send(senders, answers, delivery, index, firstSentAt, attempt, permits);
        }
    }

    /** The signed POST for one delivery; the HMAC covers exactly the bytes sent. */
    HttpRequest request(WebhookDelivery delivery) {
        OrderEvent event = delivery.event();
        byte[] body = OrderWebhookJson.body(event);
        HttpRequest.Builder builder = HttpRequest.newBuilder(ordersUrl)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header(WebhookHeaders.TOPIC, event.topic().wire())
                .header(WebhookHeaders.HMAC_SHA256, signature.sign(body))
                .header(WebhookHeaders.SHOP_DOMAIN, event.shop())
                .header(WebhookHeaders.TRIGGERED_AT, Instant.ofEpochMilli(delivery.triggeredAt()).toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!event.webhookId().isEmpty()) {
            builder.header(WebhookHeaders.WEBHOOK_ID, event.webhookId());
        }
        if (!event.eventId().isEmpty()) {
            builder.header(WebhookHeaders.EVENT_ID, event.eventId());
        }
        return builder.build();
    }

    private static Thread clientThread(Runnable task) {
        Thread thread = new Thread(task, "http-firer-" + CLIENT_THREADS.incrementAndGet());
        // Idle ones end after a minute; none may keep the JVM alive.
        thread.setDaemon(true);
        return thread;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Classifies the HTTP answers of one {@link #fire} call into its tally. */
    private static final class Answers {
        final FireTally tally;
        final AtomicLong rejectionsLogged = new AtomicLong();
        final CountDownLatch all;

        Answers(FireTally tally, int total) {
            this.tally = tally;
            this.all = new CountDownLatch(total);
        }

        /** Whether an attempt's outcome is worth another: no answer, or 5xx/429. */
        static boolean retryable(HttpResponse<String> response, Throwable failure) {
            return failure != null || response == null || RetryPolicy.retryable(response.statusCode());
        }

        /**
         * The final answer to a delivery after {@code retries} retries; its latency runs from the
         * first attempt, as the provider sees it.
         */
        void answered(int index, OrderEvent event, long sentAt, int retries, HttpResponse<String> response,
                      Throwable failure) {
            try {
                boolean givenUp = retries > 0 && retryable(response, failure);
                if (failure != null) {
                    reject(index, event, "no answer" + afterRetries(retries) + ": " + failure, failure, givenUp);
                } else {
                    classify(index, event, response, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - sentAt),
                            retries, givenUp);
                }
            } catch (RuntimeException e) {
                log.error("progress listener failed for {}", event.effectId(), e);
            } finally {
                all.countDown();
            }
        }

        private static String afterRetries(int retries) {
            return retries == 0 ? "" : " after " + retries + (retries == 1 ? " retry" : " retries");
        }

        private void classify(int index, OrderEvent event, HttpResponse<String> response, long micros, int retries,
                              boolean givenUp) {
            int status = response.statusCode();
            if (status / 100 != 2) {
                reject(index, event, "HTTP " + status + afterRetries(retries) + " " + response.body(), null, givenUp);
                return;
            }
            String body = response.body();
            // the ingest's two answers, compared as they are: parsing each one cost the burst's
            // process a JSON parser's buffers per delivery (a quarter of a GB per 20 s)
            if (WebhookServer.QUEUED_ANSWER.equals(body)) {
                tally.queued(index, micros);
                return;
            }
            if (WebhookServer.DUPLICATE_ANSWER.equals(body)) {
                if (retries > 0) {
                    tally.duplicateOnRetry(index, micros);
                } else {
                    tally.duplicate(index, micros);
                }
                return;
            }
            JsonNode answer;
            try {
                answer = MAPPER.readTree(body);
            } catch (IOException e) {
                reject(index, event, "HTTP " + status + " with an unreadable body: " + response.body(), e, false);
                return;
            }
            if (answer != null && answer.path("duplicate").asBoolean(false)) {
                if (retries > 0) {
                    tally.duplicateOnRetry(index, micros);
                } else {
                    tally.duplicate(index, micros);
                }
            } else if (answer != null && answer.path("queued").asBoolean(false)) {
                tally.queued(index, micros);
            } else {
                reject(index, event, "HTTP " + status + " without queued/duplicate: " + response.body(), null, false);
            }
        }

        private void reject(int index, OrderEvent event, String what, Throwable cause, boolean givenUp) {
            if (givenUp) {
                tally.givenUp(index);
            } else {
                tally.rejected(index);
            }
            if (rejectionsLogged.incrementAndGet() <= LOGGED_REJECTIONS) {
                if (cause != null) {
                    log.warn("delivery of {} (order {}) rejected: {}", event.effectId(), event.orderId(), what, cause);
                } else {
                    log.warn("delivery of {} (order {}) rejected: {}", event.effectId(), event.orderId(), what);
                }
            }
        }

        void awaitAll() throws InterruptedException {
            all.await();
        }
    }
}
