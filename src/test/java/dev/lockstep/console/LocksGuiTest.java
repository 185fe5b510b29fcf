package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.swing.JTable;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.fixture.JOptionPaneFixture;
import org.junit.jupiter.api.Test;

class LocksGuiTest extends ConsoleGuiTestBase {
    private static final String STUCK = Long.toString(FakeConsoleBackend.STUCK_ORDER);

    @Test
    void releasingAHeldLockRemovesItAndTheHoldersLateWriteIsRejectedInTheTimeline() {
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventually(() -> column(locks, 0), orders -> orders.contains(STUCK));
        // held 47 s on a 10 s lease: past three leases, so the view calls it stuck; fresh locks run
        int stuckRow = onEdt(() -> column(locks, 0).indexOf(STUCK));
        assertThat(onEdt(() -> String.valueOf(locks.getValueAt(stuckRow, 5)))).isEqualTo("stuck");
        assertThat(onEdt(() -> column(locks, 5))).isSubsetOf("stuck", "running");
        window.button("locks.release").requireDisabled();

        selectOrder(STUCK);
        window.button("locks.release").requireEnabled();
        clickUntil(window.button("locks.release"), this::optionPaneShowing);
        JOptionPaneFixture confirm = window.optionPane(org.assertj.swing.timing.Timeout.timeout(10_000));
        confirm.requireWarningMessage().requireMessage(Pattern.compile("(?s).*order " + STUCK + ".*"));
        clickUntilClosed(confirm.yesButton());

        eventually(() -> column(locks, 0), orders -> !orders.contains(STUCK));
        window.label("locks.feedback").requireText(Pattern.compile(".*Released order " + STUCK + ".*token 8.*"));
        window.label("locks.empty").requireVisible().requireText("No held locks — the queue is idle");

        // open the order's timeline: the Timeline tab, its order id typed in
        window.tabbedPane("nav.tabs").selectTab("Timeline");
        window.comboBox("timeline.mode").selectItem(2); // lockstep
        window.textBox("timeline.orderId").enterText(STUCK);
        clickUntil(window.button("timeline.show"),
                () -> window.label("timeline.summary").target().getText().contains("Order " + STUCK));

        eventually(frame::currentView, v -> v == View.TIMELINE);
        JTable journal = window.table("timeline.journal").target();
        eventually(() -> rowsWithStage(journal, "REJECTED"), rows -> !rows.isEmpty());
        List<String> rejected = onEdt(() -> rowsWithStage(journal, "REJECTED")).get(0);
        assertThat(rejected).contains(FakeConsoleBackend.STUCK_HOLDER, Long.toString(FakeConsoleBackend.STUCK_TOKEN));
        window.label("timeline.summary").requireText(Pattern.compile(".*1 stale write rejected by the fence.*"));
        window.label("timeline.overlaps").requireText(Pattern.compile(".*No overlaps.*"));
    }

    @Test
    void answeringNoReleasesNothing() {
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventually(() -> column(locks, 0), orders -> orders.contains(STUCK));
        selectOrder(STUCK);
        clickUntil(window.button("locks.release"), this::optionPaneShowing);
        clickUntilClosed(window.optionPane(org.assertj.swing.timing.Timeout.timeout(10_000)).noButton());

        assertThat(backend.leases(10)).extracting(l -> l.orderId()).contains(FakeConsoleBackend.STUCK_ORDER);
        assertThat(onEdt(() -> column(locks, 0))).contains(STUCK);
    }

    @Test
    void retryingAParkedLaneEmptiesTheParkedList() {
        pressViewShortcut(View.LOCKS);
        JTable parked = window.table("parked.table").target();
        eventually(() -> column(parked, 0), orders -> orders.contains("777"));
        window.button("parked.retry").requireDisabled();
        clickRowUntilSelected("parked.table", parked);
        window.button("parked.retry").requireEnabled();
        clickUntil(window.button("parked.retry"), () -> backend.parked(10).isEmpty());

        eventually(() -> window.label("locks.feedback").target().getText(),
                t -> t.contains("Order 777 is back in the queue"));
        eventually(parked::getRowCount, n -> n == 0);
        window.label("parked.empty").requireVisible();
        assertThat(backend.parked(10)).isEmpty();
    }

    @Test
    void skippingAParkedHeadAsksFirstThenResumesTheLane() {
        pressViewShortcut(View.LOCKS);
        JTable parked = window.table("parked.table").target();
        eventually(() -> column(parked, 0), orders -> orders.contains("777"));
        clickRowUntilSelected("parked.table", parked);
        clickUntil(window.button("parked.skip"), this::optionPaneShowing);
        JOptionPaneFixture confirm = window.optionPane(org.assertj.swing.timing.Timeout.timeout(10_000));
        confirm.requireMessage(Pattern.compile("(?s).*orders/paid#evt-777-2.*2 later events.*"));
        clickUntilClosed(confirm.yesButton());

        eventually(() -> window.label("locks.feedback").target().getText(),
                t -> t.startsWith("Skipped the head event of order 777"));
        eventually(parked::getRowCount, n -> n == 0);
    }

    @Test
    void doubleClickingALockOpensItsTimeline() {
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventually(() -> column(locks, 0), orders -> orders.contains(STUCK));
        org.awaitility.Awaitility.await().atMost(PATIENCE).pollDelay(java.time.Duration.ZERO)
                .pollInterval(java.time.Duration.ofSeconds(1)).until(() -> {
                    int row = onEdt(() -> column(locks, 0).indexOf(STUCK));
                    window.table("locks.table").cell(TableCell.row(row).column(0)).doubleClick();
                    return onEdt(frame::currentView) == View.TIMELINE;
                });
        window.textBox("timeline.orderId").requireText(STUCK);
        eventually(() -> window.table("timeline.journal").target().getRowCount(), n -> n > 0);
        // the paused holder still runs: both events enqueued, only the first has an outcome, nothing rejected yet
        assertThat(onEdt(() -> rowsWithStage(window.table("timeline.journal").target(), "ENQUEUED"))).hasSize(2);
        assertThat(onEdt(() -> rowsWithStage(window.table("timeline.journal").target(), "APPLIED"))).hasSize(1);
        assertThat(onEdt(() -> rowsWithStage(window.table("timeline.journal").target(), "REJECTED"))).isEmpty();
    }

    private void clickRowUntilSelected(String name, JTable table) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).pollDelay(java.time.Duration.ZERO)
                .pollInterval(java.time.Duration.ofSeconds(1)).until(() -> {
                    window.table(name).cell(TableCell.row(0).column(1)).click();
                    return onEdt(() -> table.getSelectedRow() == 0);
                });
    }

    private void selectOrder(String orderId) {
        JTable locks = window.table("locks.table").target();
        org.awaitility.Awaitility.await().atMost(PATIENCE).pollDelay(java.time.Duration.ZERO)
                .pollInterval(java.time.Duration.ofSeconds(1)).until(() -> {
                    int row = onEdt(() -> column(locks, 0).indexOf(orderId));
                    window.table("locks.table").cell(TableCell.row(row).column(1)).click();
                    return onEdt(() -> locks.getSelectedRow() >= 0
                            && locks.getValueAt(locks.getSelectedRow(), 0).equals(orderId));
                });
    }

    private static List<String> column(JTable table, int column) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < table.getRowCount(); r++) {
            out.add(String.valueOf(table.getValueAt(r, column)));
        }
        return out;
    }

    private static List<List<String>> rowsWithStage(JTable journal, String stage) {
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < journal.getRowCount(); r++) {
            if (String.valueOf(journal.getValueAt(r, 2)).equals(stage)) {
                List<String> row = new ArrayList<>();
                for (int c = 0; c < journal.getColumnCount(); c++) {
                    row.add(String.valueOf(journal.getValueAt(r, c)));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
