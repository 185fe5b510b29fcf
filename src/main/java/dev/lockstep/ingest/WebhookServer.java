package dev.lockstep.ingest;

import dev.lockstep.config.ConfigException;
import dev.lockstep.config.Secrets;
import dev.lockstep.metrics.ProcessMetrics;
import dev.lockstep.pipeline.Pipeline;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.PathHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The webhook ingest over HTTP: {@code POST /webhooks/orders} into a {@link Pipeline},
 * {@code GET /health} and {@code GET /metrics} (Prometheus); anything else is a JSON 404. See the package documentation for why Undertow.
 */
public final class WebhookServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);

    public static final String ORDERS_PATH = "/webhooks/orders";
    /** The body of a 200 for an event enqueued, exactly as sent: clients may compare it as it is. */
    public static final String QUEUED_ANSWER = "{\"queued\":true}";
    /** The body of a 200 for a duplicate delivery, exactly as sent. */
    public static final String DUPLICATE_ANSWER = "{\"duplicate\":true}";
    public static final String HEALTH_PATH = "/health";
    public static final String METRICS_PATH = "/metrics";

    /** How long {@link #close()} lets requests in flight (an enqueue, say) finish. */
    private static final long SHUTDOWN_GRACE_MILLIS = 5_000;
    /** Pending connections the OS may queue while the IO threads catch up with a burst. */
    private static final int ACCEPT_BACKLOG = 1024;
    private static final int MAX_ECHO = 80;
    /**
     * Bytes past the body limit the server still reads (and discards) after answering 413, so that the
     * sender, still writing, gets the answer instead of a reset connection. Beyond it the connection is
     * closed: an endless body cannot hold a connection forever.
     */
    private static final long DRAIN_ALLOWANCE_BYTES = 8L * 1024 * 1024;

    private final Undertow undertow;
    private final GracefulShutdownHandler shutdown;
    private final int port;
    private final URI baseUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WebhookServer(Undertow undertow, GracefulShutdownHandler shutdown, int port, URI baseUrl) {
        this.undertow = undertow;
        this.shutdown = shutdown;
        this.port = port;
        this.baseUrl = baseUrl;
    }

    /**
     * Binds {@code settings.bind():settings.port()} and serves until {@link #close()}.
     *
     * @throws ConfigException when the address is reachable from other machines and the secret is
     *                         the packaged (public) one or empty, unless in insecure dev mode
     */
    public static WebhookServer start(IngestSettings settings, Pipeline pipeline, HealthProbe health) {
        return start(settings, pipeline, health, new ProcessMetrics("ingest"));
    }

    /** As {@link #start(IngestSettings, Pipeline, HealthProbe)}, recording into and serving {@code metrics}. */
    public static WebhookServer start(IngestSettings settings, Pipeline pipeline, HealthProbe health,
                                      ProcessMetrics metrics) {
        Objects.requireNonNull(settings, "settings");
        refuseWellKnownSecretOffLoopback(settings);
        OrderWebhookParser parser = new OrderWebhookParser(new WebhookSignature(settings.hmacSecret()));
        PathHandler routes = new PathHandler(WebhookServer::notFound)
                .addExactPath(ORDERS_PATH, new OrderWebhookHandler(pipeline, parser, settings.maxBodyBytes(),
                        settings.readTimeout(), metrics))
                .addExactPath(HEALTH_PATH, new HealthHandler(health))
                .addExactPath(METRICS_PATH, new MetricsHandler(metrics));
        return serve(settings, routes, "webhook ingest");
    }

    /**
     * Only {@code GET /health} and {@code GET /metrics}, for a worker process that serves no webhooks
     * ({@code worker --no-ingest}) but is scraped and probed like the others.
     */
    public static WebhookServer startStatusOnly(IngestSettings settings, HealthProbe health, ProcessMetrics metrics) {
        Objects.requireNonNull(settings, "settings");
        PathHandler routes = new PathHandler(WebhookServer::notFound)
                .addExactPath(HEALTH_PATH, new HealthHandler(health))
                .addExactPath(METRICS_PATH, new MetricsHandler(metrics));
        return serve(settings, routes, "status (health and metrics)");
    }

    private static WebhookServer serve(IngestSettings settings, PathHandler routes, String what) {
        GracefulShutdownHandler shutdown = new GracefulShutdownHandler(routes);
        Undertow undertow = Undertow.builder()
                .addHttpListener(settings.port(), settings.bind())
                .setIoThreads(settings.ioThreads())
                .setWorkerThreads(settings.workerThreads())
                .setSocketOption(Options.BACKLOG, ACCEPT_BACKLOG)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, settings.maxBodyBytes() + DRAIN_ALLOWANCE_BYTES)
                // A head trickling in past the read timeout, or a connection left idle, is closed; the body's
                // own deadline is OrderWebhookHandler's. Without them 500 idle sockets stay open for good.
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(settings.readTimeout()))
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(settings.idleTimeout()))
                .setHandler(shutdown)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot serve " + what + " on " + settings.bind() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        int port = address.getPort();
        URI baseUrl = URI.create("http://" + hostForUrl(address.getAddress()) + ":" + port);
        log.info("{} listening on {} (io threads {}, worker threads {}, max body {} bytes, read timeout {} ms,"
                + " idle timeout {} ms)", what, baseUrl, settings.ioThreads(), settings.workerThreads(), settings.maxBodyBytes(),
                settings.readTimeout().toMillis(), settings.idleTimeout().toMillis());
        return new WebhookServer(undertow, shutdown, port, baseUrl);
    }

    /**
     * The packaged {@code hmac.secret} is in the README and the jar: on an address other machines
     * reach, anyone could sign webhooks. Loopback only stays the zero-setup default; anything wider
     * needs a secret of one's own, or {@code http.insecure.dev=true} said out loud.
     */
    public static void refuseWellKnownSecretOffLoopback(IngestSettings settings) {
        if (!Secrets.isWellKnownHmacSecret(settings.hmacSecret()) || loopbackOnly(settings.bind())) {
            return;
        }
        String which = settings.hmacSecret().isBlank() ? "an empty hmac.secret" : "the packaged hmac.secret";
        if (!settings.insecureDev()) {
            throw new ConfigException("refusing to serve webhooks on " + settings.bind() + " (http.bind) with " + which
                    + ": anyone who has read the README can sign webhooks. " + Secrets.howToSetHmacSecret()
                    + " (or bind to 127.0.0.1; for a demo on a trusted network only: --insecure-dev, or --set http.insecure.dev=true)");
        }
        log.warn("INSECURE DEV MODE (http.insecure.dev=true): the webhook ingest serves on {} with {}; anyone who "
                + "can reach it and has read the README can sign webhooks. Never run this way outside a demo: "
                + "{}", settings.bind(), which, Secrets.howToSetHmacSecret());
    }

    /** Whether every address the bind name stands for is loopback; a name that does not resolve is not. */
    private static boolean loopbackOnly(String bind) {
        try {
            InetAddress[] all = InetAddress.getAllByName(bind);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The port actually bound (the free one picked when the settings said 0). */
    public int port() {
        return port;
    }

    /** {@code http://host:port}, reachable from this machine (a wildcard bind maps to loopback). */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Refuses new requests, lets the ones in flight finish (bounded), then stops. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shutdown.shutdown();
        try {
            if (!shutdown.awaitShutdown(SHUTDOWN_GRACE_MILLIS)) {
                log.warn("webhook requests still in flight after {} ms; stopping anyway", SHUTDOWN_GRACE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while waiting for webhook requests in flight; stopping now");
        } finally {
            undertow.stop();
            log.info("webhook ingest on {} stopped", baseUrl);
        }
    }

    private static void notFound(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        if (path.length() > MAX_ECHO) {
            path = path.substring(0, MAX_ECHO) + "…";
        }
        JsonAnswers.error(exchange, 404, "no route for " + exchange.getRequestMethod() + " " + path);
    }

    private static int millis(java.time.Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    private static String hostForUrl(InetAddress bound) {
        if (bound.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String host = bound.getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
