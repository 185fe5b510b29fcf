package dev.lockstep.console.view;

import static dev.lockstep.console.view.RowTableModel.column;

import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import dev.lockstep.fleet.WorkerInfo;
import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.queue.ParkedLane;
import dev.lockstep.queue.PausedLane;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JTable;
import net.miginfocom.swing.MigLayout;

/**
 * The order locks an operator acts on: stuck ones first, with a live "lease left", a safe
 * "Release…" and "Pause lane" / "Resume lane"; beside them the parked lanes with "Retry head" and
 * "Skip head…". The selection follows its order across refreshes, and a lock that goes away while
 * selected (or while the release dialog is open) is reported, not silently dropped. Every action
 * runs off the EDT; the destructive ones ask first. Each lease names its process (the worker id its
 * holder's name starts with, docs/DESIGN.md, "The fleet"), "(gone)" once that process is not in the
 * registry; "Show process" (or a double-click on that cell) opens it in the Workers view.
 */
public final class LocksPanel extends JPanel implements SnapshotView {
    /**
     * A lock held this long is stuck even before {@link LeaseInfo#STUCK_AFTER_LEASES} lease lengths:
     * a normal burst's locks live well under a second.
     */
    static final long STUCK_AFTER_MILLIS = 5_000;

    private final ConsoleBackend backend;
    private final BackgroundActions actions;
    private final Runnable afterAction;
    private final Consumer<String> showProcess;
    private long now = System.currentTimeMillis();
    private ConsoleSnapshot.Fleet fleet = ConsoleSnapshot.Fleet.NONE;

    /**
     * One row of the locks table: an order's lease, its pause, or both (a paused lane whose holder
     * is still finishing what it took).
     */
    record LockRow(long orderId, LeaseInfo lease, PausedLane paused) {
        boolean stuck(long at) {
            return lease != null && (lease.stuck(at) || at - lease.since() > STUCK_AFTER_MILLIS);
        }

        String state(long at) {
            return paused != null ? "paused" : stuck(at) ? "stuck" : "running";
        }
    }

    private final RowTableModel<LockRow> lockModel = new RowTableModel<>(LockRow::orderId,
            column("Order", String.class, r -> Long.toString(r.orderId())),
            column("Holder", String.class, r -> r.lease() == null ? "—" : r.lease().holder()),
            column("Process", String.class, r -> r.lease() == null ? "—" : processText(r.lease().holder())),
            column("Fencing token", Long.class, r -> r.lease() == null ? null : r.lease().token()),
            column("Held for", String.class, r -> r.lease() == null ? "—" : Format.duration(Math.max(0, now - r.lease().since()))),
            column("Lease left", String.class, r -> r.lease() == null ? "—" : leaseLeft(r.lease(), now)),
            column("State", String.class, r -> r.state(now)));
    private final JTable lockTable = Tables.create("locks.table", lockModel);
    private final EmptyState lockEmpty = new EmptyState("locks", Tables.scroll(lockTable),
            "No held locks — the queue is idle");
    private final JLabel lockCount = Headers.caption(" ");
    private final JButton release = new JButton("Release…", Icons.get("release"));
    private final JButton pause = new JButton("Pause lane", Icons.get("pause"));
    private final JButton resume = new JButton("Resume lane", Icons.get("start"));
    private final JButton process = new JButton("Show process", Icons.get("workers"));

    private final RowTableModel<ParkedLane> parkedModel = new RowTableModel<>(ParkedLane::orderId,
            column("Order", String.class, p -> Long.toString(p.orderId())),
            column("Head event", String.class, ParkedLane::effectId),
            column("Tries", Integer.class, ParkedLane::attempts),
            column("Waiting", Long.class, ParkedLane::depth),
            column("Parked", String.class, p -> Format.duration(now - p.parkedAt())),
            column("Last error", String.class, ParkedLane::error));
    private final JTable parkedTable = Tables.create("parked.table", parkedModel);
    private final EmptyState parkedEmpty = new EmptyState("parked", Tables.scroll(parkedTable),
            "No parked lanes — every order is flowing");
    private final JButton retry = new JButton("Retry head", Icons.get("retry"));
    private final JButton skip = new JButton("Skip head…", Icons.get("skip"));
    private final JLabel feedback = new JLabel(" ");

    /** The order the operator selected, as last seen; kept after its lock went, to say what happened. */
    private Sighting watched;
    /** True while the table's rows are replaced: selection events then come from the refresh, not the operator. */
    private boolean refreshing;
    /** The release dialog's live line while it is open, and its order. */
    private JLabel dialogLeaseLeft;
    private long dialogOrder = -1;

    /** The last sight of an order's lock: the row, when it was read, and when it was first missing (0: still there). */
    record Sighting(LockRow row, long seenAt, long goneAt) {
        Sighting seen(LockRow r, long at) {
            return new Sighting(r, at, 0);
        }

        Sighting gone(long at) {
            return goneAt > 0 ? this : new Sighting(row, seenAt, at);
        }

        boolean isGone() {
            return goneAt > 0;
        }

        /** Whether the lease had lapsed when the lock went: the reaper, not its holder, ended it. */
        boolean expired() {
            return row.lease() != null && row.lease().deadline() <= (goneAt > 0 ? goneAt : seenAt);
        }
    }

    /** Column of the lease's process: a double-click there opens the process, elsewhere the order. */
    private static final int PROCESS_COLUMN = 2;

    /**
     * @param showProcess opens the Workers view on a worker id
     * @param afterAction asks for a fresh snapshot after an action, so the tables catch up at once
     */
    public LocksPanel(ConsoleBackend backend, BackgroundActions actions, OrderNavigator navigator,
                      Consumer<String> showProcess, Runnable afterAction) {
        super(new MigLayout(
                "insets 12, gap 10, hidemode 3",              // layout
                "[grow 55, fill]16[grow 45, fill]",           // columns: held locks | parked lanes
                "[][][grow, fill][][]"));                     // rows: title, caption, table, buttons, feedback
        this.backend = backend;
        this.actions = actions;
        this.afterAction = afterAction;
        this.showProcess = showProcess;
        setName("view.locks");

        add(Headers.titleRow("Order locks", lockCount));
        add(Headers.title("Parked lanes"), "wrap");
        add(Headers.caption("Stuck locks first (held over " + Format.duration(STUCK_AFTER_MILLIS) + " or "
                + LeaseInfo.STUCK_AFTER_LEASES + " leases), then paused lanes, then the rest, oldest first."));
        add(Headers.caption("Lanes whose head event failed too often; their later events wait."), "wrap");
        add(lockEmpty);
        add(parkedEmpty, "wrap");
        JPanel lockButtons = new JPanel(new MigLayout("insets 0, gap 8", "[][][][][grow]", "[][]"));
        lockButtons.add(release);
        lockButtons.add(pause);
        lockButtons.add(resume);
        lockButtons.add(process, "wrap");
        // under the buttons, so the row never widens the locks' column over the parked lanes'
        lockButtons.add(Headers.caption("Release bumps the fence and hands the lane back; Pause stops new claims."),
                "span");
        add(lockButtons);
        JPanel parkedButtons = new JPanel(new MigLayout("insets 0, gap 8", "[][][grow]", "[]"));
        parkedButtons.add(retry);
        parkedButtons.add(skip);
        add(parkedButtons, "wrap");
        add(feedback, "span 2");

        release.setName("locks.release");
        pause.setName("locks.pause");
        resume.setName("locks.resume");
        process.setName("locks.showProcess");
        retry.setName("parked.retry");
        skip.setName("parked.skip");
        feedback.setName("locks.feedback");
        lockCount.setName("locks.count");
        release.setToolTipText("Bump the fence and hand the lane back: for a stuck holder");
        pause.setToolTipText("No new claims on this order's lane; its holder finishes what it took");
        resume.setToolTipText("Let this order's lane be claimed again");
        process.setToolTipText("Open the Workers view on the process holding this lock");
        process.setEnabled(false);
        release.setEnabled(false);
        pause.setEnabled(false);
        resume.setEnabled(false);
        retry.setEnabled(false);
        skip.setEnabled(false);
        Tables.widths(lockTable, 90, 160, 150, 100, 90, 90, 70);
        Tables.widths(parkedTable, 55, 170, 45, 60, 80, 280);
        for (int c = 4; c <= 6; c++) {
            lockTable.getColumnModel().getColumn(c).setCellRenderer(new LockCellRenderer());
        }
        parkedTable.getColumnModel().getColumn(5).setCellRenderer(new TooltipRenderer());
        Tables.onDoubleClick(lockTable, lockModel, (row, column) -> {
            if (column == PROCESS_COLUMN && row.lease() != null) {
                showProcess.accept(WorkerInfo.processOf(row.lease().holder()));
            } else {
                navigator.openTimeline(row.orderId());
            }
        });
        lockTable.setToolTipText("Double-click a row to open the order's timeline, its Process to open the process");
        Tables.opensTimeline(parkedTable, parkedModel, ParkedLane::orderId, navigator::openTimeline);
        lockTable.getSelectionModel().addListSelectionListener(e -> {
            if (!refreshing) {
                LockRow r = lockModel.selected(lockTable);
                if (r != null) {
                    watched = new Sighting(r, now, 0);
                }
            }
            updateButtons();
        });
        parkedTable.getSelectionModel().addListSelectionListener(e -> updateButtons());
        release.addActionListener(e -> releaseSelected());
        pause.addActionListener(e -> pauseSelected());
        resume.addActionListener(e -> resumeSelected());
        process.addActionListener(e -> {
            LockRow r = lockModel.selected(lockTable);
            if (r != null && r.lease() != null) {
                showProcess.accept(WorkerInfo.processOf(r.lease().holder()));
            }
        });
        retry.addActionListener(e -> retrySelected());
        skip.addActionListener(e -> skipSelected());
    }

    /**
     * The table's rows: every lease and every paused lane, one row per order; stuck locks first, then
     * paused lanes, then the rest, each group oldest first.
     */
    static List<LockRow> rows(List<LeaseInfo> leases, List<PausedLane> paused, long at) {
        Map<Long, PausedLane> pausedByOrder = new HashMap<>();
        paused.forEach(p -> pausedByOrder.put(p.orderId(), p));
        List<LockRow> out = new ArrayList<>(leases.size() + paused.size());
        for (LeaseInfo l : leases) {
            out.add(new LockRow(l.orderId(), l, pausedByOrder.remove(l.orderId())));
        }
        for (PausedLane p : paused) {
            if (pausedByOrder.containsKey(p.orderId())) {
                out.add(new LockRow(p.orderId(), null, p));
            }
        }
        out.sort(Comparator.comparingInt((LockRow r) -> r.stuck(at) && r.paused() == null ? 0 : r.paused() != null ? 1 : 2)
                .thenComparingLong(r -> r.lease() != null ? r.lease().since() : r.paused().pausedAt()));
        return out;
    }

    /** The holder's process, and "(gone)" once that process is not in the registry. */
    private String processText(String holder) {
        String id = WorkerInfo.processOf(holder);
        return fleet.byId(id) != null ? id : id + " (gone)";
    }

    private static String leaseLeft(LeaseInfo l, long at) {
        return l.deadline() <= at ? "expired" : Format.duration(l.deadline() - at);
    }

    @Override
    public void refresh(ConsoleSnapshot s) {
        now = s.takenAt();
        fleet = s.fleet();
        List<LockRow> rows = rows(s.leases(), s.paused(), now);
        refreshing = true;
        try {
            lockModel.setRows(rows, lockTable);
            parkedModel.setRows(s.parked(), parkedTable);
        } finally {
            refreshing = false;
        }
        lockTable.repaint(); // "held for" and "lease left" move with time even when the rows do not change
        parkedTable.repaint();
        lockEmpty.setEmpty(rows.isEmpty());
        parkedEmpty.setEmpty(s.parked().isEmpty());
        long stuck = rows.stream().filter(r -> r.stuck(now)).count();
        lockCount.setText(rows.isEmpty() ? " " : Format.count(s.leases().size()) + " held"
                + (stuck > 0 ? " · " + Format.count(stuck) + " stuck" : "")
                + (s.paused().isEmpty() ? "" : " · " + Format.count(s.paused().size()) + " paused"));
        follow(rows);
        updateButtons();
    }

    /** Keeps the operator's order in sight; says so once when its lock goes away. */
    private void follow(List<LockRow> rows) {
        if (watched == null || watched.isGone()) {
            updateDialog();
            return;
        }
        LockRow current = rows.stream().filter(r -> r.orderId() == watched.row().orderId()).findFirst().orElse(null);
        if (current != null) {
            watched = watched.seen(current, now);
        } else {
            watched = watched.gone(now);
            if (dialogOrder != watched.row().orderId()) {
                feedback.setForeground(Palette.warn());
                feedback.setText(goneText(watched));
            }
        }
        updateDialog();
    }

    /** What became of a lock that went away: lapsed and recovered by the reaper, or let go by its holder. */
    private static String goneText(Sighting s) {
        long order = s.row().orderId();
        if (s.expired()) {
            return "The lease on order " + order + " expired at " + Format.clock(s.row().lease().deadline())
                    + " and the reaper recovered the lane at " + Format.clock(s.goneAt()) + ".";
        }
        if (s.row().lease() == null) {
            return "Order " + order + " is no longer paused (resumed at " + Format.clock(s.goneAt()) + ").";
        }
        return "Order " + order + "'s lock went at " + Format.clock(s.goneAt())
                + ": its holder finished the lane (or it was released).";
    }

    /** The release dialog's live line: what is left of the lease, or what became of it. */
    private void updateDialog() {
        if (dialogLeaseLeft == null) {
            return;
        }
        String text;
        java.awt.Color colour = null;
        if (watched == null || watched.row().orderId() != dialogOrder) {
            text = " ";
        } else if (watched.isGone()) {
            text = nothingToRelease(watched);
            colour = Palette.warn();
        } else if (watched.row().lease() == null) {
            text = "Order " + dialogOrder + " holds no lock now (it is paused): nothing to release.";
            colour = Palette.warn();
        } else {
            LeaseInfo l = watched.row().lease();
            text = l.deadline() <= now
                    ? "Lease expired at " + Format.clock(l.deadline()) + "; the reaper is about to recover the lane."
                    : "Lease left " + Format.duration(l.deadline() - now) + " (held for "
                            + Format.duration(Math.max(0, now - l.since())) + ").";
            colour = l.deadline() <= now ? Palette.warn() : null;
        }
        dialogLeaseLeft.setText(text);
        dialogLeaseLeft.setForeground(colour != null ? colour : javax.swing.UIManager.getColor("Label.foreground"));
    }

    /** Why a release found nothing: the reaper recovered the lane, or its holder let it go. */
    private static String nothingToRelease(Sighting s) {
        long order = s.row().orderId();
        if (s.expired()) {
            return "The lease on order " + order + " expired and the reaper recovered the lane at "
                    + Format.clock(s.goneAt() > 0 ? s.goneAt() : s.seenAt()) + " — nothing to release.";
        }
        return "Order " + order + "'s holder let the lock go at about "
                + Format.clock(s.goneAt() > 0 ? s.goneAt() : s.seenAt()) + " — nothing to release.";
    }

    /** Right-aligned durations; a stuck lock's age and state amber and bold, an expired lease red. */
    private final class LockCellRenderer extends javax.swing.table.DefaultTableCellRenderer {
        LockCellRenderer() {
            setHorizontalAlignment(RIGHT);
        }

        @Override
        public java.awt.Component getTableCellRendererComponent(JTable table, Object value, boolean selected,
                                                                boolean focus, int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focus, row, column);
            LockRow r = lockModel.row(table.convertRowIndexToModel(row));
            boolean stuck = r.stuck(now);
            boolean flagged = stuck && (column == 4 || column == 6);
            boolean expired = column == 5 && r.lease() != null && r.lease().deadline() <= now;
            if (!selected) {
                setForeground(expired ? Palette.bad() : flagged ? Palette.warn()
                        : column == 6 && r.paused() != null ? Palette.muted() : table.getForeground());
            }
            setFont(table.getFont().deriveFont(flagged || expired ? java.awt.Font.BOLD : java.awt.Font.PLAIN));
            setToolTipText(stuck ? "Held for " + Format.duration(now - r.lease().since())
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
        LockRow r = lockModel.selected(lockTable);
        release.setEnabled(r != null && r.lease() != null);
        pause.setEnabled(r != null && r.paused() == null);
        resume.setEnabled(r != null && r.paused() != null);
        process.setEnabled(r != null && r.lease() != null);
        boolean parkedSelected = parkedModel.selected(parkedTable) != null;
        retry.setEnabled(parkedSelected);
        skip.setEnabled(parkedSelected);
    }

    private void releaseSelected() {
        LockRow row = lockModel.selected(lockTable);
        if (row == null || row.lease() == null) {
            return;
        }
        LeaseInfo lease = row.lease();
        long orderId = row.orderId();
        watched = new Sighting(row, now, 0);
        JLabel leaseLeft = new JLabel(" ");
        leaseLeft.setName("release.leaseLeft");
        JPanel message = new JPanel(new MigLayout("insets 0, gap 0 8, flowy", "[]", "[][]"));
        JLabel question = new JLabel("<html><b>Release the lock on order " + orderId + "?</b><br><br>"
                + "Held by " + lease.holder() + " with fencing token " + lease.token() + ".<br>"
                + "The fence goes up and the lane goes back to ready; its head event runs again under a new"
                + " holder.<br>If " + lease.holder() + " writes late, the store rejects it.</html>");
        question.setName("release.question");
        message.add(question);
        message.add(leaseLeft);
        dialogLeaseLeft = leaseLeft;
        dialogOrder = orderId;
        updateDialog();
        int answer;
        try {
            // the poller's snapshots keep arriving while the dialog is open: refresh() updates leaseLeft
            answer = JOptionPane.showConfirmDialog(this, message, "Release lock", JOptionPane.YES_NO_OPTION,
                    JOptionPane.WARNING_MESSAGE);
        } finally {
            dialogLeaseLeft = null;
            dialogOrder = -1;
        }
        if (answer != JOptionPane.YES_OPTION) {
            if (watched != null && watched.row().orderId() == orderId && watched.isGone()) {
                feedback.setForeground(Palette.warn());
                feedback.setText(goneText(watched)); // it went while the dialog was open
            }
            return;
        }
        Sighting seen = watched != null && watched.row().orderId() == orderId ? watched : new Sighting(row, now, 0);
        watched = null; // what happens to it is said by the release, not again when it leaves the table
        act("release " + orderId, () -> backend.release(orderId), token -> {
            if (token >= 0) {
                return "Released order " + orderId + ": the fence is now token " + token
                        + "; the old holder's write will be rejected.";
            }
            return nothingToRelease(seen.isGone() ? seen : seen.gone(now));
        });
    }

    private void pauseSelected() {
        LockRow row = lockModel.selected(lockTable);
        if (row == null) {
            return;
        }
        long orderId = row.orderId();
        act("pause " + orderId, () -> backend.pause(orderId), at -> "Paused order " + orderId + "'s lane at "
                + Format.clock(at) + ": no new claims"
                + (row.lease() != null ? "; " + row.lease().holder() + " finishes the events it took." : "."));
    }

    private void resumeSelected() {
        LockRow row = lockModel.selected(lockTable);
        if (row == null) {
            return;
        }
        long orderId = row.orderId();
        act("resume " + orderId, () -> backend.resume(orderId), ok -> {
            watched = null; // a paused lane without a holder leaves the table now: no "gone" notice for it
            return ok ? "Resumed order " + orderId + "'s lane: it is claimed again."
                    : "Order " + orderId + " was not paused any more.";
        });
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
