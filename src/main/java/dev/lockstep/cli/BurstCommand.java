package dev.lockstep.cli;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.BurstLauncher;
import dev.lockstep.runtime.LockstepRuntime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code burst}: one seeded flash-sale burst through one mode, drained and audited against the ground truth. */
@Command(name = "burst", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fire a seeded flash-sale burst through one mode, wait for the queue to drain, audit the store against the burst's ground truth and print the report. A run resets its mode's queue and database.", "Exit 0 when the run finished (anomalies are data, not errors)."})
public final class BurstCommand implements Callable<Integer> {

    @Mixin
    BurstOptions burst;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "lockstep", converter = ModeConverter.class,
            description = "unsafe, naive-lock or lockstep (default ${DEFAULT-VALUE}).")
    Mode mode;

    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        burst.validate();
        Mode m = mode;
        if (burst.target != null && m != Mode.LOCKSTEP) {
            throw new IllegalArgumentException("--target audits a remote lockstep worker; use --mode lockstep");
        }
        try (LockstepRuntime runtime = LockstepRuntime.start(config.load())) {
            BurstPlan plan = BurstPlan.generate(burst.spec());
            ProgressLine progress = new ProgressLine(spec.commandLine().getErr(), m.id());
            long storeCallsBefore = runtime.store(m).operations();
            AuditReport report;
            try {
                report = burst.target != null
                        ? BurstLauncher.run(runtime, new BurstLauncher.Target.Remote(burst.target), plan, burst.options(), progress)
                        : BurstLauncher.run(runtime, new BurstLauncher.Target.NewPipeline(m), plan, burst.options(), progress);
            } finally {
                progress.end();
            }
            spec.commandLine().getOut().println(burst.json ? report.toJson() : report.toText());
            if (burst.target == null) {
                long calls = runtime.store(m).operations() - storeCallsBefore;
                // in the text report's table; beside the JSON (on stderr) so that stdout stays one document
                (burst.json ? spec.commandLine().getErr() : spec.commandLine().getOut()).println(String.format(
                        java.util.Locale.ROOT, "store calls: %,d to MongoDB, %.2f per accepted event", calls,
                        report.accepted() == 0 ? 0.0 : (double) calls / report.accepted()));
            }
            long dropped = runtime.journal(m).droppedCount();
            if (dropped > 0) {
                // the audit reads the store, not the journal: only the timelines have these gaps
                spec.commandLine().getErr().println("journal: " + dropped
                        + " timeline entries dropped while MongoDB did not take them (the audit is unaffected)");
            }
        }
        return 0;
    }
}
