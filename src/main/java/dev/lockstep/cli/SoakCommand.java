package dev.lockstep.cli;

import dev.lockstep.console.Soak;
import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.LiveConsoleBackend;
import dev.lockstep.console.backend.Transport;
import dev.lockstep.pipeline.Mode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code soak}: the console's resident memory and EDT stalls over repeated bursts fired from its Burst view. */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Open the console on the configured (default: embedded) servers and, for the given time, press its Burst view's Start every so often, the Overview showing while each burst runs. Prints one line per burst (resident memory now and at its peak, heap after GC, longest EDT stall) and a summary. Runs in the console's child JVM (-Xmx512m, G1), so the figures are the console's. Needs a display (Xvfb)."})
public final class SoakCommand implements Callable<Integer> {
    /** The bound on the console's resident memory. */
    static final long RSS_LIMIT_KB = 1024L * 1024;
    private static final int MAX_MINUTES = 24 * 60;

    @Option(names = "--minutes", paramLabel = "M", description = "How long bursts are started; 0 runs one (default: ${DEFAULT-VALUE}).")
    int minutes = 60;

    @Option(names = "--orders", paramLabel = "N", description = "Orders of each burst (default: ${DEFAULT-VALUE}).")
    int orders = 5_000;

    @Option(names = "--every-seconds", paramLabel = "S", description = "From one burst's start to the next; a longer burst is followed at once (default: ${DEFAULT-VALUE}).")
    int everySeconds = 60;

    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Flags.within("--minutes", minutes, 0, MAX_MINUTES);
        Flags.within("--orders", orders, 1, BurstRequest.MAX_ORDERS);
        Flags.within("--every-seconds", everySeconds, 1, MAX_MINUTES * 60);
        BurstRequest d = BurstRequest.defaults();
        BurstRequest burst = new BurstRequest(orders, d.eventsPerOrder(), d.duplicateRate(), d.reorderRate(),
                d.inFlight(), Mode.LOCKSTEP, Transport.HTTP, d.seed(), false);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("soak: a %,d-order lockstep burst over HTTP every %d s for %d min, from the console's Burst view%n",
                orders, everySeconds, minutes);
        out.flush();
        // the console closes its backend when its window closes: run() returns once it has
        // started as the console starts it (lowered), so the figures are the console's
        LiveConsoleBackend backend = LiveConsoleBackend.startLowered(config.load(), true, step -> { });
        Soak.Result r = Soak.run(backend, new Soak.Options(burst, Duration.ofMinutes(minutes),
                Duration.ofSeconds(everySeconds)), s -> {
                    out.printf("burst %d: %.1f s, audit %s · RSS %s (peak %s) · heap after GC %s · longest EDT stall %.1f ms%n",
                            s.burst(), s.took().toMillis() / 1000.0, s.integrity(), mb(s.rssKb() * 1024),
                            mb(s.peakRssKb() * 1024), mb(s.heapAfterGcBytes()), s.maxEdtStallMillis());
                    out.flush();
                });
        Soak.Sample last = r.samples().get(r.samples().size() - 1);
        out.printf("soak: %d bursts · RSS at the end %s, peak %s (%s the 1 GB bound) · heap after GC at most %s"
                        + " · longest EDT stall %.1f ms%n",
                r.samples().size(), mb(last.rssKb() * 1024), mb(r.peakRssKb() * 1024),
                r.peakRssKb() < 0 ? "not read:" : r.peakRssKb() < RSS_LIMIT_KB ? "within" : "OVER",
                mb(r.maxHeapAfterGcBytes()), r.maxEdtStallMillis());
        return 0;
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%,d MB", bytes / (1024 * 1024));
    }
}
