package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.util.ArrayList;
import java.util.List;
import javax.swing.JLabel;
import javax.swing.JTable;
import org.assertj.swing.data.TableCell;
import org.junit.jupiter.api.Test;

/**
 * The Workers view on the fake backend (docs/DESIGN.md, "The fleet"): the processes listed live with
 * this console's own row marked, one whose heartbeat lapses leaves the table (and its leases show
 * "(gone)" in Locks), the empty state's start command, and the Locks view's link from a lease to its
 * process.
 */
class WorkersGuiTest extends ConsoleGuiTestBase {
    private static final String STUCK = Long.toString(FakeConsoleBackend.STUCK_ORDER);

    @Test
    void listsTheProcessesWithThisConsolesOwnRowMarked() {
        pressViewShortcut(View.WORKERS);
        JTable table = window.table("workers.table").target();
        eventually(() -> column(table, 0), ids -> ids.equals(List.of(FakeConsoleBackend.SELF_PROCESS,
                FakeConsoleBackend.STUCK_PROCESS)));
        assertThat(onEdt(() -> column(table, 1))).containsExactly("console", "worker");
        assertThat(onEdt(() -> column(table, 3))).containsExactly("4101", "4102");
        assertThat(onEdt(() -> column(table, 12))).containsExactly("http://127.0.0.1:8088", "—");
        assertThat(onEdt(() -> rendered(table, 0, 0))).endsWith("(this console)");
        assertThat(onEdt(() -> rendered(table, 1, 0))).isEqualTo(FakeConsoleBackend.STUCK_PROCESS);
        assertThat(onEdt(() -> column(table, 11))).allSatisfy(age -> assertThat(age).matches("\\d+ ms ago|\\d\\.\\d s ago"));
        window.label("workers.count").requireText(java.util.regex.Pattern.compile("2 processes · 16 threads · .*"));
    }

    @Test
    void aProcessWhoseHeartbeatLapsesLeavesTheTableAndItsLeaseShowsGoneInLocks() {
        pressViewShortcut(View.WORKERS);
        JTable table = window.table("workers.table").target();
        eventually(() -> column(table, 0), ids -> ids.contains(FakeConsoleBackend.STUCK_PROCESS));

        backend.removeWorker(FakeConsoleBackend.STUCK_PROCESS);

        eventually(() -> column(table, 0), ids -> ids.equals(List.of(FakeConsoleBackend.SELF_PROCESS)));
        window.label("workers.count").requireText(java.util.regex.Pattern.compile("1 process · .*"));
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventually(() -> processOf(locks, STUCK), p -> p.equals(FakeConsoleBackend.STUCK_PROCESS + " (gone)"));
    }

    @Test
    void withNoProcessItSaysHowToStartOneOnTheseServersAndCopiesTheCommand() throws Exception {
        backend.clearWorkers();
        pressViewShortcut(View.WORKERS);
        window.panel("workers.empty").requireVisible();
        eventually(() -> window.textBox("workers.startCommand").target().getText(),
                FakeConsoleBackend.START_COMMAND::equals);
        assertThat(onEdt(() -> find("workers.serversHint", JLabel.class).getText())).contains("servers --data-dir")
                .contains("--redis-uri").contains("--mongo-uri");
        JLabel copied = window.label("workers.copied").target();
        clickUntil(window.button("workers.copy"), () -> !copied.getText().isBlank());

        window.label("workers.copied").requireText("Copied — put the password back where *** stands.");
        assertThat(onEdt(() -> Toolkit.getDefaultToolkit().getSystemClipboard().getData(DataFlavor.stringFlavor)))
                .isEqualTo(FakeConsoleBackend.START_COMMAND);
    }

    @Test
    void aLeasesProcessOpensTheWorkersViewWithThatProcessSelected() {
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventually(() -> processOf(locks, STUCK), FakeConsoleBackend.STUCK_PROCESS::equals);
        window.button("locks.showProcess").requireDisabled();
        selectOrder(locks, STUCK);
        clickUntil(window.button("locks.showProcess"), () -> frame.currentView() == View.WORKERS);

        JTable workers = window.table("workers.table").target();
        assertThat(onEdt(() -> selectedId(workers))).isEqualTo(FakeConsoleBackend.STUCK_PROCESS);

        // the same by a double-click on the lease's Process cell
        onEdt(() -> {
            workers.clearSelection();
            return null;
        });
        pressViewShortcut(View.LOCKS);
        org.awaitility.Awaitility.await().atMost(PATIENCE).pollDelay(java.time.Duration.ZERO)
                .pollInterval(java.time.Duration.ofSeconds(1)).until(() -> {
                    int row = onEdt(() -> column(locks, 0).indexOf(STUCK));
                    window.table("locks.table").cell(TableCell.row(row).column(2)).doubleClick();
                    return onEdt(frame::currentView) == View.WORKERS;
                });
        assertThat(onEdt(() -> selectedId(workers))).isEqualTo(FakeConsoleBackend.STUCK_PROCESS);
    }

    @Test
    void aLinkToAProcessThatIsGoneSaysSo() {
        backend.removeWorker(FakeConsoleBackend.STUCK_PROCESS);
        pressViewShortcut(View.LOCKS);
        JTable locks = window.table("locks.table").target();
        eventually(() -> processOf(locks, STUCK), p -> p.endsWith("(gone)"));
        selectOrder(locks, STUCK);
        clickUntil(window.button("locks.showProcess"), () -> frame.currentView() == View.WORKERS);

        assertThat(onEdt(() -> selectedId(find("workers.table", JTable.class)))).isNull();
        window.label("workers.feedback").requireText(java.util.regex.Pattern.compile(
                "Process " + FakeConsoleBackend.STUCK_PROCESS + " is not in the registry.*"));
    }

    private void selectOrder(JTable locks, String orderId) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).pollDelay(java.time.Duration.ZERO)
                .pollInterval(java.time.Duration.ofSeconds(1)).until(() -> {
                    int row = onEdt(() -> column(locks, 0).indexOf(orderId));
                    window.table("locks.table").cell(TableCell.row(row).column(1)).click();
                    return onEdt(() -> locks.getSelectedRow() >= 0
                            && locks.getValueAt(locks.getSelectedRow(), 0).equals(orderId));
                });
    }

    private static String processOf(JTable locks, String order) {
        int row = column(locks, 0).indexOf(order);
        return row < 0 ? "" : String.valueOf(locks.getValueAt(row, locks.getColumnModel().getColumnIndex("Process")));
    }

    private static String selectedId(JTable workers) {
        int row = workers.getSelectedRow();
        return row < 0 ? null : String.valueOf(workers.getValueAt(row, 0));
    }

    /** The text the cell's renderer shows. */
    private static String rendered(JTable table, int row, int column) {
        return ((JLabel) table.prepareRenderer(table.getCellRenderer(row, column), row, column)).getText();
    }

    private static List<String> column(JTable table, int column) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < table.getRowCount(); r++) {
            out.add(String.valueOf(table.getValueAt(r, column)));
        }
        return out;
    }
}
