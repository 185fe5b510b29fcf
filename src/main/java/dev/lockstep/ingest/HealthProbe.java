package dev.lockstep.ingest;

/**
 * Answers whether the ingest's backing stores are reachable, for {@code GET /health}. Calls may block
 * briefly (a ping); the server makes them on a worker thread.
 */
public interface HealthProbe {
    boolean redisUp();

    boolean mongoUp();
}
