package dev.lockstep.console.view;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import javax.swing.UIManager;
import org.jfree.chart.ChartPanel;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;

/**
 * A chart panel that takes its colours and fonts from the current look and feel, and takes them
 * again when the theme changes ({@link #updateUI}). Zoom and the context menu are off: these are
 * live dashboards, not exploration tools.
 */
public class ThemedChartPanel extends ChartPanel {

    public ThemedChartPanel(JFreeChart chart) {
        super(chart, false, true, false, false, true);
        setMouseZoomable(false);
        setMouseWheelEnabled(false);
        setPopupMenu(null);
        // draw at the real size instead of scaling a bitmap
        setMinimumDrawWidth(50);
        setMinimumDrawHeight(50);
        setMaximumDrawWidth(4000);
        setMaximumDrawHeight(3000);
        applyTheme();
    }

    @Override
    public void updateUI() {
        super.updateUI();
        if (getChart() != null) {
            applyTheme();
        }
    }

    private void applyTheme() {
        JFreeChart chart = getChart();
        Color background = UIManager.getColor("Panel.background");
        Color foreground = UIManager.getColor("Label.foreground");
        Color muted = Palette.muted();
        Color grid = UIManager.getColor("Component.borderColor");
        Font base = UIManager.getFont("Label.font");
        if (background == null || foreground == null || base == null) {
            return; // no look and feel yet
        }
        grid = grid != null ? grid : muted;
        setBackground(background);
        chart.setBackgroundPaint(background);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        TextTitle title = chart.getTitle();
        if (title != null) {
            title.setFont(base.deriveFont(Font.BOLD, base.getSize2D() + 1f));
            title.setPaint(foreground);
            title.setPadding(new RectangleInsets(2, 4, 6, 4));
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setBackgroundPaint(background);
            legend.setItemPaint(foreground);
            legend.setItemFont(base.deriveFont(base.getSize2D() - 1f));
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(background);
        plot.setOutlineVisible(false);
        plot.setNoDataMessagePaint(muted);
        plot.setNoDataMessageFont(base);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(grid);
            xy.setRangeGridlinePaint(grid);
            xy.setDomainGridlineStroke(new BasicStroke(0.5f));
            xy.setRangeGridlineStroke(new BasicStroke(0.5f));
            for (int i = 0; i < xy.getDomainAxisCount(); i++) {
                style(xy.getDomainAxis(i), foreground, muted, base);
            }
            for (int i = 0; i < xy.getRangeAxisCount(); i++) {
                style(xy.getRangeAxis(i), foreground, muted, base);
            }
            chart.setPadding(new RectangleInsets(0, 0, 0, rightOverhang(xy)));
        } else if (plot instanceof CategoryPlot cp) {
            cp.setRangeGridlinePaint(grid);
            cp.setRangeGridlineStroke(new BasicStroke(0.5f));
            style(cp.getDomainAxis(), foreground, muted, base);
            style(cp.getRangeAxis(), foreground, muted, base);
            if (cp.getRenderer() != null) {
                cp.getRenderer().setDefaultItemLabelPaint(foreground);
                cp.getRenderer().setDefaultItemLabelFont(base.deriveFont(base.getSize2D() - 2f));
            }
        }
    }

    /**
     * Room on the right for half of a time label: a time axis centres its labels on their ticks, and
     * the newest tick of a live chart sits at the plot's right edge, so without it its label is
     * clipped. A chart with a value axis on the right has that room already.
     */
    static double rightOverhang(XYPlot xy) {
        if (!(xy.getDomainAxis() instanceof org.jfree.chart.axis.DateAxis time) || xy.getRangeAxisCount() > 1
                && xy.getRangeAxis(1) != null) {
            return 0;
        }
        java.awt.Graphics2D g = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_INT_ARGB)
                .createGraphics();
        try {
            return Math.ceil(g.getFontMetrics(time.getTickLabelFont()).stringWidth("00:00:00") / 2.0) + 2;
        } finally {
            g.dispose();
        }
    }

    private static void style(Axis axis, Color foreground, Color muted, Font base) {
        if (axis == null) {
            return;
        }
        axis.setLabelPaint(muted);
        axis.setLabelFont(base.deriveFont(base.getSize2D() - 1f));
        axis.setTickLabelPaint(foreground);
        axis.setTickLabelFont(base.deriveFont(base.getSize2D() - 1.5f));
        axis.setAxisLinePaint(muted);
        axis.setTickMarkPaint(muted);
    }
}
