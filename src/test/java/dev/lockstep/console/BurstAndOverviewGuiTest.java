package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.console.backend.RunProgress;
import javax.swing.JLabel;
import javax.swing.JProgressBar;
import org.jfree.chart.ChartPanel;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.time.TimeSeriesCollection;
import org.junit.jupiter.api.Test;

class BurstAndOverviewGuiTest extends ConsoleGuiTestBase {

    @Test
    void aBurstStartedFromTheBurstViewMovesTheDepthChartAndTheCounters() {
        pressViewShortcut(View.BURST);
        window.spinner("burst.orders").enterTextAndCommit("30000");
        window.comboBox("burst.mode").selectItem(1); // seed
        clickUntil(window.button("burst.start"), () -> backend.runProgress().running());

        JProgressBar progress = window.progressBar("burst.progress").target();
        eventually(progress::getValue, v -> v > 0);
        pressViewShortcut(View.OVERVIEW);

        JLabel applied = window.label("overview.counter.applied").target();
        long first = eventually(() -> number(applied.getText()), n -> n > 0);
        eventually(() -> number(applied.getText()), n -> n > first);

        ChartPanel depth = (ChartPanel) window.panel("overview.depthChart").target();
        double peakWaiting = eventually(() -> maxOfSeries(depth, 0), max -> max > 0);
        assertThat(peakWaiting).isPositive();

        // the run ends, its audited result is in the report and the Burst view shows it
        eventually(() -> backend.runProgress(), p -> !p.running() && p.steps() == 1);
        pressViewShortcut(View.BURST);
        window.label("burst.result").requireText(java.util.regex.Pattern.compile("(?s).*seed.*Anomalies.*"));
        window.button("burst.start").requireEnabled();
        window.button("burst.stop").requireDisabled();
        assertThat(backend.runs()).singleElement().satisfies(r -> assertThat(r.report().orders()).isEqualTo(30000));

        // duplicates of the burst showed up in the Dedup view
        pressViewShortcut(View.DEDUP);
        eventually(() -> number(window.label("dedup.total").target().getText()), n -> n > 0);
        assertThat(onEdt(() -> window.table("dedup.table").target().getRowCount())).isPositive();
    }

    @Test
    void aBadSeedIsExplainedAndStartsNothing() {
        pressViewShortcut(View.BURST);
        window.textBox("burst.seed").deleteText().enterText("forty-two");
        clickUntil(window.button("burst.start"), () -> !window.label("burst.error").target().getText().isBlank());

        window.label("burst.error").requireText(java.util.regex.Pattern.compile(".*seed must be a whole number.*"));
        assertThat(backend.runProgress()).isEqualTo(RunProgress.IDLE);
        assertThat(backend.runs()).isEmpty();
    }

    @Test
    void stopEndsARunningBurst() {
        pressViewShortcut(View.BURST);
        window.spinner("burst.orders").enterTextAndCommit("200000");
        clickUntil(window.button("burst.start"), () -> backend.runProgress().running());
        eventually(() -> window.button("burst.stop").target().isEnabled(), enabled -> enabled);
        clickUntil(window.button("burst.stop"), () -> !backend.runProgress().running());
        eventually(() -> window.button("burst.start").target().isEnabled(), enabled -> enabled);
        assertThat(backend.runProgress().phase()).isEqualTo(dev.lockstep.runtime.BurstRun.Phase.STOPPED);
    }

    private static double maxOfSeries(ChartPanel panel, int series) {
        XYPlot plot = panel.getChart().getXYPlot();
        TimeSeriesCollection data = (TimeSeriesCollection) plot.getDataset();
        double max = 0;
        for (int i = 0; i < data.getItemCount(series); i++) {
            max = Math.max(max, data.getYValue(series, i));
        }
        return max;
    }
}
