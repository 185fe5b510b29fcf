package dev.lockstep.console.view;

import static dev.lockstep.console.view.RowTableModel.column;

import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.queue.ParkedLane;
import java.util.concurrent.Callable;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JTable;
import net.miginfocom.swing.MigLayout;

/**
 * The held order locks, live, with a safe "Release"; beside them the parked lanes with "Retry
 * head" and "Skip head". Every action asks first and runs off the EDT.
 */
public final class LocksPanel extends JPanel implements SnapshotView {
    private final ConsoleBackend backend;
    private final BackgroundActions actions;
    private final Runnable afterAction;
    /** A lock held this long is shown as possibly stuck. */
    static final long LONG_HOLD_MILLIS = 5_000;
    private long now = System.currentTimeMillis();

    private final RowTableModel<LeaseInfo> leaseModel = new RowTableModel<>(LeaseInfo::orderId,
            column("Order", String.class, l -> Long.toString(l.orderId())),
            column("Holder", String.class, LeaseInfo::holder),
            column("Fencing token", Long.class, LeaseInfo::token),
            column("Held for", String.class, l -> Format.millis(Math.max(0, now - l.since()))), // read just after "now"
            column("Lease left", String.class, l -> l.deadline() <= now ? "expired" : Format.millis(l.deadline() - now)),
            column("State", String.class, l -> l.stuck(now) ? "stuck" : "running"));
    private final JTable leaseTable = Tables.create("locks.table", leaseModel);
    private final EmptyState leaseEmpty = new EmptyState("locks", Tables.scroll(leaseTable),
            "No held locks — the queue is idle");
    private final JLabel leaseCount = Headers.caption(" ");
    private final JButton release = new JButton("Release…", Icons.get("release"));

    private final RowTableModel<ParkedLane> parkedModel = new RowTableModel<>(ParkedLane::orderId,
            column("Order", String.class, p -> Long.toString(p.orderId())),
            column("Head event", String.class, ParkedLane::effectId),
            column("Tries", Integer.class, ParkedLane::attempts),
            column("Waiting", Long.class, ParkedLane::depth),
            column("Parked", String.class, p -> Format.millis(now - p.parkedAt())),
            column("Last error", String.class, ParkedLane::error));
    private final JTable parkedTable = Tables.create("parked.table", parkedModel);
    private final EmptyState parkedEmpty = new EmptyState("parked", Tables.scroll(parkedTable),
            "No parked lanes — every order is flowing");
    private final JButton retry = new JButton("Retry head", Icons.get("retry"));
    private final JButton skip = new JButton("Skip head…", Icons.get("skip"));
    private final JLabel feedback = new JLabel(" ");

    /**
     * @param afterAction asks for a fresh snapshot after an action, so the tables catch up at once
     */
    public LocksPanel(ConsoleBackend backend, BackgroundActions actions, OrderNavigator navigator, Runnable afterAction) {
        super(new MigLayout(
                "insets 12, gap 10, hidemode 3",              // layout
                "[grow 55, fill]16[grow 45, fill]",           // columns: held locks | parked lanes
                "[][][grow, fill][][]"));                     // rows: title, caption, table, buttons, feedback
        this.backend = backend;
        this.actions = actions;
        this.afterAction = afterAction;
        setName("view.locks");

        add(Headers.titleRow("Held order locks", leaseCount));
        add(Headers.title("Parked lanes"), "wrap");
        add(Headers.caption("A lane's lease: who holds it, its fencing token, how long it has been held."));
        add(Headers.caption("Lanes whose head event failed too often; their later events wait."), "wrap");
        add(leaseEmpty);
        add(parkedEmpty, "wrap");
        JPanel lockButtons = new JPanel(new MigLayout("insets 0, gap 8", "[][grow]", "[]"));
        lockButtons.add(release);
        lockButtons.add(Headers.caption("Bumps the fence and hands the lane back; the old holder's late write is"
                + " rejected."));
        add(lockButtons);
        JPanel parkedButtons = new JPanel(new MigLayout("insets 0, gap 8", "[][][grow]", "[]"));
        parkedButtons.add(retry);
        parkedButtons.add(skip);
        add(parkedButtons, "wrap");
        add(feedback, "span 2");

        release.setName("locks.release");
        retry.setName("parked.retry");
        skip.setName("parked.skip");
        feedback.setName("locks.feedback");
        release.setEnabled(false);
        retry.setEnabled(false);
        skip.setEnabled(false);
        Tables.widths(leaseTable, 90, 160, 100, 90, 90, 70);
        Tables.widths(parkedTable, 55, 170, 45, 60, 80, 280);
        leaseTable.getColumnModel().getColumn(3).setCellRenderer(new HeldForRenderer());
        leaseTable.getColumnModel().getColumn(4).setCellRenderer(new HeldForRenderer());
        leaseTable.getColumnModel().getColumn(5).setCellRenderer(new HeldForRenderer());
        parkedTable.getColumnModel().getColumn(5).setCellRenderer(new TooltipRenderer());
        Tables.opensTimeline(leaseTable, leaseModel, LeaseInfo::orderId, navigator::openTimeline);
        Tables.opensTimeline(parkedTable, parkedModel, ParkedLane::orderId, navigator::openTimeline);
        leaseTable.getSelectionModel().addListSelectionListener(e -> updateButtons());
        parkedTable.getSelectionModel().addListSelectionListener(e -> updateButtons());
        release.addActionListener(e -> releaseSelected());
        retry.addActionListener(e -> retrySelected());
        skip.addActionListener(e -> skipSelected());
    }

    @Override
    public void refresh(ConsoleSnapshot s) {
        now = s.takenAt();
        leaseModel.setRows(s.leases(), leaseTable);
        parkedModel.setRows(s.parked(), parkedTable);
        leaseTable.repaint(); // "held for" moves with time even when the rows do not change
        parkedTable.repaint();
        leaseEmpty.setEmpty(s.leases().isEmpty());
        parkedEmpty.setEmpty(s.parked().isEmpty());
        leaseCount.setText(s.leases().isEmpty() ? " " : Format.count(s.leases().size()) + " held");
        updateButtons();
    }

    /** Right-aligned durations; a lock held longer than {@value #LONG_HOLD_MILLIS} ms is amber: stuck? */
    private final class HeldForRenderer extends javax.swing.table.DefaultTableCellRenderer {
        HeldForRenderer() {
            setHorizontalAlignment(RIGHT);
        }

        @Override
        public java.awt.Component getTableCellRendererComponent(JTable table, Object value, boolean selected,
                                                                boolean focus, int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focus, row, column);
            LeaseInfo lease = leaseModel.row(table.convertRowIndexToModel(row));
            boolean longHeld = now - lease.since() > LONG_HOLD_MILLIS;
            boolean flagged = longHeld && column == 3 || lease.stuck(now) && column == 5;
            if (!selected) {
                setForeground(flagged ? Palette.warn() : table.getForeground());
            }
            setFont(table.getFont().deriveFont(flagged ? java.awt.Font.BOLD : java.awt.Font.PLAIN));
            setToolTipText(longHeld ? "Held for " + Format.millis(now - lease.since())
                    + " — a stuck holder? Release it safely with Release…" : null);
            return this;
        }
    }

    /** Shows the whole text as a tooltip (the last error is often longer than its column). */
    private static final class TooltipRenderer extends javax.swing.table.DefaultTableCellRenderer {
        @Override
        public java.awt.Component getTableCellRendererComponent(JTable table, Object value, boolean selected,
                                                                boolean focus, int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focus, row, column);
            setToolTipText(value == null ? null : value.toString());
            return this;
        }
    }

    private void updateButtons() {
        release.setEnabled(leaseModel.selected(leaseTable) != null);
        boolean parkedSelected = parkedModel.selected(parkedTable) != null;
        retry.setEnabled(parkedSelected);
        skip.setEnabled(parkedSelected);
    }

    private void releaseSelected() {
        LeaseInfo lease = leaseModel.selected(leaseTable);
        if (lease == null) {
            return;
        }
        int answer = JOptionPane.showConfirmDialog(this,
                "<html><b>Release the lock on order " + lease.orderId() + "?</b><br><br>"
                        + "Held by " + lease.holder() + " with fencing token " + lease.token() + ".<br>"
                        + "The fence goes up and the lane goes back to ready; its head event runs again under a new"
                        + " holder.<br>If " + lease.holder() + " writes late, the store rejects it.</html>",
                "Release lock", JOptionPane.YES_NO_OPTION, JOptionPane.WARNING_MESSAGE);
        if (answer != JOptionPane.YES_OPTION) {
            return;
        }
        long orderId = lease.orderId();
        act("release " + orderId, () -> backend.release(orderId), token -> token < 0
                ? "Order " + orderId + " held no lock any more — nothing to release."
                : "Released order " + orderId + ": the fence is now token " + token
                        + "; the old holder's write will be rejected.");
    }

    private void retrySelected() {
        ParkedLane lane = parkedModel.selected(parkedTable);
        if (lane == null) {
            return;
        }
        long orderId = lane.orderId();
        act("retry head of " + orderId, () -> backend.retryHead(orderId), ok -> ok
                ? "Order " + orderId + " is back in the queue: its head event will run again."
                : "Order " + orderId + " is not parked any more.");
    }

    private void skipSelected() {
        ParkedLane lane = parkedModel.selected(parkedTable);
        if (lane == null) {
            return;
        }
        int answer = JOptionPane.showConfirmDialog(this,
                "<html><b>Skip the head event of order " + lane.orderId() + "?</b><br><br>"
                        + lane.effectId() + " will not be applied (the journal records the skip);<br>"
                        + "the order's " + Format.count(Math.max(0, lane.depth() - 1))
                        + " later events go on.</html>",
                "Skip head event", JOptionPane.YES_NO_OPTION, JOptionPane.WARNING_MESSAGE);
        if (answer != JOptionPane.YES_OPTION) {
            return;
        }
        long orderId = lane.orderId();
        act("skip head of " + orderId, () -> backend.skipHead(orderId), ok -> ok
                ? "Skipped the head event of order " + orderId + "; its lane goes on."
                : "Order " + orderId + " is not parked any more.");
    }

    private <T> void act(String what, Callable<T> work, java.util.function.Function<T, String> describe) {
        feedback.setForeground(Palette.muted());
        feedback.setText("Working…");
        actions.run(what, work, result -> {
            feedback.setForeground(javax.swing.UIManager.getColor("Label.foreground"));
            feedback.setText(describe.apply(result));
            afterAction.run();
        }, e -> {
            feedback.setForeground(Palette.bad());
            feedback.setText("Could not " + what + ": " + BackgroundActions.describe(e));
        });
    }
}
