package dev.lockstep.cli;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.audit.CompareReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.BurstLauncher;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.store.RunIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code compare}: the same burst (same seed) through unsafe, naive-lock and lockstep, side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the same seeded burst through the unsafe, naive-lock and lockstep modes and print the before/after integrity table (rows: anomaly kinds, events/s, p99 ack latency; columns: modes)."})
public final class CompareCommand implements Callable<Integer> {

    @Mixin
    BurstOptions burst;

    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Option(names = "--save", paramLabel = "FILE", description = "Also write the JSON report ({\"runs\":[...]}) to FILE.")
    Path save;

    @Override
    public Integer call() throws Exception {
        burst.validate();
        if (burst.target != null) {
            throw new IllegalArgumentException("compare runs every mode locally; --target is for burst");
        }
        try (LockstepRuntime runtime = LockstepRuntime.start(config.load())) {
            BurstPlan plan = BurstPlan.generate(burst.spec());
            List<AuditReport> runs = new ArrayList<>();
            List<Mode> modes = List.of(Mode.UNSAFE, Mode.NAIVE_LOCK, Mode.LOCKSTEP);
            String compareId = RunIds.nextCompare(); // each mode's run has its own id, tagged with the compare
            for (Mode m : modes) {
                // the console's compare status says the same: the mode, run k of n, then the phase
                ProgressLine progress = new ProgressLine(spec.commandLine().getErr(),
                        m.id() + " · run " + (runs.size() + 1) + " of " + modes.size());
                try {
                    runs.add(BurstLauncher.run(runtime, new BurstLauncher.Target.NewPipeline(m), plan, burst.options(),
                            progress, RunIds.next(), compareId));
                } finally {
                    progress.end();
                }
            }
            CompareReport report = new CompareReport(runs);
            if (save != null) {
                Files.writeString(save, report.toJson() + System.lineSeparator());
            }
            spec.commandLine().getOut().println(burst.json ? report.toJson() : report.toTable());
        }
        return 0;
    }
}
