package dev.lockstep.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.audit.Anomalies;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.pipeline.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntegrityTableModelTest {

    private static RunResult run(Mode mode, long finishedAt, long overlaps) {
        Anomalies a = new Anomalies(0, 0, 0, 0, 0, 0, overlaps);
        return new RunResult(new AuditReport(mode, 10, 40, 40, 0, 0, 40, 40, 0, 0, 1, 1234.5,
                new AuditReport.AckLatency(1, 2, 3), a, true), 1, finishedAt);
    }

    private static int row(String name) {
        for (int i = 0; i < IntegrityTableModel.MEASURES.size(); i++) {
            if (IntegrityTableModel.MEASURES.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void eachColumnShowsTheLatestRunOfItsModeAndMarksAnomalies() {
        IntegrityTableModel model = new IntegrityTableModel();
        model.setRuns(List.of(run(Mode.NAIVE_LOCK, 1, 5), run(Mode.LOCKSTEP, 2, 0), run(Mode.NAIVE_LOCK, 3, 2)));

        int overlaps = row("Overlapping handlers");
        IntegrityTableModel.Cell unsafe = (IntegrityTableModel.Cell) model.getValueAt(overlaps, 1);
        IntegrityTableModel.Cell seed = (IntegrityTableModel.Cell) model.getValueAt(overlaps, 2);
        IntegrityTableModel.Cell lockstep = (IntegrityTableModel.Cell) model.getValueAt(overlaps, 3);
        assertThat(unsafe.toString()).isEqualTo("—");
        assertThat(seed.toString()).isEqualTo("2");
        assertThat(seed.bad()).isTrue();
        assertThat(lockstep.toString()).isEqualTo("0");
        assertThat(lockstep.good()).isTrue();
        assertThat(model.getValueAt(row("Events / s"), 3).toString()).isEqualTo("1,235"); // whole numbers from a thousand up
        assertThat(model.getValueAt(row("Ack p99"), 3).toString()).isEqualTo("2.0 ms");
        assertThat(model.getValueAt(row("Integrity"), 2).toString()).isEqualTo("✗ broken");
        assertThat(((IntegrityTableModel.Cell) model.getValueAt(row("Applied"), 2)).bad()).isFalse();
    }
}
