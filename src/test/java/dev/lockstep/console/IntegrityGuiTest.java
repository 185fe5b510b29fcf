package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.swing.JTable;
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
                .containsExactly("unsafe", "seed", "lockstep");
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
                .containsExactly("unsafe", "seed", "lockstep");
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
