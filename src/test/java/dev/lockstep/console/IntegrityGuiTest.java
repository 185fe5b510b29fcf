package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.swing.JTable;
import dev.lockstep.audit.Anomalies;
import dev.lockstep.audit.AnomalyKind;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.audit.RunMeasure;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.console.view.IntegrityTableModel;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.store.RunIds;
import org.assertj.swing.fixture.JFileChooserFixture;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrityGuiTest extends ConsoleGuiTestBase {

    @TempDir
    Path dir;

    @Test
    void afterACompareTheTableShowsTheThreeModesAndExportsThem() throws Exception {
        pressViewShortcut(View.INTEGRITY);
        window.label("integrity.empty").requireVisible();
        window.button("integrity.exportCsv").requireDisabled();
        clickUntil(window.button("integrity.runCompare"), () -> backend.runProgress().running());

        JTable table = find("integrity.table", JTable.class);
        eventually(() -> backend.runs().size(), n -> n == 3);
        eventually(() -> row(table, "Integrity"), r -> !r.get(3).equals("—"));
        assertThat(onEdt(() -> List.of(table.getColumnName(1), table.getColumnName(2), table.getColumnName(3))))
                .containsExactly("unsafe", "naive-lock", "lockstep");
        assertThat(onEdt(() -> row(table, "Integrity"))).containsExactly("Integrity", "✗ broken", "✗ broken", "✓ intact");
        List<String> overlaps = onEdt(() -> row(table, "Overlapping handlers"));
        assertThat(number(overlaps.get(1))).isPositive();
        assertThat(overlaps.get(3)).isEqualTo("0");
        window.button("integrity.runCompare").requireEnabled();

        window.button("integrity.exportCsv").requireEnabled();
        clickUntil(window.button("integrity.exportCsv"), this::fileChooserShowing);
        JFileChooserFixture chooser = window.fileChooser(Timeout.timeout(10_000));
        chooser.setCurrentDirectory(dir.toFile());
        chooser.fileNameTextBox().deleteText().enterText("runs.csv");
        clickUntilClosed(chooser.approveButton());
        Path csv = dir.resolve("runs.csv");
        eventually(() -> Files.exists(csv), exists -> exists);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("mode,seed,");
        assertThat(lines.subList(1, 4)).extracting(l -> l.substring(0, l.indexOf(',')))
                .containsExactly("unsafe", "naive-lock", "lockstep");
        eventually(() -> window.label("integrity.status").target().getText(),
                t -> Pattern.matches("Wrote 3 runs to .*runs\\.csv", t));

        clickUntil(window.button("integrity.exportJson"), this::fileChooserShowing);
        chooser = window.fileChooser(Timeout.timeout(10_000));
        chooser.setCurrentDirectory(dir.toFile());
        chooser.fileNameTextBox().deleteText().enterText("runs");
        clickUntilClosed(chooser.approveButton());
        Path json = dir.resolve("runs.json");
        eventually(() -> Files.exists(json), exists -> exists);
        JsonNode runs = new ObjectMapper().readTree(json.toFile());
        assertThat(runs).hasSize(3);
        assertThat(runs.get(2).get("mode").asText()).isEqualTo("lockstep");
        assertThat(runs.get(2).get("anomalies").get("overlaps").asLong()).isZero();
        assertThat(runs.get(0).get("anomalies").get("overlaps").asLong()).isPositive();
    }

    @Test
    void everyMeasureExplainsItselfAsTooltipAndLegendAndTheCompareSaysWhereItsSizeComesFrom() {
        pressViewShortcut(View.INTEGRITY);
        JTable table = find("integrity.table", JTable.class);
        String legend = onEdt(() -> find("integrity.legend", javax.swing.JTextArea.class).getText());
        assertThat(IntegrityTableModel.MEASURES).extracting(IntegrityTableModel.Measure::name)
                .contains("Orders", "Events");
        for (int r = 0; r < IntegrityTableModel.MEASURES.size(); r++) {
            IntegrityTableModel.Measure m = IntegrityTableModel.MEASURES.get(r);
            int row = r;
            String tooltip = onEdt(() -> ((javax.swing.JComponent) table.prepareRenderer(table.getCellRenderer(row, 0),
                    row, 0)).getToolTipText());
            assertThat(m.meaning()).as(m.name()).isNotBlank();
            assertThat(tooltip).as(m.name()).isEqualTo(m.meaning());
            assertThat(legend).contains(m.name() + " — " + m.meaning());
        }
        // one definition: the same meanings as the CLI report's
        for (AnomalyKind k : AnomalyKind.values()) {
            assertThat(legend).contains(k.meaning());
        }
        for (RunMeasure k : RunMeasure.values()) {
            assertThat(legend).contains(k.meaning());
        }
        eventually(() -> window.label("integrity.compareSize").target().getText(),
                t -> Pattern.matches("Run compare fires the Burst view's settings .*: [\\d,]+ orders × \\d+ events, "
                        + "seed \\d+ \\(change them in Burst\\).*", t));
    }

    @Test
    void runsKeptFromAnEarlierSessionShowWithTheirSizeAndAreClearedOnlyAfterConfirming() {
        backend.keep(List.of(kept(Mode.UNSAFE, 1_000), kept(Mode.NAIVE_LOCK, 1_000), kept(Mode.LOCKSTEP, 2_000)));
        pressViewShortcut(View.INTEGRITY);
        JTable table = find("integrity.table", JTable.class);
        eventually(() -> row(table, "Orders"), r -> r.equals(List.of("Orders", "1,000", "1,000", "2,000")));
        assertThat(onEdt(() -> find("integrity.empty", javax.swing.JLabel.class).isShowing())).isFalse();
        eventually(() -> find("integrity.runsCaption", javax.swing.JLabel.class).getText(),
                t -> t.contains("different sizes"));

        clickUntil(window.button("integrity.clearRuns"), this::optionPaneShowing);
        clickUntilClosed(window.optionPane(Timeout.timeout(10_000)).noButton());
        assertThat(backend.runs()).hasSize(3);

        clickUntil(window.button("integrity.clearRuns"), this::optionPaneShowing);
        clickUntilClosed(window.optionPane(Timeout.timeout(10_000)).yesButton());
        eventually(() -> backend.runs().isEmpty(), empty -> empty);
        eventually(() -> window.label("integrity.empty").target().isShowing(), shown -> shown);
        window.button("integrity.clearRuns").requireDisabled();
    }

    private static RunResult kept(Mode mode, int orders) {
        AuditReport r = new AuditReport(mode, orders, orders * 4L, orders * 4L, 0, 0, orders * 4L, orders * 4L, 0, 0, 1.0,
                orders * 4.0, AuditReport.AckLatency.NONE, Anomalies.NONE, true);
        return new RunResult(r.withRun(RunIds.next(), "", 0), 42, 1_000 + orders);
    }

    private static List<String> row(JTable table, String measure) {
        for (int r = 0; r < table.getRowCount(); r++) {
            if (table.getValueAt(r, 0).equals(measure)) {
                return List.of(measure, String.valueOf(table.getValueAt(r, 1)), String.valueOf(table.getValueAt(r, 2)),
                        String.valueOf(table.getValueAt(r, 3)));
            }
        }
        throw new AssertionError("no row " + measure);
    }
}
