package dev.lockstep.console.view;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.console.backend.RunProgress;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.runtime.BurstRun;
import java.util.List;

/**
 * How the Burst and Integrity views word a run's progress, in the runtime's phases: one wording for
 * both, and never a finished-looking line while the queue still drains.
 */
final class RunProgressText {
    private RunProgressText() {
    }

    /**
     * The status line: "Draining · lockstep · run 3 of 3 · 6,000 / 8,000 accepted events handled";
     * once done, what the last run did: "Done · 8,000 accepted · 7,315 applied · 685 skipped as stale".
     */
    static String status(RunProgress p, List<RunResult> runs) {
        if (p.phase() == null) {
            return "Idle";
        }
        StringBuilder b = new StringBuilder(p.phaseLabel());
        if (p.mode() != null) {
            b.append(" · ").append(p.mode().id());
        }
        if (p.steps() > 1) {
            b.append(" · run ").append(p.step()).append(" of ").append(p.steps());
        }
        String counts = counts(p);
        if (!counts.isEmpty()) {
            b.append(" · ").append(counts);
        }
        if (p.phase() == BurstRun.Phase.DONE) {
            RunResult last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.report().mode() == p.mode()) {
                b.append(" · ").append(outcome(last.report()));
            }
        }
        if (!p.error().isEmpty()) {
            b.append(" — ").append(p.error());
        }
        return b.toString();
    }

    /** The progress bar's text: what the current phase counts, or how the job ended. */
    static String bar(RunProgress p) {
        if (p.phase() == null) {
            return "No burst yet";
        }
        String counts = counts(p);
        return counts.isEmpty() ? p.phaseLabel() + (p.running() ? "…" : "") : counts;
    }

    /** What the phase counts, empty when it counts nothing. */
    private static String counts(RunProgress p) {
        if (p.total() <= 0) {
            return "";
        }
        return switch (p.phase()) {
            case FIRING -> Format.count(p.done()) + " / " + Format.count(p.total()) + " deliveries answered";
            case DRAINING -> Format.count(p.done()) + " / " + Format.count(p.total()) + " accepted events handled";
            default -> "";
        };
    }

    /** "8,000 accepted · 7,315 applied · 685 skipped as stale" (and what was not handled, if any). */
    static String outcome(AuditReport r) {
        String s = Format.count(r.accepted()) + " accepted · " + Format.count(r.applied()) + " applied · "
                + Format.count(r.skippedStale()) + " skipped as stale";
        return r.unhandled() != 0 ? s + " · " + Format.count(r.unhandled()) + " not handled" : s;
    }
}
