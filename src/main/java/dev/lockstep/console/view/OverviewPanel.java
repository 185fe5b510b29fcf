package dev.lockstep.console.view;

import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.queue.QueueStats;
import javax.swing.JLabel;
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
    /** What the counters count: since when, and whose. */
    private final JLabel countersCaption = Headers.caption(" ");
    /** Where to start, while nothing has happened yet. */
    private final JLabel hint = new JLabel(" ");

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
                "[][][][][grow, fill, sg chart][grow, fill, sg chart]")); // rows: caption, cards, cards, hint, charts, charts
        setName("view.overview");
        countersCaption.setName("overview.countersCaption");
        hint.setName("overview.hint");
        hint.putClientProperty("FlatLaf.styleClass", "large");
        add(countersCaption, "span 4, wrap");
        add(waiting);
        add(leased);
        add(parked);
        add(applied, "wrap");
        add(appliedRate);
        add(dedup);
        add(rejected);
        add(overlaps, "wrap");
        // hidden, it keeps its (now empty) row, so the charts stay in the two rows that grow
        add(hint, "span 4, wrap, hidemode 2");
        add(chart("overview.depthChart",
                LiveCharts.dualAxisChart("Queue depth", "waiting events", new TimeSeries[] {depthWaiting}, "lanes",
                        new TimeSeries[] {depthLeased, depthParked})), "span 2");
        add(chart("overview.throughputChart",
                LiveCharts.chart("Throughput", "events / s", false, throughput, acceptedRate)), "span 2, wrap");
        add(chart("overview.dedupChart", LiveCharts.chart("Dedup hits", "hits / s", false, dedupRate)), "span 2");
        add(chart("overview.holdChart", LiveCharts.chart("Lease hold time", "ms", false, holdP50, holdP99)), "span 2");
    }

    /** Where a newcomer starts: a burst, or real webhooks at the ingest (when one runs here). */
    static String startHint(String ingestUrl) {
        return "<html>Nothing has run yet. Run a burst from the <b>Burst</b> view (Ctrl+5)"
                + (ingestUrl == null || ingestUrl.isEmpty()
                        ? ", or start workers on this queue (<code>lockstep worker</code>) and send them webhooks."
                        : ", or point a webhook at <b>" + ingestUrl + "</b> (signed with the configured HMAC secret).")
                + "</html>";
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
        // by value: red when there were overlaps; zero is not "all clear" when the counted run was not the one that had them
        overlaps.setValueColor(c.overlaps() > 0 ? Palette.bad() : null);
        String mode = s.env().mode() == null ? "lockstep" : s.env().mode().id();
        boolean otherMode = s.progress().running() && s.progress().mode() != null
                && s.progress().mode() != dev.lockstep.pipeline.Mode.LOCKSTEP;
        countersCaption.setText(otherMode
                ? "Counters of the " + s.progress().mode().id() + " run now going (queue depths: the lockstep queue)"
                : "Counters since launch, of the " + mode + " workers; each run's own figures are in the Burst"
                        + " and Integrity views");
        boolean nothingYet = c.accepted() == 0 && q.enqueued() == 0 && s.runs().isEmpty() && !s.progress().running();
        hint.setVisible(nothingYet);
        if (nothingYet) {
            hint.setText(startHint(s.env().ingestUrl()));
        }
        LiveCharts.append(s.takenAt(), all, new double[] {q.waiting(), q.leasedLanes(), q.parkedLanes(),
                s.rates().appliedPerSecond(), s.rates().acceptedPerSecond(), s.rates().dedupHitsPerSecond(),
                s.holdTimes().p50Millis(), s.holdTimes().p99Millis()});
    }
}
