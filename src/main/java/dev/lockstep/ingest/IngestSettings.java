package dev.lockstep.ingest;

import dev.lockstep.config.LockstepConfig;
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
 */
public record IngestSettings(String bind, int port, int maxBodyBytes, String hmacSecret, int ioThreads,
                             int workerThreads) {

    /** Enough for the in-flight requests of a burst firer with a few dozen connections. */
    public static final int DEFAULT_WORKER_THREADS = 64;

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
    }

    /** Settings with one IO thread per core and {@link #DEFAULT_WORKER_THREADS} workers. */
    public IngestSettings(String bind, int port, int maxBodyBytes, String hmacSecret) {
        this(bind, port, maxBodyBytes, hmacSecret, Runtime.getRuntime().availableProcessors(), DEFAULT_WORKER_THREADS);
    }

    /** The {@code http.*} and {@code hmac.secret} keys of a config. */
    public static IngestSettings from(LockstepConfig config) {
        return new IngestSettings(config.httpBind(), config.httpPort(), config.httpMaxBodyBytes(), config.hmacSecret());
    }

    public IngestSettings withPort(int newPort) {
        return new IngestSettings(bind, newPort, maxBodyBytes, hmacSecret, ioThreads, workerThreads);
    }

    public IngestSettings withWorkerThreads(int threads) {
        return new IngestSettings(bind, port, maxBodyBytes, hmacSecret, ioThreads, threads);
    }

    public IngestSettings withMaxBodyBytes(int bytes) {
        return new IngestSettings(bind, port, bytes, hmacSecret, ioThreads, workerThreads);
    }
}
