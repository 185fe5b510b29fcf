package dev.lockstep.console.view;

import java.awt.BasicStroke;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.RangeType;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * Bounded live time series charts: the last minute, one point per snapshot (about 4 Hz).
 * JFreeChart is not thread-safe: everything here runs on the EDT.
 */
public final class LiveCharts {
    /** How much history a live chart keeps, in the series' unit (milliseconds). */
    public static final long WINDOW_MILLIS = 60_000;
    private static final int MAX_POINTS = 1_000;

    private LiveCharts() {
    }

    /** A bounded series. */
    public static TimeSeries series(String name) {
        TimeSeries s = new TimeSeries(name);
        s.setMaximumItemAge(WINDOW_MILLIS);
        s.setMaximumItemCount(MAX_POINTS);
        return s;
    }

    /** A line chart of {@code series} over a sliding one-minute window. */
    public static JFreeChart chart(String title, String unit, boolean integers, TimeSeries... series) {
        TimeSeriesCollection data = new TimeSeriesCollection();
        for (TimeSeries s : series) {
            data.addSeries(s);
        }
        DateAxis time = new DateAxis();
        time.setFixedAutoRange(WINDOW_MILLIS);
        time.setLowerMargin(0);
        time.setUpperMargin(0);
        NumberAxis value = valueAxis(unit, integers);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < series.length; i++) {
            renderer.setSeriesPaint(i, Palette.series(i));
            renderer.setSeriesStroke(i, new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        }
        XYPlot plot = new XYPlot(data, time, value, renderer);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, series.length > 1);
        plot.setNoDataMessage("Waiting for data…");
        return chart;
    }

    /** Counts and rates never go below zero; an idle chart shows 0..5, not a band around zero. */
    private static NumberAxis valueAxis(String unit, boolean integers) {
        NumberAxis axis = new NumberAxis(unit);
        axis.setRangeType(RangeType.POSITIVE);
        axis.setAutoRangeIncludesZero(true);
        axis.setAutoRangeMinimumSize(5);
        axis.setStandardTickUnits(integers ? NumberAxis.createIntegerTickUnits(Locale.ROOT)
                : NumberAxis.createStandardTickUnits(Locale.ROOT));
        return axis;
    }

    /**
     * A line chart with a second value axis on the right, for series of a much smaller scale
     * (lanes beside thousands of waiting events).
     */
    public static JFreeChart dualAxisChart(String title, String leftUnit, TimeSeries[] left, String rightUnit,
                                           TimeSeries[] right) {
        JFreeChart chart = chart(title, leftUnit, true, left);
        XYPlot plot = chart.getXYPlot();
        TimeSeriesCollection data = new TimeSeriesCollection();
        for (TimeSeries s : right) {
            data.addSeries(s);
        }
        NumberAxis axis = valueAxis(rightUnit, true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < right.length; i++) {
            renderer.setSeriesPaint(i, Palette.series(left.length + i));
            renderer.setSeriesStroke(i, new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND,
                    10f, new float[] {5f, 3f}, 0f));
        }
        plot.setRangeAxis(1, axis);
        plot.setDataset(1, data);
        plot.setRenderer(1, renderer);
        plot.mapDatasetToRangeAxis(1, 1);
        chart.setNotify(true);
        if (chart.getLegend() == null) {
            chart.addLegend(new org.jfree.chart.title.LegendTitle(plot));
        }
        return chart;
    }

    /**
     * Adds one point to each series (batched, no event each) and then fires one change per series.
     * Points at or before a series' last time are ignored.
     */
    public static void append(long at, TimeSeries[] series, double[] values) {
        FixedMillisecond t = new FixedMillisecond(at);
        for (int i = 0; i < series.length; i++) {
            TimeSeries s = series[i];
            if (s.getItemCount() > 0 && s.getTimePeriod(s.getItemCount() - 1).getLastMillisecond() >= at) {
                continue;
            }
            s.add(t, values[i], false);
        }
        for (TimeSeries s : series) {
            s.fireSeriesChanged(); // add() already dropped what is older than the maximum item age
        }
    }
}
