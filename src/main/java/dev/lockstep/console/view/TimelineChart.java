package dev.lockstep.console.view;

import dev.lockstep.console.view.TimelineAnalysis.Kind;
import dev.lockstep.console.view.TimelineAnalysis.Mark;
import dev.lockstep.console.view.TimelineAnalysis.Row;
import dev.lockstep.console.view.TimelineAnalysis.Segment;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import javax.swing.UIManager;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * The Gantt-like time chart of one order: one row per event, time (ms since its first delivery)
 * across. Handler runs are coloured by outcome; runs that overlapped another run of the same order
 * are drawn in the overlap colour on top, so a race in {@code unsafe} or {@code seed} stands out.
 */
final class TimelineChart {
    /** Series order = drawing order: later series paint over earlier ones. */
    private static final Kind[] KINDS = {Kind.WAITING, Kind.DUPLICATE, Kind.APPLIED, Kind.SKIPPED, Kind.INTERRUPTED,
            Kind.REJECTED};
    /** Rows of marker labels stacked under each other before a label is left out (the journal table lists it). */
    static final int LABEL_ROWS = 4;
    /** Width of one label character in pixels, a little over the label font's average. */
    private static final double CHAR_PX = 7.5;
    private static final String OVERLAP = "Overlapping handler";

    private final JFreeChart chart;
    private final XYPlot plot;
    private final XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
    /** Per series, per item: the segment behind it (for tooltips). */
    private final List<List<Segment>> segmentsBySeries = new ArrayList<>();
    private final List<List<String>> rowBySeries = new ArrayList<>();

    TimelineChart() {
        NumberAxis time = new NumberAxis("ms since the order's first delivery");
        time.setAutoRangeIncludesZero(true);
        time.setUpperMargin(0.12); // room for the last marker's label
        SymbolAxis rows = new SymbolAxis(null, new String[0]);
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setUseYInterval(true);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setDefaultToolTipGenerator((dataset, series, item) -> tooltip(series, item));
        plot = new XYPlot(data, rows, time, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // later series (outcomes) over the overlap halo
        plot.setNoDataMessage("No journal entries for this order");
        chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    }

    JFreeChart chart() {
        return chart;
    }

    /**
     * Label rows for the marks (sorted by time) so that no two labels in a row overlap: each label
     * takes the first row where the previous label has ended; a mark that finds no free row among
     * {@code maxRows} gets -1 and is drawn without a label ("→ CREATPAIDREATED" was three labels
     * printed over each other).
     *
     * @param msPerChar how many milliseconds of the time axis one label character covers
     */
    static int[] labelRows(List<Mark> marks, long origin, double msPerChar, int maxRows) {
        int[] rows = new int[marks.size()];
        double[] rowEnd = new double[maxRows];
        java.util.Arrays.fill(rowEnd, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < marks.size(); i++) {
            double x = marks.get(i).at() - origin;
            double width = (marks.get(i).label().length() + 1) * msPerChar;
            rows[i] = -1;
            for (int r = 0; r < maxRows; r++) {
                if (rowEnd[r] <= x) {
                    rows[i] = r;
                    rowEnd[r] = x + width;
                    break;
                }
            }
        }
        return rows;
    }

    /** Redraws from an analysis, for a chart about {@code widthPx} wide. EDT only. */
    void show(TimelineAnalysis a, int widthPx) {
        data.removeAllSeries();
        segmentsBySeries.clear();
        rowBySeries.clear();
        XYBarRenderer renderer = (XYBarRenderer) plot.getRenderer();
        long span = Math.max(1, a.end() - a.origin());
        double minWidth = Math.max(0.5, span / 250.0); // a zero-length step stays visible
        List<String> labels = new ArrayList<>();
        for (Row r : a.rows()) {
            labels.add(r.effectId());
        }
        // overlapping runs first, as a wide halo behind their outcome bar
        int seriesIndex = addSeries(a, OVERLAP, Segment::overlapping, minWidth, renderer, 0, Palette.overlap(), 0.44);
        for (Kind kind : KINDS) {
            seriesIndex = addSeries(a, kind.label(), s -> s.kind() == kind, minWidth, renderer, seriesIndex,
                    color(kind), kind == Kind.WAITING ? 0.1 : 0.26);
        }

        SymbolAxis rows = new SymbolAxis(null, labels.toArray(new String[0]));
        rows.setInverted(true); // first event on top
        rows.setGridBandsVisible(false);
        Font font = UIManager.getFont("Label.font");
        if (font != null) {
            rows.setTickLabelFont(font.deriveFont(font.getSize2D() - 1.5f));
            rows.setTickLabelPaint(UIManager.getColor("Label.foreground"));
        }
        rows.setRange(-0.6, Math.max(0.6, labels.size() - 0.4));
        plot.setDomainAxis(rows);

        // the time range follows the whole order, whatever the axes saw while the series were added
        ((NumberAxis) plot.getRangeAxis()).setRange(0, span * 1.12);
        plot.clearRangeMarkers();
        double msPerChar = span * 1.12 / Math.max(200, widthPx - 120) * CHAR_PX;
        int[] labelRows = labelRows(a.marks(), a.origin(), msPerChar, LABEL_ROWS);
        float labelSize = font != null ? font.getSize2D() - 2f : 10f;
        for (int i = 0; i < a.marks().size(); i++) {
            Mark m = a.marks().get(i);
            ValueMarker marker = new ValueMarker(m.at() - a.origin());
            marker.setPaint(m.stateTransition() ? Palette.series(0) : Palette.warn());
            marker.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    m.stateTransition() ? null : new float[] {4f, 3f}, 0f));
            if (labelRows[i] >= 0) {
                marker.setLabel(m.label());
                marker.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(2 + labelRows[i] * (labelSize + 4), 2, 2, 2));
            }
            marker.setLabelBackgroundColor(new Color(0, 0, 0, 0));
            marker.setLabelPaint(m.stateTransition() ? Palette.series(0) : Palette.warn());
            if (font != null) {
                marker.setLabelFont(font.deriveFont(Font.BOLD, font.getSize2D() - 2f));
            }
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addRangeMarker(marker, Layer.FOREGROUND);
        }
    }

    private int addSeries(TimelineAnalysis a, String name, java.util.function.Predicate<Segment> which,
                          double minWidth, XYBarRenderer renderer, int index, Color color, double half) {
        XYIntervalSeries series = new XYIntervalSeries(name, false, true);
        List<Segment> segs = new ArrayList<>();
        List<String> rowNames = new ArrayList<>();
        List<Row> rows = a.rows();
        for (int r = 0; r < rows.size(); r++) {
            for (Segment s : rows.get(r).segments()) {
                if (!which.test(s)) {
                    continue;
                }
                double start = s.start() - a.origin();
                double end = Math.max(s.end() - a.origin(), start + minWidth);
                series.add(r, r - half, r + half, start, start, end);
                segs.add(s);
                rowNames.add(rows.get(r).effectId());
            }
        }
        if (series.getItemCount() == 0) {
            return index;
        }
        data.addSeries(series);
        renderer.setSeriesPaint(index, color);
        segmentsBySeries.add(segs);
        rowBySeries.add(rowNames);
        return index + 1;
    }

    private String tooltip(int series, int item) {
        if (series >= segmentsBySeries.size() || item >= segmentsBySeries.get(series).size()) {
            return null;
        }
        Segment s = segmentsBySeries.get(series).get(item);
        StringBuilder sb = new StringBuilder("<html><b>").append(rowBySeries.get(series).get(item)).append("</b><br>")
                .append(s.kind().label());
        if (s.overlapping()) {
            sb.append(" — <b>overlapped another handler of this order</b>");
        }
        sb.append("<br>").append(Format.clock(s.start())).append(" → ").append(Format.clock(s.end()))
                .append(" (").append(Format.millis(s.end() - s.start())).append(')');
        if (!s.worker().isEmpty()) {
            sb.append("<br>worker ").append(s.worker());
        }
        if (s.token() != 0) {
            sb.append("<br>fencing token ").append(s.token());
        }
        if (!s.detail().isEmpty()) {
            sb.append("<br>").append(s.detail());
        }
        return sb.append("</html>").toString();
    }

    static Color color(Kind kind) {
        return switch (kind) {
            case WAITING -> Palette.muted();
            case DUPLICATE -> Palette.series(3);
            case APPLIED -> Palette.good();
            case SKIPPED -> Palette.warn();
            case INTERRUPTED -> Palette.series(2);
            case REJECTED -> Palette.bad();
        };
    }
}
