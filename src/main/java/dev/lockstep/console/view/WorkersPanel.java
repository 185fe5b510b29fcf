package dev.lockstep.console.view;

import static dev.lockstep.console.view.RowTableModel.column;

import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import dev.lockstep.fleet.WorkerInfo;
import java.awt.Font;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTable;
import javax.swing.JTextField;
import javax.swing.SwingConstants;
import javax.swing.UIManager;
import javax.swing.table.DefaultTableCellRenderer;
import net.miginfocom.swing.MigLayout;

/**
 * The processes working this queue, live from their heartbeats (docs/DESIGN.md, "The fleet"):
 * headless workers and consoles running workers, this console's own row marked. A process that
 * stops beating leaves the table within one heartbeat time to live. With none, it says how to start
 * one on these very servers (the command, passwords masked, with a Copy button) and how
 * {@code lockstep servers} lets several processes share them. The Locks view opens it on a lease's
 * process ({@link #select}).
 */
public final class WorkersPanel extends JPanel implements SnapshotView {
    static final String SERVERS_HINT = "<html>Several processes share one queue when they use the same servers:"
            + " <b>java -jar target/lockstep.jar servers --data-dir DIR</b> runs only the Redis and MongoDB servers,"
            + " as a process of its own, and prints the <b>--redis-uri</b> and <b>--mongo-uri</b> to give every"
            + " worker and console.</html>";

    private long now = System.currentTimeMillis();
    private String selfId = "";

    private final RowTableModel<WorkerInfo> model = new RowTableModel<>(WorkerInfo::id,
            column("Process", String.class, WorkerInfo::id),
            column("Kind", String.class, WorkerInfo::kind),
            column("Host", String.class, WorkerInfo::host),
            column("PID", Long.class, WorkerInfo::pid),
            column("Version", String.class, WorkerInfo::version),
            column("Mode", String.class, w -> w.mode().isEmpty() ? "—" : w.mode()),
            column("Threads", Integer.class, WorkerInfo::threads),
            column("Lanes held", Integer.class, WorkerInfo::lanesHeld),
            column("Events/s", String.class, w -> Format.rate(w.eventsPerSecond())),
            column("Handled", Long.class, WorkerInfo::handled),
            column("Up for", String.class, w -> Format.duration(Math.max(0, now - w.startedAtMs()))),
            column("Last beat", String.class, w -> Format.duration(Math.max(0, now - w.beatAtMs())) + " ago"),
            column("Ingest", String.class, w -> w.ingestUrl().isEmpty() ? "—" : w.ingestUrl()));
    private final JTable table = Tables.create("workers.table", model);
    private final JLabel count = Headers.caption(" ");
    private final JTextField command = new JTextField();
    private final JButton copy = new JButton("Copy");
    private final JLabel copied = Headers.caption(" ");
    private final EmptyState empty;
    private final JLabel feedback = new JLabel(" ");

    public WorkersPanel() {
        super(new MigLayout(
                "insets 12, gap 10, hidemode 3",   // layout
                "[grow, fill]",                    // columns
                "[][][grow, fill][]"));            // rows: title, caption, table, feedback
        setName("view.workers");
        add(Headers.titleRow("Workers", count), "wrap");
        add(Headers.caption("Every process working this queue, from the heartbeat it writes to Redis; one whose"
                + " heartbeat lapses (killed, cut off) leaves the list within one heartbeat time to live."), "wrap");
        empty = new EmptyState(Tables.scroll(table), emptyPanel());
        add(empty, "wrap");
        add(feedback);

        count.setName("workers.count");
        feedback.setName("workers.feedback");
        command.setName("workers.startCommand");
        copy.setName("workers.copy");
        copied.setName("workers.copied");
        Tables.widths(table, 235, 65, 55, 65, 135, 75, 65, 85, 75, 75, 80, 95, 150);
        table.getColumnModel().getColumn(0).setCellRenderer(new ProcessRenderer());
        DefaultTableCellRenderer right = new DefaultTableCellRenderer();
        right.setHorizontalAlignment(SwingConstants.RIGHT);
        for (int c : new int[] {8, 10, 11}) {
            table.getColumnModel().getColumn(c).setCellRenderer(right);
        }
        copy.addActionListener(e -> {
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(command.getText()), null);
            copied.setText(command.getText().contains("***")
                    ? "Copied — put the password back where *** stands." : "Copied.");
        });
    }

    /** The empty state: how to start a worker on these servers, and how several share them. */
    private JPanel emptyPanel() {
        JPanel p = new JPanel(new MigLayout("insets 40 24 24 24, gap 8, flowy, alignx center", "[600!]", ""));
        p.setName("workers.empty");
        JLabel title = new JLabel("No process is working this queue.");
        title.putClientProperty("FlatLaf.styleClass", "h3");
        title.setName("workers.empty.title");
        p.add(title);
        p.add(new JLabel("Start a worker on these servers (a terminal, the same jar):"));
        command.setEditable(false);
        command.setFont(new Font(Font.MONOSPACED, Font.PLAIN, UIManager.getFont("Label.font").getSize()));
        JPanel row = new JPanel(new MigLayout("insets 0, gap 8", "[grow, fill][]", "[]"));
        row.add(command);
        row.add(copy);
        p.add(row, "growx");
        p.add(copied);
        JLabel servers = new JLabel(SERVERS_HINT);
        servers.setName("workers.serversHint");
        p.add(servers, "growx, gaptop 12");
        return p;
    }

    /** The process's id in bold with a mark when it is this console itself. */
    private final class ProcessRenderer extends DefaultTableCellRenderer {
        @Override
        public java.awt.Component getTableCellRendererComponent(JTable t, Object value, boolean selected,
                                                                boolean focus, int row, int column) {
            boolean self = !selfId.isEmpty() && selfId.equals(value);
            super.getTableCellRendererComponent(t, self ? value + "  (this console)" : value, selected, focus, row,
                    column);
            setFont(t.getFont().deriveFont(self ? Font.BOLD : Font.PLAIN));
            setIcon(new DotIcon(self ? Palette.series(0) : Palette.good()));
            setToolTipText(self ? "This console: its own workers, beating like any worker process" : null);
            return this;
        }
    }

    @Override
    public void refresh(ConsoleSnapshot s) {
        now = s.takenAt();
        ConsoleSnapshot.Fleet fleet = s.fleet();
        selfId = fleet.selfId();
        if (!command.getText().equals(fleet.startCommand())) {
            command.setText(fleet.startCommand());
            command.setCaretPosition(0);
        }
        model.setRows(fleet.workers(), table);
        table.repaint(); // "last beat" moves with time even when the rows do not change
        empty.setEmpty(fleet.workers().isEmpty());
        int threads = fleet.workers().stream().mapToInt(WorkerInfo::threads).sum();
        double eps = fleet.workers().stream().mapToDouble(WorkerInfo::eventsPerSecond).sum();
        count.setText(fleet.workers().isEmpty() ? " " : Format.count(fleet.workers().size())
                + (fleet.workers().size() == 1 ? " process · " : " processes · ") + Format.count(threads)
                + " threads · " + Format.rate(eps));
    }

    /**
     * Selects the row of the process {@code workerId} (the Locks view's link from a lease); says so
     * when it is not in the registry.
     */
    public void select(String workerId) {
        if (selectRow(workerId)) {
            feedback.setForeground(UIManager.getColor("Label.foreground"));
            feedback.setText(" ");
        } else {
            table.clearSelection();
            feedback.setForeground(Palette.warn());
            feedback.setText("Process " + workerId + " is not in the registry: it stopped, or its heartbeat lapsed"
                    + " (its leases lapse and the other processes' reapers recover them).");
        }
    }

    private boolean selectRow(String workerId) {
        java.util.List<WorkerInfo> rows = model.rows();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).id().equals(workerId)) {
                int view = table.convertRowIndexToView(i);
                table.getSelectionModel().setSelectionInterval(view, view);
                table.scrollRectToVisible(table.getCellRect(view, 0, true));
                return true;
            }
        }
        return false;
    }
}
