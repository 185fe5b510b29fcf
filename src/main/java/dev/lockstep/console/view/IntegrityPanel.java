package dev.lockstep.console.view;

import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.RunProgress;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import dev.lockstep.pipeline.Mode;
import java.awt.Component;
import java.awt.Font;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import javax.swing.JButton;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.SwingConstants;
import javax.swing.filechooser.FileNameExtensionFilter;
import javax.swing.table.DefaultTableCellRenderer;
import net.miginfocom.swing.MigLayout;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The before/after table of the kept runs (each mode's latest run; runs of earlier sessions too,
 * docs/DESIGN.md, "Runs and the journal"), a bar chart of anomalies per mode, one button for a full
 * compare (of the Burst view's settings, as the caption says), CSV / JSON export, and clearing the
 * kept runs. Every measure explains itself: its meaning as the row's tooltip and as a legend line.
 */
public final class IntegrityPanel extends JPanel implements SnapshotView {
    private final ConsoleBackend backend;
    private final BackgroundActions actions;
    private final Supplier<BurstRequest> burstSettings;
    private final Runnable afterAction;
    private final IntegrityTableModel model = new IntegrityTableModel();
    private final JTable table = new JTable(model);
    private final DefaultCategoryDataset anomalies = new DefaultCategoryDataset();
    private final JFreeChart chart = anomalyChart();
    private final JButton runCompare = new JButton("Run compare", Icons.get("compare"));
    private final JButton exportCsv = new JButton("Export CSV…", Icons.get("export"));
    private final JButton exportJson = new JButton("Export JSON…", Icons.get("export"));
    private final JButton clearRuns = new JButton("Clear runs…");
    private final JLabel compareSize = Headers.caption(" ");
    private final javax.swing.JTextArea legend = new javax.swing.JTextArea();
    private final JLabel status = new JLabel(" ");
    private final JLabel runsCaption = Headers.caption(" ");
    private final EmptyState empty;
    private List<RunResult> runs = List.of();
    private String shownRunsKey = "";
    private RunProgress shownProgress = RunProgress.IDLE;

    /**
     * @param burstSettings the Burst view's current settings, which a compare runs in every mode
     */
    public IntegrityPanel(ConsoleBackend backend, BackgroundActions actions, Supplier<BurstRequest> burstSettings,
                          Runnable afterAction) {
        super(new MigLayout(
                "insets 12, gap 10",                  // layout
                "[grow, fill]",                       // columns
                "[][][][grow, fill]"));               // rows: title, caption, buttons, table + chart
        this.backend = backend;
        this.actions = actions;
        this.burstSettings = burstSettings;
        this.afterAction = afterAction;
        setName("view.integrity");
        table.setName("integrity.table");
        runCompare.setName("integrity.runCompare");
        exportCsv.setName("integrity.exportCsv");
        exportJson.setName("integrity.exportJson");
        status.setName("integrity.status");
        clearRuns.setName("integrity.clearRuns");
        compareSize.setName("integrity.compareSize");
        runsCaption.setName("integrity.runsCaption");
        legend.setName("integrity.legend");
        clearRuns.setToolTipText("Delete the kept runs: their reports and timelines (the stored orders stay)");

        add(Headers.titleRow("Before and after", runsCaption), "wrap");
        add(compareSize, "wrap");
        add(runCompare, "split 6, growx 0");
        add(exportCsv, "growx 0, gapleft 16");
        add(exportJson, "growx 0");
        add(clearRuns, "growx 0, gapleft 16");
        add(status, "gapleft 16, growx");
        add(new JLabel(), "wrap");

        table.setFillsViewportHeight(true);
        table.setRowSelectionAllowed(false);
        table.getTableHeader().setReorderingAllowed(false);
        table.setDefaultRenderer(IntegrityTableModel.Cell.class, new CellRenderer());
        table.getColumnModel().getColumn(0).setPreferredWidth(200);
        table.getColumnModel().getColumn(0).setCellRenderer(new MeasureRenderer());
        table.setTableHeader(new javax.swing.table.JTableHeader(table.getColumnModel()) {
            @Override
            public String getToolTipText(java.awt.event.MouseEvent e) {
                int column = columnAtPoint(e.getPoint());
                return column < 0 ? null : model.columnDescription(table.convertColumnIndexToModel(column));
            }
        });
        table.getTableHeader().setReorderingAllowed(false);
        legend.setText(legendText());
        legend.setEditable(false);
        legend.setFocusable(false);
        legend.setOpaque(false);
        legend.setLineWrap(true);
        legend.setWrapStyleWord(true);
        legend.setForeground(Palette.muted());
        legend.setFont(getFont().deriveFont(getFont().getSize2D() - 1f));

        ThemedChartPanel chartPanel = new ThemedChartPanel(chart);
        chartPanel.setName("integrity.chart");
        JPanel left = new JPanel(new MigLayout("insets 0, gap 6", "[grow, fill]", "[grow, fill][]"));
        left.add(Tables.scroll(table), "wrap");
        left.add(legend, "growx, wmin 0");
        JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, left, chartPanel);
        split.setResizeWeight(0.45);
        split.setBorder(null);
        empty = new EmptyState("integrity", split,
                "No runs yet — press Run compare to fire the same burst in unsafe, naive-lock and lockstep");
        empty.setEmpty(true);
        add(empty);

        runCompare.addActionListener(e -> runCompare());
        clearRuns.addActionListener(e -> clearRuns());
        clearRuns.setEnabled(false);
        exportCsv.addActionListener(e -> export("csv"));
        exportJson.addActionListener(e -> export("json"));
        exportCsv.setEnabled(false);
        exportJson.setEnabled(false);
    }

    private JFreeChart anomalyChart() {
        CategoryAxis kinds = new CategoryAxis(null);
        kinds.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        kinds.setMaximumCategoryLabelLines(2);
        NumberAxis count = new NumberAxis("anomalies");
        count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setItemMargin(0.05);
        bars.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator());
        bars.setDefaultItemLabelsVisible(true); // a zero shows as "0", not as nothing
        bars.setDefaultToolTipGenerator((data, row, column) -> data.getRowKey(row) + " · " + data.getColumnKey(column)
                + ": " + Format.count(data.getValue(row, column).longValue()));
        CategoryPlot plot = new CategoryPlot(anomalies, kinds, count, bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setNoDataMessage("No runs yet");
        return new JFreeChart("Anomalies per mode", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    /** One line per measure, "name — meaning": the same meanings as the rows' tooltips and the CLI report. */
    static String legendText() {
        StringBuilder sb = new StringBuilder();
        for (IntegrityTableModel.Measure m : IntegrityTableModel.MEASURES) {
            sb.append(sb.length() == 0 ? "" : "\n").append(m.name()).append(" — ").append(m.meaning());
        }
        return sb.toString();
    }

    /** Where a compare's size comes from: the Burst view's settings, read now. */
    private void showCompareSize() {
        String text;
        try {
            BurstRequest r = burstSettings.get();
            text = "Run compare fires the Burst view's settings in unsafe, naive-lock and lockstep: "
                    + Format.count(r.orders()) + " orders × " + r.eventsPerOrder() + " events, seed " + r.seed()
                    + " (change them in Burst). Anomalies in red; zero in green.";
        } catch (IllegalArgumentException e) {
            text = "Run compare fires the Burst view's settings, which are not valid now: " + e.getMessage();
        }
        if (!text.equals(compareSize.getText())) {
            compareSize.setText(text);
        }
    }

    @Override
    public void refresh(ConsoleSnapshot s) {
        RunProgress p = s.progress();
        runCompare.setEnabled(!p.running());
        clearRuns.setEnabled(!p.running() && !runs.isEmpty());
        if (isShowing()) {
            showCompareSize();
        }
        if (!p.equals(shownProgress) && p.phase() != null) {
            // only a change of progress rewrites the line, so an export's message stays until the next run
            shownProgress = p;
            status.setForeground(p.error().isEmpty() ? Palette.muted() : Palette.bad());
            status.setText(RunProgressText.status(p, s.runs()) + (p.running() ? " · " + Format.percent(p.fraction())
                    : ""));
        }
        String key = s.runs().size() + ":" + (s.runs().isEmpty() ? 0 : s.runs().get(s.runs().size() - 1).finishedAt());
        if (key.equals(shownRunsKey)) {
            return;
        }
        shownRunsKey = key;
        runs = s.runs();
        model.setRuns(runs);
        updateChart();
        empty.setEmpty(runs.isEmpty());
        exportCsv.setEnabled(!runs.isEmpty());
        exportJson.setEnabled(!runs.isEmpty());
        clearRuns.setEnabled(!p.running() && !runs.isEmpty());
        long[] perMode = new long[Mode.values().length];
        runs.forEach(r -> perMode[r.report().mode().ordinal()]++);
        runsCaption.setText(runs.isEmpty() ? " " : Format.count(runs.size()) + (runs.size() == 1 ? " run" : " runs")
                + " so far (" + perMode[0] + " unsafe, " + perMode[1] + " seed, " + perMode[2]
                + " lockstep) kept; each column shows the mode's latest"
                + (model.mixed() ? " — the columns come from runs of different sizes (see Orders)" : ""));
    }

    private void updateChart() {
        anomalies.clear();
        BarRenderer bars = (BarRenderer) ((CategoryPlot) chart.getPlot()).getRenderer();
        int series = 0;
        for (Mode m : Mode.values()) {
            RunResult r = model.latest(m);
            if (r == null) {
                continue;
            }
            for (IntegrityTableModel.Measure measure : IntegrityTableModel.MEASURES) {
                if (measure.anomaly()) {
                    anomalies.addValue(measure.value().applyAsDouble(r.report()), m.id(), measure.name());
                }
            }
            bars.setSeriesPaint(series++, Palette.mode(m));
        }
    }

    private void runCompare() {
        BurstRequest request;
        try {
            request = burstSettings.get();
        } catch (IllegalArgumentException e) {
            status.setForeground(Palette.bad());
            status.setText("Fix the Burst settings first: " + e.getMessage());
            return;
        }
        runCompare.setEnabled(false);
        status.setForeground(Palette.muted());
        status.setText("Starting a compare: " + Format.count(request.orders()) + " orders, seed " + request.seed()
                + ", in unsafe, naive-lock and lockstep…");
        actions.run("start a compare", () -> {
            backend.startCompare(request);
            return request;
        }, r -> afterAction.run(), e -> {
            runCompare.setEnabled(true);
            status.setForeground(Palette.bad());
            status.setText("The compare did not start: " + BackgroundActions.describe(e));
        });
    }

    private void clearRuns() {
        int kept = runs.size();
        int answer = JOptionPane.showConfirmDialog(this,
                "Delete the " + kept + (kept == 1 ? " kept run" : " kept runs")
                        + ": their audit reports and the timelines of their orders?\nThe stored orders stay.",
                "Clear runs", JOptionPane.YES_NO_OPTION, JOptionPane.WARNING_MESSAGE);
        if (answer != JOptionPane.YES_OPTION) {
            return;
        }
        clearRuns.setEnabled(false);
        status.setForeground(Palette.muted());
        status.setText("Clearing " + kept + (kept == 1 ? " run…" : " runs…"));
        actions.run("clear the kept runs", () -> {
            backend.clearRuns();
            return kept;
        }, n -> {
            status.setForeground(javax.swing.UIManager.getColor("Label.foreground"));
            status.setText("Cleared " + n + (n == 1 ? " run" : " runs"));
            afterAction.run();
        }, e -> {
            clearRuns.setEnabled(true);
            status.setForeground(Palette.bad());
            status.setText("The runs were not cleared: " + BackgroundActions.describe(e));
        });
    }

    private void export(String kind) {
        JFileChooser chooser = new JFileChooser();
        chooser.setName("integrity.chooser");
        chooser.setDialogTitle("Export the runs as " + kind.toUpperCase(java.util.Locale.ROOT));
        chooser.setFileFilter(new FileNameExtensionFilter(kind.toUpperCase(java.util.Locale.ROOT) + " files", kind));
        chooser.setSelectedFile(new File("lockstep-runs." + kind));
        if (chooser.showSaveDialog(this) != JFileChooser.APPROVE_OPTION) {
            return;
        }
        Path file = chooser.getSelectedFile().toPath();
        if (!file.getFileName().toString().contains(".")) {
            file = file.resolveSibling(file.getFileName() + "." + kind);
        }
        Path target = file;
        List<RunResult> toWrite = runs;
        status.setForeground(Palette.muted());
        status.setText("Writing " + target.getFileName() + "…");
        actions.run("export " + kind, () -> {
            if (kind.equals("csv")) {
                RunReportExporter.writeCsv(toWrite, target);
            } else {
                RunReportExporter.writeJson(toWrite, target);
            }
            return target;
        }, path -> {
            status.setForeground(javax.swing.UIManager.getColor("Label.foreground"));
            status.setText("Wrote " + toWrite.size() + (toWrite.size() == 1 ? " run" : " runs") + " to " + path);
        }, e -> {
            status.setForeground(Palette.bad());
            status.setText("Export failed: " + BackgroundActions.describe(e));
        });
    }

    /** The measure's name, with what it measures as the tooltip (the audit's meanings). */
    private static final class MeasureRenderer extends DefaultTableCellRenderer {
        @Override
        public Component getTableCellRendererComponent(JTable table, Object value, boolean selected, boolean focus,
                                                       int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focus, row, column);
            setToolTipText(IntegrityTableModel.MEASURES.get(table.convertRowIndexToModel(row)).meaning());
            return this;
        }
    }

    /** Right-aligned numbers; anomaly cells red above zero, green at zero. */
    private static final class CellRenderer extends DefaultTableCellRenderer {
        CellRenderer() {
            setHorizontalAlignment(SwingConstants.RIGHT);
        }

        @Override
        public Component getTableCellRendererComponent(JTable table, Object value, boolean selected, boolean focus,
                                                       int row, int column) {
            super.getTableCellRendererComponent(table, value, selected, focus, row, column);
            IntegrityTableModel.Cell cell = (IntegrityTableModel.Cell) value;
            setFont(table.getFont().deriveFont(cell.bad() || cell.good() ? Font.BOLD : Font.PLAIN));
            setForeground(cell.bad() ? Palette.bad() : cell.good() ? Palette.good()
                    : cell.value() == null ? Palette.muted() : table.getForeground());
            return this;
        }
    }
}
