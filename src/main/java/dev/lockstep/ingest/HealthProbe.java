package dev.lockstep.ingest;

/**
 * Answers whether the ingest's backing stores are reachable, for {@code GET /health}. Calls may block
 * briefly (a ping); the server makes them on a worker thread.
 */
public interface HealthProbe {
    boolean redisUp();

    boolean mongoUp();

    /** A probe that reports both up: an ingest in front of a pipeline with no servers of its own (tests, tools). */
    HealthProbe ALWAYS_UP = new HealthProbe() {
        @Override
        public boolean redisUp() {
            return true;
        }

        @Override
        public boolean mongoUp() {
            return true;
        }
    };
}
