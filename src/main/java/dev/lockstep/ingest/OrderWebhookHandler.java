package dev.lockstep.ingest;

import dev.lockstep.logging.LogLimiter;
import dev.lockstep.metrics.ProcessMetrics;
import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.QueueUnavailableException;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;

/**
 * {@code POST /webhooks/orders}. On the IO thread: method, content type and size checks, then a
 * non-blocking read of the body with the size limit enforced while reading. On a worker thread: HMAC,
 * parse, and {@link Pipeline#acceptAsync}; the answer follows its future, so a webhook waiting for
 * Redis holds no thread. A rejected request never reaches the pipeline.
 */
final class OrderWebhookHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(OrderWebhookHandler.class);
    /** A Redis outage refuses every delivery: one line per kind every 10 s, a trace once per kind. */
    private final LogLimiter failures = new LogLimiter(log, Duration.ofSeconds(10));

    private static final byte[] QUEUED = WebhookServer.QUEUED_ANSWER.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] DUPLICATE = WebhookServer.DUPLICATE_ANSWER.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final Pipeline pipeline;
    private final OrderWebhookParser parser;
    private final int maxBodyBytes;
    private final Duration readTimeout;
    private final ProcessMetrics metrics;

    OrderWebhookHandler(Pipeline pipeline, OrderWebhookParser parser, int maxBodyBytes, Duration readTimeout,
                        ProcessMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.maxBodyBytes = maxBodyBytes;
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        long receivedAt = System.currentTimeMillis();
        long arrivedNanos = System.nanoTime();
        // every way out of this handler answers once: count it there, and time the acknowledgements
        exchange.addExchangeCompleteListener((ex, next) -> {
            int status = ex.getStatusCode();
            metrics.answered(status);
            if (status / 100 == 2) {
                metrics.acknowledged(System.nanoTime() - arrivedNanos);
            }
            next.proceed();
        });
        if (!JsonAnswers.methodIs(exchange, Methods.POST)) {
            return;
        }
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (!isJson(contentType)) {
            JsonAnswers.error(exchange, 415, "content type must be application/json, got: "
                    + (contentType == null ? "none" : contentType));
            return;
        }
        if (exchange.getRequestContentLength() > maxBodyBytes) {
            tooLarge(exchange);
            return;
        }
        Receiver receiver = exchange.getRequestReceiver();
        // Also bounds a chunked body, whose size is only known while reading: reading stops past the limit.
        receiver.setMaxBufferSize(maxBodyBytes);
        // The body is read without blocking on this connection's IO thread, so a slow sender holds no worker;
        // the deadline, on the same IO thread, stops it holding the connection and its buffer forever either.
        AtomicBoolean settled = new AtomicBoolean();
        XnioExecutor.Key deadline = exchange.getIoThread().executeAfter(() -> {
            if (settled.compareAndSet(false, true)) {
                exchange.setPersistent(false);
                JsonAnswers.error(exchange, 408, "body not received within " + readTimeout.toMillis() + " ms");
            }
        }, readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        receiver.receiveFullBytes(
                (ex, body) -> {
                    if (settled.compareAndSet(false, true)) {
                        deadline.remove();
                        ex.dispatch(() -> handleBody(ex, body, receivedAt));
                    }
                },
                (ex, e) -> {
                    if (settled.compareAndSet(false, true)) {
                        deadline.remove();
                        readFailed(ex, e);
                    }
                });
    }

    /**
     * Worker thread: HMAC and parse (CPU), then the pipeline's accept. The answer is sent when the
     * accept's future completes, from this connection's IO thread; no thread waits for Redis meanwhile.
     */
    private void handleBody(HttpServerExchange exchange, byte[] body, long receivedAt) {
        CompletableFuture<AcceptResult> accepted;
        try {
            ParsedWebhook parsed = parser.parse(body, name -> exchange.getRequestHeaders().getFirst(name));
            if (parsed instanceof Rejection rejection) {
                log.debug("rejected webhook: {} {}", rejection.status(), rejection.reason());
                JsonAnswers.error(exchange, rejection.status(), rejection.reason());
                return;
            }
            ValidWebhook valid = (ValidWebhook) parsed;
            accepted = pipeline.acceptAsync(new Delivery(valid.event(), valid.dedupKey(), receivedAt));
        } catch (RuntimeException e) {
            answer(exchange, null, e);
            return;
        }
        if (accepted.isDone()) {
            accepted.whenComplete((result, failure) -> answer(exchange, result, failure));
            return;
        }
        // This task runs outside Undertow's root handler (dispatched from the body callback), so the
        // exchange stays open when it returns; the answer, on the connection's IO thread, ends it.
        accepted.whenComplete((result, failure) -> exchange.getIoThread().execute(() -> answer(exchange, result, failure)));
    }

    /** 200 with queued or duplicate, 503 when the queue could not take it, 500 for anything else. */
    private void answer(HttpServerExchange exchange, AcceptResult result, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause == null) {
            JsonAnswers.sendRendered(exchange, 200, result == AcceptResult.DUPLICATE ? DUPLICATE : QUEUED);
        } else if (cause instanceof QueueUnavailableException e) {
            failures.log("queue unavailable, answering 503", e);
            JsonAnswers.error(exchange, 503, "queue unavailable: " + e.getMessage());
        } else {
            failures.log("webhook failed unexpectedly, answering 500", cause);
            JsonAnswers.error(exchange, 500, "internal error");
        }
    }

    private void readFailed(HttpServerExchange exchange, IOException e) {
        if (e instanceof Receiver.RequestToLargeException) {
            tooLarge(exchange);
            return;
        }
        // A broken or malformed body stream; the answer may not reach a sender that went away.
        log.debug("could not read webhook body", e);
        exchange.setPersistent(false);
        JsonAnswers.error(exchange, 400, "could not read body: " + e.getMessage());
    }

    /** The unread rest of the body is drained and discarded by Undertow, within a bound (see WebhookServer). */
    private void tooLarge(HttpServerExchange exchange) {
        JsonAnswers.error(exchange, 413, "body larger than " + maxBodyBytes + " bytes");
    }

    /** application/json, parameters (charset) allowed. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return mediaType.trim().toLowerCase(Locale.ROOT).equals("application/json");
    }
}
