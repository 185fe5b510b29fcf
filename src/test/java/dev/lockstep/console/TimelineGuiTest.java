package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.event.KeyEvent;
import java.util.regex.Pattern;
import javax.swing.JTable;
import org.assertj.swing.fixture.JOptionPaneFixture;
import org.assertj.swing.timing.Timeout;
import org.jfree.chart.ChartPanel;
import org.junit.jupiter.api.Test;

class TimelineGuiTest extends ConsoleGuiTestBase {

    @Test
    void ctrlTOpensAnOrdersTimelineFromAnyView() {
        pressViewShortcut(View.DEDUP);
        pressCtrl(KeyEvent.VK_T);
        JOptionPaneFixture ask = window.optionPane(Timeout.timeout(10_000));
        ask.textBox().enterText("1234");
        clickUntilClosed(ask.okButton());

        eventually(frame::currentView, v -> v == View.TIMELINE);
        window.textBox("timeline.orderId").requireText("1234");
        JTable journal = window.table("timeline.journal").target();
        eventually(journal::getRowCount, n -> n > 0);
        window.label("timeline.summary").requireText(Pattern.compile("Order 1234 in lockstep, run r-\\S+ · 4 events.*"));
        ChartPanel chart = (ChartPanel) window.panel("timeline.chart").target();
        assertThat(onEdt(() -> chart.getChart().getXYPlot().getDataset().getSeriesCount())).isPositive();
    }

    @Test
    void overlappingHandlersInSeedArePlainToSeeAndAbsentInLockstep() {
        pressViewShortcut(View.TIMELINE);
        window.comboBox("timeline.mode").selectItem(1); // seed
        window.textBox("timeline.orderId").enterText("1234");
        clickUntil(window.button("timeline.show"),
                () -> window.label("timeline.overlaps").target().getText().contains("overlap"));

        window.label("timeline.overlaps").requireText(Pattern.compile(".*1 overlap .*same time.*"));
        ChartPanel chart = (ChartPanel) window.panel("timeline.chart").target();
        String firstSeries = onEdt(() -> String.valueOf(chart.getChart().getXYPlot().getDataset().getSeriesKey(0)));
        assertThat(firstSeries).isEqualTo("Overlapping handler");

        window.comboBox("timeline.mode").selectItem(2); // lockstep
        eventually(() -> window.label("timeline.overlaps").target().getText(), t -> t.contains("No overlaps"));
        window.label("timeline.summary").requireText(Pattern.compile("Order 1234 in lockstep.*"));
    }

    @Test
    void twoRunsOfOneOrderAreShownApartAndTheSummaryCountsTheChosenRunOnly() {
        pressViewShortcut(View.TIMELINE);
        window.comboBox("timeline.mode").selectItem(2); // lockstep
        window.textBox("timeline.orderId").enterText(Long.toString(FakeConsoleBackend.TWO_RUN_ORDER));
        clickUntil(window.button("timeline.show"),
                () -> window.label("timeline.summary").target().getText().contains("run "));

        // the latest run by default: its two events alone, with the store's state
        window.label("timeline.summary").requireText(Pattern.compile("Order 1000025 in lockstep, run "
                + FakeConsoleBackend.LATEST_RUN + " \\(1 of 2 runs, newest first\\) · 2 events · 2 applied · .*"
                + "stored state [A-Z]+"));
        window.comboBox("timeline.run").requireItemCount(2).requireSelection(FakeConsoleBackend.LATEST_RUN + " (latest)")
                .requireEnabled();
        JTable journal = window.table("timeline.journal").target();
        eventually(journal::getRowCount, n -> n == 5); // 2 ingest + 1 duplicate + 2 outcomes

        window.comboBox("timeline.run").selectItem(FakeConsoleBackend.OLDER_RUN);
        eventually(() -> window.label("timeline.summary").target().getText(),
                t -> t.contains(FakeConsoleBackend.OLDER_RUN));
        window.label("timeline.summary").requireText(Pattern.compile("Order 1000025 in lockstep, run "
                + FakeConsoleBackend.OLDER_RUN + " \\(2 of 2 runs, newest first\\) · 4 events · 4 applied · .*"
                + "stored state not kept for an older run.*"));
        eventually(journal::getRowCount, n -> n == 9); // 4 ingest + 1 duplicate + 4 outcomes
        ChartPanel chart = (ChartPanel) window.panel("timeline.chart").target();
        double span = onEdt(() -> chart.getChart().getXYPlot().getRangeAxis().getUpperBound());
        assertThat(span).isLessThan(1_000); // one run's milliseconds, not both runs on one 193,000 ms axis

        // the reloads (about once a second) keep the chosen run
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(2500)).atMost(PATIENCE)
                .until(() -> onEdt(() -> window.label("timeline.summary").target().getText())
                        .contains(FakeConsoleBackend.OLDER_RUN));
    }

    @Test
    void ctrlTWithSomethingThatIsNotAnOrderIdSaysSoAndStaysPut() {
        pressViewShortcut(View.LOCKS);
        pressCtrl(KeyEvent.VK_T);
        JOptionPaneFixture ask = window.optionPane(Timeout.timeout(10_000));
        ask.textBox().enterText("-3");
        clickUntilClosed(ask.okButton());

        JOptionPaneFixture error = window.optionPane(Timeout.timeout(10_000));
        error.requireErrorMessage().requireMessage(Pattern.compile(".*positive whole number.*\"-3\".*"));
        assertThat(onEdt(frame::currentView)).isEqualTo(View.LOCKS);
        clickUntilClosed(error.okButton());
        eventually(frame::currentView, v -> v == View.LOCKS);
    }

    @Test
    void aTypedOrderIdThatIsNotANumberIsExplained() {
        pressViewShortcut(View.TIMELINE);
        window.textBox("timeline.orderId").enterText("abc");
        clickUntil(window.button("timeline.show"), () -> !window.label("timeline.error").target().getText().isBlank());

        window.label("timeline.error").requireText(Pattern.compile(".*positive whole number.*\"abc\".*"));
        window.label("timeline.empty").requireVisible();
    }
}
