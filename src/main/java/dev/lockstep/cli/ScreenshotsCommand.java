package dev.lockstep.cli;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.console.Screenshots;
import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.LiveConsoleBackend;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.LockstepRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code screenshots}: a PNG of every console view and of three moments, taken on the real stack during bursts. */
@Command(name = "screenshots", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Open the console on the configured (default: embedded) servers, run a compare, start a burst and write a PNG of every view while it runs (the Burst view while it drains and once it is done), the Workers view with extra worker processes on the console's servers, then a burst with paused holders: a stuck lock's Release dialog and its order's runs in the Timeline. Reports the longest EDT stall while the burst runs. Needs a display (Xvfb)."})
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

    @Option(names = "--release-orders", paramLabel = "N", description = {"Orders of the lockstep burst with paused holders run last, for the shot of a stuck lock's Release dialog and of its order's runs in the Timeline; 0 skips it (default: ${DEFAULT-VALUE}).",
            "With it the run's lease (lease.ms) is at least 30 s, so the stuck lock outlives the shot."})
    int releaseOrders = 400;

    @Option(names = "--extra-workers", paramLabel = "N", description = "Headless `worker --no-ingest` processes started on the console's servers for the Workers shot, stopped after it (default: ${DEFAULT-VALUE}).")
    int extraWorkers = 2;

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
        Flags.within("--orders", orders, 0, BurstRequest.MAX_ORDERS);
        Flags.within("--compare-orders", compareOrders, 0, BurstRequest.MAX_ORDERS);
        Flags.within("--release-orders", releaseOrders, 0, BurstRequest.MAX_ORDERS);
        Flags.within("--measure-seconds", measureSeconds, 1, BurstRequest.MAX_ORDERS);
        Mode m = mode;
        LockstepConfig cfg = config.load();
        if (releaseOrders > 0 && cfg.lease().compareTo(Screenshots.RELEASE_LEASE) < 0) {
            // the release shot needs a stuck lock that stays live while its dialog is shot (Screenshots.RELEASE_LEASE)
            config.set.put("lease.ms", Long.toString(Screenshots.RELEASE_LEASE.toMillis()));
            cfg = config.load();
        }
        Flags.within("--extra-workers", extraWorkers, 0, 8);
        // the console closes its backend when its window closes: capture() returns once it has
        // started as the console starts it (lowered), so the measured stalls are the console's
        LiveConsoleBackend backend = LiveConsoleBackend.startLowered(cfg, true, step -> { });
        LockstepRuntime runtime = backend.runtime();
        List<List<String>> workers = new ArrayList<>();
        for (int i = 0; i < extraWorkers; i++) {
            workers.add(workerCommand(cfg, runtime.infra().redisUri(), runtime.infra().mongoUri()));
        }
        Screenshots.Result r = Screenshots.capture(backend,
                new Screenshots.Options(out, orders, m, compareOrders, order, dark, Math.max(1, measureSeconds * 4),
                        releaseOrders, workers));
        for (Path p : r.files()) {
            spec.commandLine().getOut().println("wrote " + p);
        }
        spec.commandLine().getOut().printf(
                "EDT stalls over %d s of a %,d-order %s burst (Overview live at 4 Hz): longest %.1f ms, p99 %.1f ms%n",
                measureSeconds, orders, m.id(), r.maxEdtStallMillis(), r.p99EdtStallMillis());
        return 0;
    }

    /**
     * A headless worker of this very jar (or class path) on the console's servers, embedded ones
     * included, sharing every key a process of the queue must share (docs/DESIGN.md, "The fleet").
     */
    static List<String> workerCommand(LockstepConfig cfg, String redisUri, String mongoUri) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.lockstep.Main", "worker",
                "--no-ingest", "--redis-uri", redisUri, "--mongo-uri", mongoUri, "--workers", "4",
                "--partitions", Integer.toString(cfg.partitions()),
                "--set", "queue.name=" + cfg.queueName(), "--set", "mongo.database=" + cfg.mongoDatabase(),
                "--set", "lease.ms=" + cfg.lease().toMillis(),
                "--set", "worker.heartbeat.ttl.ms=" + cfg.workerHeartbeatTtl().toMillis());
    }
}
