package dev.lockstep.console.backend;

import dev.lockstep.audit.AuditReport;
import java.util.Objects;

/**
 * One audited run, as the Integrity view and the exports show it: the auditor's report as it is,
 * plus the two things the console adds.
 *
 * @param report     what the audit found, in the audit's terms (the CLI's {@code --json} form)
 * @param seed       the burst's seed
 * @param finishedAt epoch millis
 */
public record RunResult(AuditReport report, long seed, long finishedAt) {
    public RunResult {
        Objects.requireNonNull(report, "report");
    }

    /** The run's id (docs/DESIGN.md, "Runs and the journal"); empty for a report made before runs had ids. */
    public String runId() {
        return report.runId();
    }

    /** The compare the run was part of; empty for a burst. */
    public String compareId() {
        return report.compareId();
    }
}
