package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.swing.JLabel;
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
        assertThat(onEdt(() -> String.valueOf(locks.getValueAt(stuckRow, 6)))).isEqualTo("stuck");
        assertThat(onEdt(() -> column(locks, 6))).isSubsetOf("stuck", "running");
        window.button("locks.release").requireDisabled();

        selectOrder(STUCK);
        window.button("locks.release").requireEnabled();
        clickUntil(window.button("locks.release"), this::optionPaneShowing);
        JOptionPaneFixture confirm = window.optionPane(org.assertj.swing.timing.Timeout.timeout(10_000));
        confirm.requireWarningMessage();
        confirm.label("release.question").requireText(Pattern.compile("(?s).*order " + STUCK + "\\?.*token "
                + FakeConsoleBackend.STUCK_TOKEN + ".*"));
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

    /** The reason to release is a stuck lock: it is listed first, however many fresh locks a burst holds. */
    @Test
    void stuckLocksAreListedFirstAmongABurstsFreshLocks() {
        // big enough to keep the simulated workers busy for the whole test
        backend.startBurst(new dev.lockstep.console.backend.BurstRequest(1_000_000, 4, 0.1, 0.1, 64,
                dev.lockstep.pipeline.Mode.LOCKSTEP, dev.lockstep.console.backend.Transport.DIRECT, 42, false));
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventually(() -> column(locks, 0), orders -> orders.size() > 2);
        List<List<String>> read = onEdt(() -> List.of(column(locks, 0), column(locks, 6))); // one reading
        List<String> orders = read.get(0);
        List<String> states = read.get(1);
        assertThat(orders.get(0)).isEqualTo(STUCK);
        assertThat(states.get(0)).isEqualTo("stuck");
        assertThat(states.subList(1, states.size())).containsOnly("running");
        assertThat(onEdt(() -> column(locks, 4))).allSatisfy(heldFor -> assertThat(heldFor)
                .matches("\\d+ ms|\\d+\\.\\d s|\\d+ min \\d\\d s"));
        window.label("locks.count").requireText(Pattern.compile(".*held · 1 stuck.*"));
    }

    /** The dialog's "lease left" moves while it is open: it is read from every snapshot, not once. */
    @Test
    void theReleaseDialogShowsTheLeaseLeftLive() {
        JOptionPaneFixture confirm = openReleaseDialogOnTheStuckLock();
        JLabel leaseLeft = confirm.label("release.leaseLeft").target();
        List<String> seen = new ArrayList<>();
        eventually(() -> {
            String text = leaseLeft.getText();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(text)) {
                seen.add(text);
            }
            return seen;
        }, texts -> texts.size() >= 3);
        assertThat(seen).allSatisfy(t -> assertThat(t).matches("Lease left \\d(\\.\\d)? s \\(held for .+\\)\\."));
        clickUntilClosed(confirm.noButton());
    }

    /** The lease lapses while the dialog is open: the dialog says so, and Yes releases nothing, plainly. */
    @Test
    void aLockTheReaperRecoveredWhileTheDialogWasOpenIsReportedAsNothingToRelease() {
        JOptionPaneFixture confirm = openReleaseDialogOnTheStuckLock();
        JLabel leaseLeft = confirm.label("release.leaseLeft").target();
        backend.lapseStuckLease();
        eventually(leaseLeft::getText, t -> t.startsWith("The lease on order " + STUCK + " expired and the reaper"
                + " recovered the lane at ") && t.endsWith(" — nothing to release."));
        clickUntilClosed(confirm.yesButton());

        eventually(() -> window.label("locks.feedback").target().getText(), t -> t.matches(
                "The lease on order " + STUCK + " expired and the reaper recovered the lane at"
                        + " \\d\\d:\\d\\d:\\d\\d\\.\\d{3} — nothing to release\\."));
        assertThat(backend.counters().staleWritesRejected()).as("nothing was released").isZero();
    }

    /** A selected lock that goes away is reported, not silently dropped from the selection. */
    @Test
    void aSelectedLockThatGoesAwayIsReported() {
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventually(() -> column(locks, 0), orders -> orders.contains(STUCK));
        selectOrder(STUCK);
        backend.lapseStuckLease();
        eventually(() -> window.label("locks.feedback").target().getText(), t -> t.matches(
                "The lease on order " + STUCK + " expired at [0-9:.]+ and the reaper recovered the lane at [0-9:.]+\\."));
        window.button("locks.release").requireDisabled();
    }

    @Test
    void pausingALaneShowsItPausedAndResumingLetsItRun() {
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventually(() -> column(locks, 0), orders -> orders.contains(STUCK));
        selectOrder(STUCK);
        window.button("locks.resume").requireDisabled();
        clickUntil(window.button("locks.pause"), () -> !backend.paused(10).isEmpty());
        eventually(() -> stateOf(locks, STUCK), "paused"::equals);
        eventually(() -> window.label("locks.feedback").target().getText(),
                t -> t.startsWith("Paused order " + STUCK + "'s lane at ") && t.contains(FakeConsoleBackend.STUCK_HOLDER));
        window.button("locks.pause").requireDisabled();
        // the selection stayed on the order through the refreshes
        assertThat(onEdt(() -> String.valueOf(locks.getValueAt(locks.getSelectedRow(), 0)))).isEqualTo(STUCK);

        clickUntil(window.button("locks.resume"), () -> backend.paused(10).isEmpty());
        eventually(() -> stateOf(locks, STUCK), "stuck"::equals);
        eventually(() -> window.label("locks.feedback").target().getText(),
                t -> t.equals("Resumed order " + STUCK + "'s lane: it is claimed again."));
    }

    private JOptionPaneFixture openReleaseDialogOnTheStuckLock() {
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventually(() -> column(locks, 0), orders -> orders.contains(STUCK));
        selectOrder(STUCK);
        clickUntil(window.button("locks.release"), this::optionPaneShowing);
        return window.optionPane(org.assertj.swing.timing.Timeout.timeout(10_000));
    }

    private static String stateOf(JTable locks, String orderId) {
        int row = column(locks, 0).indexOf(orderId);
        return row < 0 ? "" : String.valueOf(locks.getValueAt(row, 6));
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
