package dev.lockstep.cli;

import dev.lockstep.burst.BurstSpec;
import dev.lockstep.runtime.BurstLauncher;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The burst flags shared by {@code burst} and {@code compare}. */
public final class BurstOptions {

    @Option(names = "--orders", required = true, paramLabel = "N", description = "Orders in the flash sale.")
    int orders;

    @Option(names = "--duplicates", paramLabel = "R", defaultValue = "0.05", description = "Share of events delivered more than once (0..1, default ${DEFAULT-VALUE}).")
    double duplicates;

    @Option(names = "--reorder", paramLabel = "R", defaultValue = "0.3", description = "Share of events that arrive late, after newer events of their order (0..1, default ${DEFAULT-VALUE}).")
    double reorder;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "64", description = "Deliveries in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed: the same seed makes the same burst (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--via", paramLabel = "http|direct", defaultValue = "http", description = "Fire over real HTTP into the webhook endpoint, or straight into the queue (default ${DEFAULT-VALUE}).")
    String via;

    @Option(names = "--target", paramLabel = "URL", description = "Fire at an ingest already running elsewhere (e.g. http://127.0.0.1:8088), then audit through the configured Redis and MongoDB.")
    URI target;

    @Option(names = "--pause-rate", paramLabel = "R", defaultValue = "0", description = "Paused-holder fault: share of handled events whose handler stalls past its lock TTL (seed, lockstep).")
    double pauseRate;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "600", description = "Longest wait for the queue to drain after firing (default ${DEFAULT-VALUE}).")
    long drainTimeoutSeconds;

    @Option(names = "--json", description = "Print one JSON object instead of the readable report.")
    boolean json;

    BurstSpec spec() {
        return BurstSpec.of(orders, duplicates, reorder, seed);
    }

    boolean overHttp() {
        return switch (via) {
            case "http" -> true;
            case "direct" -> false;
            default -> throw new IllegalArgumentException("--via must be http or direct, not '" + via + "'");
        };
    }

    Duration drainTimeout() {
        return Duration.ofSeconds(drainTimeoutSeconds);
    }

    BurstLauncher.Options options() {
        return new BurstLauncher.Options(overHttp(), concurrency, pauseRate, drainTimeout());
    }

    void validate() {
        if (concurrency < 1 || concurrency > 4096) {
            throw new IllegalArgumentException("--concurrency must be within 1..4096, not " + concurrency);
        }
        if (pauseRate < 0 || pauseRate > 1) {
            throw new IllegalArgumentException("--pause-rate must be within 0..1, not " + pauseRate);
        }
        if (target != null && !overHttp()) {
            throw new IllegalArgumentException("--target fires over HTTP; it cannot be combined with --via direct");
        }
        spec();
    }
}
