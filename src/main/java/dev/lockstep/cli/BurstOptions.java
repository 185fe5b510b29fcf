package dev.lockstep.cli;

import dev.lockstep.burst.BurstSpec;
import dev.lockstep.runtime.BurstLauncher;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The burst flags shared by {@code burst} and {@code compare}. Their defaults are the default burst
 * ({@link BurstSpec#defaults()}), the one the console's Burst view starts from: the same seed and flags give
 * the same burst in both.
 */
public final class BurstOptions {

    @Option(names = "--orders", paramLabel = "N", description = "Orders in the flash sale (default ${DEFAULT-VALUE}).")
    int orders = BurstSpec.DEFAULT_ORDERS;

    @Option(names = "--events-per-order", paramLabel = "N", description = "Events per order, 1.." + BurstSpec.MAX_EVENTS_PER_ORDER
            + ", or 0 for the natural mix of lifecycles (default ${DEFAULT-VALUE}).")
    int eventsPerOrder = BurstSpec.DEFAULT_EVENTS_PER_ORDER;

    @Option(names = "--duplicates", paramLabel = "R", description = "Share of events delivered more than once (0..1, default ${DEFAULT-VALUE}).")
    double duplicates = BurstSpec.DEFAULT_DUPLICATES;

    @Option(names = "--reorder", paramLabel = "R", description = "Share of events that arrive late, after newer events of their order (0..1, default ${DEFAULT-VALUE}).")
    double reorder = BurstSpec.DEFAULT_REORDER;

    @Option(names = "--concurrency", paramLabel = "C", description = "Deliveries in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency = BurstSpec.DEFAULT_IN_FLIGHT;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed: the same seed makes the same burst, here and in the console (default ${DEFAULT-VALUE}).")
    long seed = BurstSpec.DEFAULT_SEED;

    @Option(names = "--via", paramLabel = "http|direct", defaultValue = "http", converter = ViaConverter.class,
            description = "Fire over real HTTP into the webhook endpoint, or straight into the queue (default ${DEFAULT-VALUE}).")
    Via via;

    /** How the burst is fired. */
    enum Via { HTTP, DIRECT }

    @Option(names = "--target", paramLabel = "URL", description = "Fire at an ingest already running elsewhere (e.g. http://127.0.0.1:8088), then audit through the configured Redis and MongoDB.")
    URI target;

    @Option(names = "--pause-rate", paramLabel = "R", description = "Paused-holder fault: share of handled events whose handler stalls past its lock TTL (naive-lock, lockstep; 0..1, default ${DEFAULT-VALUE}).")
    double pauseRate = BurstSpec.DEFAULT_PAUSE_RATE;

    @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "600", description = "Longest wait for the queue to drain after firing (default ${DEFAULT-VALUE}).")
    long drainTimeoutSeconds;

    @Option(names = "--json", description = "Print one JSON object instead of the readable report.")
    boolean json;

    BurstSpec spec() {
        return BurstSpec.of(orders, duplicates, reorder, seed).withEventsPerOrder(eventsPerOrder);
    }

    boolean overHttp() {
        return via == Via.HTTP;
    }

    Duration drainTimeout() {
        return Duration.ofSeconds(drainTimeoutSeconds);
    }

    BurstLauncher.Options options() {
        return new BurstLauncher.Options(overHttp(), concurrency, pauseRate, drainTimeout());
    }

    /** Refuses a value out of range with a message naming the flag; nothing has started yet. */
    void validate() {
        Flags.within("--orders", orders, 1, BurstSpec.MAX_ORDERS);
        Flags.within("--events-per-order", eventsPerOrder, 0, BurstSpec.MAX_EVENTS_PER_ORDER);
        rate("--duplicates", duplicates);
        rate("--reorder", reorder);
        Flags.within("--concurrency", concurrency, 1, 4096);
        rate("--pause-rate", pauseRate);
        Flags.within("--drain-timeout", drainTimeoutSeconds, 1, 86_400);
        if (target != null && !overHttp()) {
            throw new IllegalArgumentException("--target fires over HTTP; it cannot be combined with --via direct");
        }
        spec();
    }

    private static void rate(String flag, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(flag + " must be a share within 0..1, not " + value);
        }
    }

    /** {@code --via http|direct}. */
    static final class ViaConverter implements CommandLine.ITypeConverter<Via> {
        @Override
        public Via convert(String value) {
            return switch (value) {
                case "http" -> Via.HTTP;
                case "direct" -> Via.DIRECT;
                default -> throw new CommandLine.TypeConversionException("expected http or direct, not '" + value + "'");
            };
        }
    }
}
