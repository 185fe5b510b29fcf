package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.LiveConsoleBackend;
import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.swing.JLabel;
import javax.swing.JTable;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.fixture.JOptionPaneFixture;
import org.jfree.chart.ChartPanel;
import org.jfree.data.time.TimeSeriesCollection;
import org.junit.jupiter.api.Test;

/**
 * The console's must-show scenarios on the real stack: a {@link LiveConsoleBackend} with its own
 * lockstep workers and webhook ingest on the test Redis and MongoDB, driven through the window.
 */
class RealStackGuiTest extends ConsoleGuiTestBase {
    private static final Duration SLOW = Duration.ofSeconds(90);

    @Override
    protected ConsoleBackend createBackend() {
        // a long lease, so a paused holder stays held until the test releases it
        return new LiveConsoleBackend(LockstepRuntime.start(TestServers.get().config(Map.of("lease.ms", "30000",
                "worker.threads", "4"))), true);
    }

    @Test
    void aBurstFromTheBurstViewMovesTheDepthChartAndCounters() {
        pressViewShortcut(View.BURST);
        window.spinner("burst.orders").enterTextAndCommit("1500");
        window.comboBox("burst.mode").selectItem(2); // lockstep
        window.button("burst.start").click();
        pressViewShortcut(View.OVERVIEW);

        JLabel applied = window.label("overview.counter.applied").target();
        long first = eventuallySlow(() -> number(applied.getText()), n -> n > 0);
        eventuallySlow(() -> number(applied.getText()), n -> n > first);
        ChartPanel depth = (ChartPanel) window.panel("overview.depthChart").target();
        eventuallySlow(() -> maxOfSeries(depth, 0), max -> max > 0);

        eventuallySlow(() -> console.runProgress(), p -> !p.running() && p.steps() == 1);
        assertThat(console.runs()).singleElement().satisfies(r -> {
            assertThat(r.report().integrity()).isTrue();
            assertThat(r.report().handled()).isEqualTo(r.report().accepted());
        });
    }

    @Test
    void releasingAHeldLockRemovesItAndTheHoldersLateWriteIsRejectedInItsTimeline() {
        pressViewShortcut(View.BURST);
        window.spinner("burst.orders").enterTextAndCommit("300");
        window.comboBox("burst.mode").selectItem(2); // lockstep
        window.checkBox("burst.pausedHolder").check();
        window.button("burst.start").click();

        // a paused holder: a lease held for a while, not renewed, not completing
        LeaseInfo stuck = await(() -> console.leases(100).stream()
                .filter(l -> System.currentTimeMillis() - l.since() > 2000).findFirst().orElse(null));
        String order = Long.toString(stuck.orderId());
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventuallySlow(() -> column(locks, 0), orders -> orders.contains(order));
        int row = onEdt(() -> column(locks, 0).indexOf(order));
        window.table("locks.table").cell(TableCell.row(row).column(1)).click();
        eventuallySlow(() -> locks.getSelectedRow() >= 0 && locks.getValueAt(locks.getSelectedRow(), 0).equals(order),
                selected -> selected);
        window.button("locks.release").requireEnabled().click();
        JOptionPaneFixture confirm = window.optionPane(org.assertj.swing.timing.Timeout.timeout(10_000));
        confirm.label("release.question").requireText(Pattern.compile("(?s).*order " + order + "\\?.*"));
        clickUntilClosed(confirm.yesButton());

        eventuallySlow(() -> console.leases(100).stream().noneMatch(l -> l.orderId() == stuck.orderId()
                && l.token() == stuck.token()), gone -> gone);
        eventuallySlow(() -> column(locks, 0).contains(order) ? tokenOf(locks, order) : -1L,
                token -> token != stuck.token());

        window.tabbedPane("nav.tabs").selectTab("Timeline");
        window.comboBox("timeline.mode").selectItem(2); // lockstep
        window.textBox("timeline.orderId").deleteText().enterText(order);
        window.button("timeline.show").click();
        JTable journal = window.table("timeline.journal").target();
        org.awaitility.Awaitility.await().atMost(SLOW).pollInterval(Duration.ofSeconds(1)).until(() -> {
            window.button("timeline.show").click(); // re-reads the journal
            return onEdt(() -> stages(journal));
        }, stages -> stages.contains("RELEASED") && stages.contains("REJECTED"));
        // the audit trail: the release names who took it (this process's OS user on this host)
        List<String> releasedBy = onEdt(() -> {
            int operatorColumn = journal.getColumnModel().getColumnIndex("Operator");
            List<String> out = new ArrayList<>();
            for (int r = 0; r < journal.getRowCount(); r++) {
                if ("RELEASED".equals(String.valueOf(journal.getValueAt(r, 2)))) {
                    out.add(String.valueOf(journal.getValueAt(r, operatorColumn)));
                }
            }
            return out;
        });
        assertThat(releasedBy).contains(dev.lockstep.mode.LockstepAdmin.operatorHere());
    }

    @Test
    void afterACompareTheIntegrityViewShowsTheThreeModes() {
        pressViewShortcut(View.BURST);
        window.spinner("burst.orders").enterTextAndCommit("300");
        pressViewShortcut(View.INTEGRITY);
        window.button("integrity.runCompare").click();
        JTable table = find("integrity.table", JTable.class);
        eventuallySlow(() -> console.runs().size(), n -> n == 3);
        eventuallySlow(() -> row(table, "Integrity"), r -> !r.get(3).equals("—"));
        assertThat(onEdt(() -> List.of(table.getColumnName(1), table.getColumnName(2), table.getColumnName(3))))
                .containsExactly("unsafe", "naive-lock", "lockstep");
        assertThat(onEdt(() -> row(table, "Integrity")).get(3)).isEqualTo("✓ intact");
        assertThat(onEdt(() -> row(table, "Integrity")).get(1)).isEqualTo("✗ broken");
    }

    private static <T> T eventuallySlow(java.util.concurrent.Callable<T> read, java.util.function.Predicate<T> until) {
        return org.awaitility.Awaitility.await().atMost(SLOW)
                .until(() -> org.assertj.swing.edt.GuiActionRunner.execute(read), until::test);
    }

    private static <T> T await(java.util.concurrent.Callable<T> read) {
        return org.awaitility.Awaitility.await().atMost(SLOW).until(read, v -> v != null);
    }

    private static long tokenOf(JTable locks, String order) {
        for (int r = 0; r < locks.getRowCount(); r++) {
            if (String.valueOf(locks.getValueAt(r, 0)).equals(order)) {
                return number(String.valueOf(locks.getValueAt(r, 3)));
            }
        }
        return -1;
    }

    private static List<String> column(JTable table, int column) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < table.getRowCount(); r++) {
            out.add(String.valueOf(table.getValueAt(r, column)));
        }
        return out;
    }

    private static List<String> stages(JTable journal) {
        return column(journal, 2);
    }

    private static List<String> row(JTable table, String measure) {
        for (int r = 0; r < table.getRowCount(); r++) {
            if (String.valueOf(table.getValueAt(r, 0)).equals(measure)) {
                List<String> out = new ArrayList<>();
                for (int c = 0; c < table.getColumnCount(); c++) {
                    out.add(String.valueOf(table.getValueAt(r, c)));
                }
                return out;
            }
        }
        return List.of();
    }

    private static double maxOfSeries(ChartPanel panel, int series) {
        TimeSeriesCollection data = (TimeSeriesCollection) panel.getChart().getXYPlot().getDataset();
        double max = 0;
        for (int i = 0; i < data.getItemCount(series); i++) {
            max = Math.max(max, data.getYValue(series, i));
        }
        return max;
    }
}
