package dev.lockstep.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.time.TimeSeries;
import org.junit.jupiter.api.Test;

/** A live chart's newest time label fits inside the chart instead of being cut at its right edge. */
class LiveChartLabelsTest {
    private static final int WIDTH = 420;

    @Test
    void theRightMostTimeLabelIsNotClipped() throws Exception {
        TimeSeries s = LiveCharts.series("Applied/s");
        // just past a whole half minute: a labelled tick sits a pixel from the plot's right edge
        long end = 1_700_000_040_000L + 100;
        for (long t = end - LiveCharts.WINDOW_MILLIS; t <= end; t += 250) {
            LiveCharts.append(t, new TimeSeries[] {s}, new double[] {t % 7});
        }
        JFreeChart[] chart = new JFreeChart[1];
        javax.swing.SwingUtilities.invokeAndWait(() -> {
            chart[0] = LiveCharts.chart("Throughput", "events / s", false, s);
            new ThemedChartPanel(chart[0]); // themes fonts and padding
        });

        BufferedImage image = new BufferedImage(WIDTH, 240, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            ChartRenderingInfo info = new ChartRenderingInfo();
            chart[0].draw(g, new Rectangle2D.Double(0, 0, WIDTH, 240), info);
            Rectangle2D data = info.getPlotInfo().getDataArea();
            DateAxis time = (DateAxis) chart[0].getXYPlot().getDomainAxis();
            @SuppressWarnings("unchecked")
            List<ValueTick> ticks = (List<ValueTick>) (List<?>) time.refreshTicks(g, new AxisState(), data,
                    RectangleEdge.BOTTOM);
            double rightMost = 0;
            for (ValueTick tick : ticks) {
                if (tick.getText() == null || tick.getText().isEmpty()) {
                    continue;
                }
                double x = time.valueToJava2D(tick.getValue(), data, RectangleEdge.BOTTOM);
                double half = g.getFontMetrics(time.getTickLabelFont()).stringWidth(tick.getText()) / 2.0;
                rightMost = Math.max(rightMost, x + half);
            }
            assertThat(rightMost).as("the right edge of the last time label").isPositive().isLessThanOrEqualTo(WIDTH);
        } finally {
            g.dispose();
        }
    }
}
