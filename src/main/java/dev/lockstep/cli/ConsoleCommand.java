package dev.lockstep.cli;

import dev.lockstep.console.ConsoleApp;
import dev.lockstep.console.ConsolePrefs;
import dev.lockstep.console.StartupWindow;
import dev.lockstep.console.backend.LiveConsoleBackend;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Opens the desktop console (the default command). */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Open the desktop console (the default). With empty Redis/MongoDB URIs it starts embedded servers; with URIs it attaches to servers it did not start and shows their state the same way."})
public final class ConsoleCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = "--attach-only", description = "Run no workers and no webhook ingest here: only watch and operate "
            + "a queue that headless workers elsewhere work on.")
    boolean attachOnly;

    @Override
    public Integer call() throws Exception {
        LiveConsoleBackend backend;
        // what it opens shows in a small window: a large embedded store takes seconds to open
        try (StartupWindow startup = StartupWindow.show(ConsolePrefs.user().dark())) {
            backend = LiveConsoleBackend.startLowered(config.load(), !attachOnly, startup);
            startup.accept("opening the window");
            CountDownLatch closed = new CountDownLatch(1);
            ConsoleApp.open(backend, ConsolePrefs.user(), closed::countDown);
            startup.close();
            closed.await();
        }
        return 0;
    }
}
