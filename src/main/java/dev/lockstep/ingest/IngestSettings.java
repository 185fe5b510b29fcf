package dev.lockstep.ingest;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.config.Secrets;
import java.time.Duration;
import java.util.Objects;

/**
 * How the webhook server runs.
 *
 * @param bind          address to listen on
 * @param port          port to listen on; 0 picks a free one
 * @param maxBodyBytes  largest accepted request body (413 above it)
 * @param hmacSecret    shared secret of {@code X-Shopify-Hmac-Sha256}
 * @param ioThreads     non-blocking IO threads (accept, read, write); one per core is the norm
 * @param workerThreads threads for the blocking part (parse + enqueue); bounds the enqueue calls in flight
 * @param insecureDev   {@code http.insecure.dev}: serve on a non-loopback address with the packaged
 *                      secret anyway (a demo on a trusted network), with a warning
 * @param readTimeout   {@code http.read.timeout.ms}: longest a request's head, and then its body, may take
 *                      to arrive (past it the connection is closed; a late body is answered 408 first), so
 *                      a sender trickling bytes cannot hold a connection forever
 * @param idleTimeout   {@code http.idle.timeout.ms}: how long a connection may sit with no request before
 *                      the server closes it
 */
public record IngestSettings(String bind, int port, int maxBodyBytes, String hmacSecret, int ioThreads,
                             int workerThreads, boolean insecureDev, Duration readTimeout, Duration idleTimeout) {

    /** Enough for the in-flight requests of a burst firer with a few dozen connections. */
    public static final int DEFAULT_WORKER_THREADS = 64;
    /** The packaged {@code http.read.timeout.ms}. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** The packaged {@code http.idle.timeout.ms}. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public IngestSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(hmacSecret, "hmacSecret");
        if (bind.isBlank()) {
            throw new IllegalArgumentException("bind address is blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0..65535: " + port);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
        if (hmacSecret.isEmpty()) {
            throw new IllegalArgumentException("hmacSecret is empty");
        }
        if (ioThreads < 1 || workerThreads < 1) {
            throw new IllegalArgumentException("ioThreads and workerThreads must be at least 1: "
                    + ioThreads + ", " + workerThreads);
        }
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (readTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("readTimeout and idleTimeout must be at least 1 ms: "
                    + readTimeout + ", " + idleTimeout);
        }
    }

    /**
     * Settings with one IO thread per core, {@link #DEFAULT_WORKER_THREADS} workers and the default timeouts,
     * not in insecure dev mode.
     */
    public IngestSettings(String bind, int port, int maxBodyBytes, String hmacSecret) {
        this(bind, port, maxBodyBytes, hmacSecret, Runtime.getRuntime().availableProcessors(), DEFAULT_WORKER_THREADS,
                false, DEFAULT_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT);
    }

    /** The {@code http.*} and {@code hmac.secret} keys of a config. */
    public static IngestSettings from(LockstepConfig config) {
        return new IngestSettings(config.httpBind(), config.httpPort(), config.httpMaxBodyBytes(), config.hmacSecret())
                .withInsecureDev(config.httpInsecureDev())
                .withTimeouts(config.httpReadTimeout(), config.httpIdleTimeout());
    }

    public IngestSettings withPort(int newPort) {
        return new IngestSettings(bind, newPort, maxBodyBytes, hmacSecret, ioThreads, workerThreads, insecureDev,
                readTimeout, idleTimeout);
    }

    public IngestSettings withWorkerThreads(int threads) {
        return new IngestSettings(bind, port, maxBodyBytes, hmacSecret, ioThreads, threads, insecureDev, readTimeout,
                idleTimeout);
    }

    public IngestSettings withMaxBodyBytes(int bytes) {
        return new IngestSettings(bind, port, bytes, hmacSecret, ioThreads, workerThreads, insecureDev, readTimeout,
                idleTimeout);
    }

    public IngestSettings withInsecureDev(boolean insecure) {
        return new IngestSettings(bind, port, maxBodyBytes, hmacSecret, ioThreads, workerThreads, insecure, readTimeout,
                idleTimeout);
    }

    public IngestSettings withTimeouts(Duration read, Duration idle) {
        return new IngestSettings(bind, port, maxBodyBytes, hmacSecret, ioThreads, workerThreads, insecureDev, read, idle);
    }

    /** The settings with the secret masked: a record would print it. */
    @Override
    public String toString() {
        return "IngestSettings[bind=" + bind + ", port=" + port + ", maxBodyBytes=" + maxBodyBytes + ", hmacSecret="
                + Secrets.MASK + ", ioThreads=" + ioThreads + ", workerThreads=" + workerThreads + ", insecureDev="
                + insecureDev + ", readTimeout=" + readTimeout + ", idleTimeout=" + idleTimeout + "]";
    }
}
