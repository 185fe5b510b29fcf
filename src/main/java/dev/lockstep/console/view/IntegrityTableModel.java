package dev.lockstep.console.view;

import dev.lockstep.audit.AnomalyKind;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.audit.RunMeasure;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.pipeline.Mode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.swing.table.AbstractTableModel;

/**
 * The before/after table: one row per measure (size, counts, anomalies, throughput, ack p99), one
 * column per mode showing that mode's latest run. Every measure has its one-line meaning, from the
 * audit's one definition ({@link RunMeasure}, {@link AnomalyKind}).
 */
public final class IntegrityTableModel extends AbstractTableModel {

    /**
     * One row. {@code anomaly} rows are coloured: above zero bad, zero good.
     *
     * @param meaning what the row measures, for its tooltip and the legend
     */
    public record Measure(String name, ToDoubleFunction<AuditReport> value, boolean anomaly, boolean millis,
                          String meaning) {
        Measure(RunMeasure m) {
            this(m.label(), m::of, false, m == RunMeasure.ACK_P99, m.meaning());
        }

        Measure(AnomalyKind kind) {
            this(kind.label(), r -> kind.of(r.anomalies()), true, false, kind.meaning());
        }
    }

    /** A cell: the number, and whether its row is an anomaly. Null value: the mode has no run yet. */
    public record Cell(Double value, boolean anomaly, boolean millis, boolean integrityRow) {
        @Override
        public String toString() {
            if (value == null) {
                return "—";
            }
            if (integrityRow) {
                return value > 0 ? "✓ intact" : "✗ broken";
            }
            if (millis) {
                return Format.millis(value);
            }
            return value == Math.rint(value) || value >= 1000 ? Format.count(Math.round(value)) : Format.decimal(value);
        }

        /** Whether this cell reports a problem. */
        public boolean bad() {
            return value != null && (integrityRow ? value == 0 : anomaly && value > 0);
        }

        public boolean good() {
            return value != null && (integrityRow ? value > 0 : anomaly && value == 0);
        }
    }

    /** The rows: size and counts, one row per {@link AnomalyKind}, throughput, ack p99, and integrity last. */
    public static final List<Measure> MEASURES = measures();

    private static List<Measure> measures() {
        List<Measure> m = new ArrayList<>();
        for (RunMeasure r : List.of(RunMeasure.ORDERS, RunMeasure.EVENTS, RunMeasure.EVENTS_SENT, RunMeasure.ACCEPTED,
                RunMeasure.DUPLICATES_DROPPED, RunMeasure.APPLIED, RunMeasure.SKIPPED_STALE,
                RunMeasure.STALE_WRITES_REJECTED)) {
            m.add(new Measure(r));
        }
        for (AnomalyKind kind : AnomalyKind.values()) {
            m.add(new Measure(kind));
        }
        m.add(new Measure(RunMeasure.EVENTS_PER_SECOND));
        m.add(new Measure(RunMeasure.ACK_P99));
        m.add(new Measure(RunMeasure.INTEGRITY));
        return List.copyOf(m);
    }

    private final Map<Mode, RunResult> latest = new EnumMap<>(Mode.class);

    /** Keeps each mode's latest run. */
    public void setRuns(List<RunResult> runs) {
        latest.clear();
        for (RunResult r : runs) {
            latest.put(r.report().mode(), r);
        }
        fireTableDataChanged();
    }

    public RunResult latest(Mode mode) {
        return latest.get(mode);
    }

    /** What a column shows: its mode's latest run (id, compare), for the header's tooltip. */
    public String columnDescription(int column) {
        if (column == 0) {
            return "What each row measures: hover a name for its meaning, or read the legend";
        }
        Mode m = Mode.values()[column - 1];
        RunResult r = latest.get(m);
        if (r == null) {
            return m.id() + ": no run yet";
        }
        String id = r.runId().isEmpty() ? "a run without an id" : "run " + r.runId();
        return m.id() + ": its latest run, " + id + (r.compareId().isEmpty() ? " (a burst)" : " of compare "
                + r.compareId()) + ", " + Format.count(r.report().orders()) + " orders, seed " + r.seed();
    }

    /** Whether the shown columns come from different runs of different sizes or seeds (not one compare). */
    public boolean mixed() {
        return latest.values().stream().map(r -> r.report().orders() + "/" + r.report().events() + "/" + r.seed())
                .distinct().count() > 1;
    }

    @Override
    public int getRowCount() {
        return MEASURES.size();
    }

    @Override
    public int getColumnCount() {
        return 1 + Mode.values().length;
    }

    @Override
    public String getColumnName(int column) {
        return column == 0 ? "Measure" : Mode.values()[column - 1].id();
    }

    @Override
    public Class<?> getColumnClass(int column) {
        return column == 0 ? String.class : Cell.class;
    }

    @Override
    public Object getValueAt(int row, int column) {
        Measure m = MEASURES.get(row);
        if (column == 0) {
            return m.name();
        }
        RunResult r = latest.get(Mode.values()[column - 1]);
        boolean integrityRow = row == MEASURES.size() - 1;
        return new Cell(r == null ? null : m.value().applyAsDouble(r.report()), m.anomaly(), m.millis(), integrityRow);
    }
}
