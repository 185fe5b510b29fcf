package dev.lockstep.cli;

import dev.lockstep.console.Screenshots;
import dev.lockstep.console.backend.LiveConsoleBackend;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.LockstepRuntime;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code screenshots}: a PNG of every console view, taken on the real stack during a burst. */
@Command(name = "screenshots", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Open the console on the configured (default: embedded) servers, run a compare, start a burst",
                "and write a PNG of every view while it runs; report the longest EDT stall. Needs a display (Xvfb)."})
public final class ScreenshotsCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the PNGs (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("docs", "screenshots");

    @Option(names = "--orders", paramLabel = "N", description = "Orders of the burst running during the shots (default: ${DEFAULT-VALUE}).")
    int orders = 15_000;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "lockstep", converter = ModeConverter.class,
            description = "Mode of that burst (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--compare-orders", paramLabel = "N", description = "Orders of the compare run first; 0 skips it (default: ${DEFAULT-VALUE}).")
    int compareOrders = 1_000;

    @Option(names = "--order", paramLabel = "ID", description = "Order shown in the Timeline shot (default: the first held lock's).")
    long order = -1;

    @Option(names = "--dark", description = "Dark theme.")
    boolean dark;

    @Option(names = "--measure-seconds", paramLabel = "S", description = "How long the EDT stalls are measured on the Overview during the burst, before the shots (default: ${DEFAULT-VALUE}).")
    int measureSeconds = 20;

    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Mode m = mode;
        try (LiveConsoleBackend backend = new LiveConsoleBackend(LockstepRuntime.start(config.load()), true)) {
            Screenshots.Result r = Screenshots.capture(backend,
                    new Screenshots.Options(out, orders, m, compareOrders, order, dark, Math.max(1, measureSeconds * 4)));
            for (Path p : r.files()) {
                spec.commandLine().getOut().println("wrote " + p);
            }
            spec.commandLine().getOut().printf(
                    "EDT stalls over %d s of a %,d-order %s burst (Overview live at 4 Hz): longest %.1f ms, p99 %.1f ms%n",
                    measureSeconds, orders, m.id(), r.maxEdtStallMillis(), r.p99EdtStallMillis());
        }
        return 0;
    }
}
