package dev.lockstep.console.view;

import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.queue.QueueStats;
import javax.swing.JPanel;
import net.miginfocom.swing.MigLayout;
import org.jfree.data.time.TimeSeries;

/**
 * The whole queue at a glance: headline counters and live charts of depth, throughput, dedup hits
 * and lease hold time.
 */
public final class OverviewPanel extends JPanel implements SnapshotView {
    private final MetricCard waiting = new MetricCard("overview.counter.waiting", "Waiting events");
    private final MetricCard leased = new MetricCard("overview.counter.leased", "Leased lanes");
    private final MetricCard parked = new MetricCard("overview.counter.parked", "Parked lanes");
    private final MetricCard applied = new MetricCard("overview.counter.applied", "Applied");
    private final MetricCard appliedRate = new MetricCard("overview.counter.appliedRate", "Applied / s");
    private final MetricCard dedup = new MetricCard("overview.counter.dedup", "Dedup hits");
    private final MetricCard rejected = new MetricCard("overview.counter.rejected", "Stale writes rejected");
    private final MetricCard overlaps = new MetricCard("overview.counter.overlaps", "Overlaps seen");

    private final TimeSeries depthWaiting = LiveCharts.series("Waiting events");
    private final TimeSeries depthLeased = LiveCharts.series("Leased lanes");
    private final TimeSeries depthParked = LiveCharts.series("Parked lanes");
    private final TimeSeries throughput = LiveCharts.series("Applied/s");
    private final TimeSeries acceptedRate = LiveCharts.series("Accepted/s");
    private final TimeSeries dedupRate = LiveCharts.series("Dedup hits/s");
    private final TimeSeries holdP50 = LiveCharts.series("p50");
    private final TimeSeries holdP99 = LiveCharts.series("p99");
    private final TimeSeries[] all = {depthWaiting, depthLeased, depthParked, throughput, acceptedRate, dedupRate,
            holdP50, holdP99};

    public OverviewPanel() {
        super(new MigLayout(
                "insets 12, gap 10",                                    // layout
                "[grow, fill, sg card][grow, fill, sg card][grow, fill, sg card][grow, fill, sg card]", // columns: four cards a row
                "[][][grow, fill, sg chart][grow, fill, sg chart]"));   // rows: cards, cards, charts, charts
        setName("view.overview");
        add(waiting);
        add(leased);
        add(parked);
        add(applied, "wrap");
        add(appliedRate);
        add(dedup);
        add(rejected);
        add(overlaps, "wrap");
        add(chart("overview.depthChart",
                LiveCharts.dualAxisChart("Queue depth", "waiting events", new TimeSeries[] {depthWaiting}, "lanes",
                        new TimeSeries[] {depthLeased, depthParked})), "span 2");
        add(chart("overview.throughputChart",
                LiveCharts.chart("Throughput", "events / s", false, throughput, acceptedRate)), "span 2, wrap");
        add(chart("overview.dedupChart", LiveCharts.chart("Dedup hits", "hits / s", false, dedupRate)), "span 2");
        add(chart("overview.holdChart", LiveCharts.chart("Lease hold time", "ms", false, holdP50, holdP99)), "span 2");
    }

    private static ThemedChartPanel chart(String name, org.jfree.chart.JFreeChart chart) {
        ThemedChartPanel p = new ThemedChartPanel(chart);
        p.setName(name);
        return p;
    }

    @Override
    public void refresh(ConsoleSnapshot s) {
        QueueStats q = s.queue();
        RunCounters.Snapshot c = s.counters();
        waiting.setValue(Format.count(q.waiting()));
        leased.setValue(Format.count(q.leasedLanes()));
        parked.setValue(Format.count(q.parkedLanes()));
        parked.setValueColor(q.parkedLanes() > 0 ? Palette.warn() : null);
        applied.setValue(Format.count(c.applied()));
        appliedRate.setValue(Format.rate(s.rates().appliedPerSecond()));
        dedup.setValue(Format.count(c.duplicatesDropped()));
        rejected.setValue(Format.count(c.staleWritesRejected()));
        overlaps.setValue(Format.count(c.overlaps()));
        overlaps.setValueColor(c.overlaps() > 0 ? Palette.bad() : Palette.good());
        LiveCharts.append(s.takenAt(), all, new double[] {q.waiting(), q.leasedLanes(), q.parkedLanes(),
                s.rates().appliedPerSecond(), s.rates().acceptedPerSecond(), s.rates().dedupHitsPerSecond(),
                s.holdTimes().p50Millis(), s.holdTimes().p99Millis()});
    }
}
