package dev.lockstep.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.audit.Anomalies;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.console.backend.RunProgress;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.BurstRun.Phase;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Burst and Integrity views' progress wording: the phase as it is, and the final state once done. */
class RunProgressTextTest {

    static RunResult run(Mode mode, long accepted, long applied, long skipped, long handled) {
        return new RunResult(new AuditReport(mode, 2_000, accepted + 932, accepted, 932, 0, handled, applied, skipped,
                0, 40, 200, new AuditReport.AckLatency(1, 2, 3), Anomalies.NONE, true), 42, 1);
    }

    @Test
    void aDrainingRunSaysItDrainsAndCountsHandledEventsNotDeliveries() {
        RunProgress p = new RunProgress(true, Phase.DRAINING, Mode.LOCKSTEP, 6_000, 8_000, 1, 1, "");

        assertThat(RunProgressText.status(p, List.of()))
                .isEqualTo("Draining · lockstep · 6,000 / 8,000 accepted events handled");
        assertThat(RunProgressText.bar(p)).isEqualTo("6,000 / 8,000 accepted events handled");
    }

    @Test
    void aCompareSaysWhichModeAndWhichRun() {
        RunProgress p = new RunProgress(true, Phase.FIRING, Mode.NAIVE_LOCK, 10, 8_932, 2, 3, "");

        assertThat(RunProgressText.status(p, List.of()))
                .isEqualTo("Firing · naive-lock · run 2 of 3 · 10 / 8,932 deliveries answered");
        assertThat(RunProgressText.bar(new RunProgress(true, Phase.AUDITING, Mode.NAIVE_LOCK, 0, 0, 2, 3, "")))
                .isEqualTo("Auditing…");
    }

    @Test
    void aFinishedRunShowsItsFinalStateNotTheLastPhaseItPassed() {
        RunProgress done = new RunProgress(false, Phase.DONE, Mode.LOCKSTEP, 8_000, 8_000, 1, 1, "");

        String status = RunProgressText.status(done, List.of(run(Mode.LOCKSTEP, 8_000, 7_315, 685, 8_000)));

        assertThat(status).isEqualTo("Done · lockstep · 8,000 accepted · 7,315 applied · 685 skipped as stale");
        assertThat(RunProgressText.bar(done)).isEqualTo("Done");
        assertThat(RunProgressText.status(done, List.of(run(Mode.LOCKSTEP, 8_000, 7_000, 685, 7_685))))
                .endsWith("685 skipped as stale · 315 not handled");
    }

    @Test
    void aStoppedOrFailedRunSaysSoAndWhy() {
        RunProgress stopped = new RunProgress(false, Phase.STOPPED, Mode.NAIVE_LOCK, 0, 0, 2, 3, "stopped by the operator");
        RunProgress failed = new RunProgress(false, Phase.FAILED, Mode.UNSAFE, 0, 0, 1, 1, "Connection refused");

        assertThat(RunProgressText.status(stopped, List.of())).isEqualTo("Stopped · naive-lock · run 2 of 3 — stopped by the operator");
        assertThat(RunProgressText.status(failed, List.of())).isEqualTo("Failed · unsafe — Connection refused");
        assertThat(RunProgressText.status(RunProgress.IDLE, List.of())).isEqualTo("Idle");
        assertThat(RunProgressText.bar(RunProgress.IDLE)).isEqualTo("No burst yet");
    }
}
