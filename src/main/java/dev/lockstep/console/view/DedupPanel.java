package dev.lockstep.console.view;

import static dev.lockstep.console.view.RowTableModel.column;

import dev.lockstep.console.backend.DuplicateInfo;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import javax.swing.JPanel;
import javax.swing.JTable;
import net.miginfocom.swing.MigLayout;
import org.jfree.data.time.TimeSeries;

/** Duplicate deliveries: how many were dropped, how fast, and the latest ones. */
public final class DedupPanel extends JPanel implements SnapshotView {
    private final MetricCard total = new MetricCard("dedup.total", "Duplicates dropped");
    private final MetricCard rate = new MetricCard("dedup.rate", "Dedup hits / s");
    private final MetricCard share = new MetricCard("dedup.share", "Share of deliveries");
    private final TimeSeries hits = LiveCharts.series("Dedup hits/s");
    private final TimeSeries[] series = {hits};

    private final RowTableModel<DuplicateInfo> model = new RowTableModel<>(d -> d.orderId() + "|" + d.effectId(),
            column("Event", String.class, DuplicateInfo::effectId),
            column("Order", String.class, d -> Long.toString(d.orderId())),
            column("First seen", String.class, d -> Format.clock(d.firstSeen())),
            column("Latest copy", String.class, d -> Format.clock(d.lastSeen())),
            column("Copies", Integer.class, DuplicateInfo::copies));
    private final JTable table = Tables.create("dedup.table", model);
    private final EmptyState empty = new EmptyState("dedup", Tables.scroll(table),
            "No duplicates seen yet — start a burst with a duplicate rate above 0");

    public DedupPanel(OrderNavigator navigator) {
        super(new MigLayout(
                "insets 12, gap 10",                                           // layout
                "[grow, fill, sg card][grow, fill, sg card][grow, fill, sg card]", // columns: three cards
                "[][grow 40, fill][][][grow 60, fill]"));                      // rows: cards, chart, title, caption, table
        setName("view.dedup");
        add(total);
        add(rate);
        add(share, "wrap");
        ThemedChartPanel chart = new ThemedChartPanel(LiveCharts.chart("Dedup hits over time", "hits / s", false, hits));
        chart.setName("dedup.chart");
        add(chart, "span 3, wrap");
        add(Headers.title("Latest duplicates"), "span 3, wrap");
        add(Headers.caption("Each row is one event delivered more than once; only its first copy was enqueued."),
                "span 3, wrap");
        add(empty, "span 3");
        Tables.widths(table, 260, 100, 120, 120, 70);
        Tables.opensTimeline(table, model, DuplicateInfo::orderId, navigator::openTimeline);
    }

    @Override
    public void refresh(ConsoleSnapshot s) {
        long dropped = s.counters().duplicatesDropped();
        long deliveries = s.counters().accepted() + dropped;
        total.setValue(Format.count(dropped));
        rate.setValue(Format.rate(s.rates().dedupHitsPerSecond()));
        share.setValue(deliveries == 0 ? "—" : Format.percent((double) dropped / deliveries));
        LiveCharts.append(s.takenAt(), series, new double[] {s.rates().dedupHitsPerSecond()});
        model.setRows(s.duplicates(), table);
        empty.setEmpty(s.duplicates().isEmpty());
    }
}
