package dev.lockstep.console.view;

import static dev.lockstep.console.view.RowTableModel.column;

import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.OrderTimeline;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import java.awt.Component;
import java.awt.Font;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.JTextField;
import javax.swing.table.DefaultTableCellRenderer;
import net.miginfocom.swing.MigLayout;

/**
 * One order's life in one run: a time chart of each of its events (received, enqueued, claimed,
 * applied / skipped / rejected) with its state transitions, and the raw journal rows. Bursts reuse
 * order ids, so a run picker beside the mode picker chooses the run (the latest by default,
 * docs/DESIGN.md, "Runs and the journal"); the summary counts that run alone. Reloads about once a
 * second while it is on screen.
 */
public final class TimelinePanel extends JPanel implements SnapshotView {
    private static final long RELOAD_EVERY_MILLIS = 1_000;

    private final ConsoleBackend backend;
    private final BackgroundActions actions;
    private final JTextField orderField = new JTextField(12);
    private final JComboBox<Mode> modeBox = new JComboBox<>(Mode.values());
    private final JComboBox<String> runBox = new JComboBox<>();
    private final JButton show = new JButton("Show", Icons.get("search"));
    private final JLabel overlaps = new JLabel(" ");
    private final JLabel summary = new JLabel(" ");
    private final JLabel error = new JLabel(" ");
    private final TimelineChart timelineChart = new TimelineChart();
    private final ThemedChartPanel chartPanel = new ThemedChartPanel(timelineChart.chart());
    private long origin;
    private final RowTableModel<JournalEntry> journalModel = new RowTableModel<>(e -> e,
            column("+ ms", Long.class, e -> e.at() - origin),
            column("Time", String.class, e -> Format.clock(e.at())),
            column("Stage", JournalStage.class, JournalEntry::stage),
            column("Took ms", Long.class, e -> e.at() - e.startedAt()),
            column("Event", String.class, e -> e.effectId().isEmpty() ? "(lane)" : e.effectId()),
            column("Worker", String.class, JournalEntry::worker),
            column("Operator", String.class, JournalEntry::operator),
            column("Token", String.class, e -> e.token() == 0 ? "" : Long.toString(e.token())),
            column("Detail", String.class, JournalEntry::detail));
    private final JTable journal = Tables.create("timeline.journal", journalModel);
    private final EmptyState empty;

    private long shownOrder = -1;
    private Mode shownMode;
    private String shownRun = "";
    /** The user picked a run: reloads keep it instead of following the latest. */
    private boolean runChosen;
    private boolean fillingRuns;
    private boolean modeChosen;
    private boolean loading;
    private long loadSeq;
    private long lastLoad;
    private Mode currentMode = Mode.LOCKSTEP;

    public TimelinePanel(ConsoleBackend backend, BackgroundActions actions) {
        super(new MigLayout(
                "insets 12, gap 10",                       // layout
                "[grow, fill]",                            // columns
                "[][][grow, fill]"));                      // rows: controls, summary, chart + journal
        this.backend = backend;
        this.actions = actions;
        setName("view.timeline");
        orderField.setName("timeline.orderId");
        modeBox.setName("timeline.mode");
        runBox.setName("timeline.run");
        runBox.setToolTipText("The run to show: bursts reuse order ids, so each run of this order is shown alone");
        runBox.setPrototypeDisplayValue("r-20261130-093512-100 (latest)");
        show.setName("timeline.show");
        overlaps.setName("timeline.overlaps");
        summary.setName("timeline.summary");
        error.setName("timeline.error");
        chartPanel.setName("timeline.chart");
        orderField.putClientProperty("JTextField.placeholderText", "order id");
        modeBox.setRenderer(new javax.swing.DefaultListCellRenderer() {
            @Override
            public Component getListCellRendererComponent(javax.swing.JList<?> list, Object value, int index,
                                                          boolean selected, boolean focus) {
                return super.getListCellRendererComponent(list, value instanceof Mode m ? m.id() : value, index,
                        selected, focus);
            }
        });

        JPanel controls = new JPanel(new MigLayout(
                "insets 0, gap 8",                                  // layout
                "[][][]16[][]16[][]16[][grow]",                     // columns: label, field, show, mode, run, overlaps, error
                "[]"));                                             // rows
        controls.add(new JLabel("Order"));
        controls.add(orderField);
        controls.add(show);
        controls.add(new JLabel("Mode"));
        controls.add(modeBox);
        controls.add(new JLabel("Run"));
        controls.add(runBox);
        controls.add(overlaps);
        controls.add(error, "growx");
        add(controls, "wrap");
        add(summary, "wrap");

        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, chartPanel, Tables.scroll(journal));
        split.setResizeWeight(0.65);
        split.setBorder(null);
        empty = new EmptyState("timeline", split,
                "Enter an order id, or double-click an order in Locks or Dedup (Ctrl+T opens one from anywhere)");
        empty.setEmpty(true);
        add(empty);
        Tables.widths(journal, 70, 100, 110, 60, 220, 140, 130, 60, 260);
        journal.setDefaultRenderer(JournalStage.class, new StageRenderer());

        show.addActionListener(e -> showTyped());
        orderField.addActionListener(e -> showTyped());
        modeBox.addActionListener(e -> {
            if (modeBox.isPopupVisible() || modeBox.hasFocus()) {
                modeChosen = true;
            }
            if (shownOrder > 0 && modeBox.getSelectedItem() != shownMode) {
                runChosen = false;
                load(shownOrder, (Mode) modeBox.getSelectedItem());
            }
        });
        runBox.setRenderer(new javax.swing.DefaultListCellRenderer() {
            @Override
            public Component getListCellRendererComponent(javax.swing.JList<?> list, Object value, int index,
                                                          boolean selected, boolean focus) {
                Object text = value != null && value.equals(runBox.getItemAt(0)) ? value + " (latest)" : value;
                return super.getListCellRendererComponent(list, text, index, selected, focus);
            }
        });
        runBox.addActionListener(e -> {
            Object picked = runBox.getSelectedItem();
            if (!fillingRuns && shownOrder > 0 && picked != null && !picked.equals(shownRun)) {
                runChosen = true;
                load(shownOrder, shownMode, (String) picked);
            }
        });
    }

    /** Shows {@code orderId} in the current mode (or the mode the user picked here). */
    public void open(long orderId) {
        orderField.setText(Long.toString(orderId));
        runChosen = false;
        if (!modeChosen) {
            modeBox.setSelectedItem(currentMode);
        }
        load(orderId, (Mode) modeBox.getSelectedItem());
    }

    private void showTyped() {
        String text = orderField.getText().trim().replace(",", "");
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            id = -1;
        }
        if (id <= 0) {
            error.setForeground(Palette.bad());
            error.setText("An order id is a positive whole number; \"" + orderField.getText().trim()
                    + "\" is not one.");
            return;
        }
        modeChosen = modeChosen || modeBox.getSelectedItem() != currentMode;
        runChosen = false;
        load(id, (Mode) modeBox.getSelectedItem());
    }

    /** The order's latest run, or the run the user picked for this order and mode. */
    private void load(long orderId, Mode mode) {
        load(orderId, mode, runChosen && orderId == shownOrder && mode == shownMode ? shownRun : null);
    }

    private void load(long orderId, Mode mode, String run) {
        long seq = ++loadSeq; // only the newest request's answer is shown, whichever answers last
        loading = true;
        lastLoad = System.currentTimeMillis();
        error.setText(" ");
        actions.run("load the timeline of order " + orderId, () -> backend.timeline(mode, orderId, run),
                t -> {
                    if (seq == loadSeq) {
                        loading = false;
                        show(t);
                    }
                },
                e -> {
                    if (seq != loadSeq) {
                        return;
                    }
                    loading = false;
                    error.setForeground(Palette.bad());
                    error.setText("Could not load order " + orderId + ": " + BackgroundActions.describe(e));
                });
    }

    private void show(OrderTimeline t) {
        boolean sameOrder = t.orderId() == shownOrder && t.mode() == shownMode && t.runId().equals(shownRun);
        shownOrder = t.orderId();
        shownMode = t.mode();
        shownRun = t.runId();
        fillRuns(t);
        if (t.isEmpty()) {
            empty.setMessage("Order " + t.orderId() + " has no journal entries in " + t.mode().id()
                    + " — was it part of a burst in this mode?");
            empty.setEmpty(true);
            overlaps.setText(" ");
            summary.setText(" ");
            return;
        }
        TimelineAnalysis a = TimelineAnalysis.of(t);
        origin = a.origin();
        timelineChart.show(a, chartPanel.getWidth() > 0 ? chartPanel.getWidth() : 800);
        journalModel.setRows(t.journal(), journal);
        if (!sameOrder) {
            journal.clearSelection();
        }
        empty.setEmpty(false);
        Font f = summary.getFont();
        overlaps.setFont(f.deriveFont(Font.BOLD));
        if (a.overlaps() > 0) {
            overlaps.setText("⚠ " + a.overlaps() + (a.overlaps() == 1 ? " overlap" : " overlaps")
                    + " — handlers of this order ran at the same time");
            overlaps.setForeground(Palette.overlap());
        } else {
            overlaps.setText("✓ No overlaps — one handler at a time");
            overlaps.setForeground(Palette.good());
        }
        summary.setText(summaryText(t, a));
    }

    /** The run picker's items: the order's runs, newest first; changes here load nothing. */
    private void fillRuns(OrderTimeline t) {
        fillingRuns = true;
        try {
            boolean same = runBox.getItemCount() == t.runs().size();
            for (int i = 0; same && i < t.runs().size(); i++) {
                same = t.runs().get(i).equals(runBox.getItemAt(i));
            }
            if (!same) {
                runBox.removeAllItems();
                t.runs().forEach(runBox::addItem);
            }
            runBox.setSelectedItem(t.runId().isEmpty() ? null : t.runId());
            runBox.setEnabled(t.runs().size() > 1);
        } finally {
            fillingRuns = false;
        }
    }

    private static String summaryText(OrderTimeline t, TimelineAnalysis a) {
        StringBuilder sb = new StringBuilder("Order ").append(t.orderId()).append(" in ").append(t.mode().id());
        if (!t.runId().isEmpty()) {
            sb.append(", run ").append(t.runId());
            if (t.runs().size() > 1) {
                sb.append(" (").append(t.runs().indexOf(t.runId()) + 1).append(" of ").append(t.runs().size())
                        .append(" runs, newest first)");
            }
        }
        sb.append(" · ").append(a.rows().size()).append(a.rows().size() == 1 ? " event" : " events")
                .append(" · ").append(a.rowsWith(TimelineAnalysis.Kind.APPLIED)).append(" applied");
        long skipped = a.rowsWith(TimelineAnalysis.Kind.SKIPPED);
        if (skipped > 0) {
            sb.append(" · ").append(skipped).append(" skipped as stale");
        }
        long rejected = a.rowsWith(TimelineAnalysis.Kind.REJECTED);
        if (rejected > 0) {
            sb.append(" · ").append(rejected).append(" stale write rejected by the fence");
        }
        long dups = a.rowsWith(TimelineAnalysis.Kind.DUPLICATE);
        if (dups > 0) {
            sb.append(" · ").append(dups).append(" delivered more than once");
        }
        if (a.appliedTwice() > 0) {
            sb.append(" · ").append(a.appliedTwice()).append(" applied twice");
        }
        if (a.documents() > 1) {
            sb.append(" · ").append(a.documents()).append(" documents stored (duplicate order)");
        }
        if (a.storeShown()) {
            sb.append(" · stored state ").append(a.finalState() == null ? "none" : a.finalState().name());
        } else {
            sb.append(" · stored state not kept for an older run (the store holds the latest)");
        }
        return sb.toString();
    }

    @Override
    public void refresh(ConsoleSnapshot s) {
        currentMode = s.env().mode();
        if (shownOrder > 0 && !loading && isShowing() && s.takenAt() - lastLoad >= RELOAD_EVERY_MILLIS) {
            load(shownOrder, shownMode);
        }
    }

    /** Colours the stage column: applied green, rejected red, duplicate and skipped amber. */
    private static final class StageRenderer extends DefaultTableCellRenderer {
        @Override
        public Component getTableCellRendererComponent(JTable table, Object value, boolean selected, boolean focus,
                                                       int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focus, row, column);
            if (!selected && value instanceof JournalStage stage) {
                setForeground(switch (stage) {
                    case APPLIED, ALREADY_APPLIED -> Palette.good();
                    case REJECTED, PARKED -> Palette.bad();
                    case DUPLICATE, SKIPPED, SKIPPED_BY_OPERATOR, RETRIED, RETRIED_BY_OPERATOR, RELEASED, PAUSED ->
                            Palette.warn();
                    default -> table.getForeground();
                });
            }
            return this;
        }
    }
}
