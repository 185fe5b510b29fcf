package dev.lockstep.console.view;

import dev.lockstep.audit.AnomalyKind;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.pipeline.Mode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.swing.table.AbstractTableModel;

/**
 * The before/after table: one row per measure (counts, anomalies, throughput, ack p99), one
 * column per mode showing that mode's latest run.
 */
public final class IntegrityTableModel extends AbstractTableModel {

    /**
     * One row. {@code anomaly} rows are coloured: above zero bad, zero good.
     *
     * @param meaning what the row counts, for its tooltip; empty if the name says it all
     */
    public record Measure(String name, ToDoubleFunction<AuditReport> value, boolean anomaly, boolean millis,
                          String meaning) {
        Measure(String name, ToDoubleFunction<AuditReport> value, boolean millis) {
            this(name, value, false, millis, "");
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

    /** The rows: counts, one row per {@link AnomalyKind}, throughput, ack p99, and integrity last. */
    public static final List<Measure> MEASURES = measures();

    private static List<Measure> measures() {
        List<Measure> m = new ArrayList<>(List.of(
                new Measure("Deliveries sent", AuditReport::eventsSent, false),
                new Measure("Accepted", AuditReport::accepted, false),
                new Measure("Duplicates dropped", AuditReport::duplicatesDropped, false),
                new Measure("Applied", AuditReport::applied, false),
                new Measure("Skipped as stale", AuditReport::skippedStale, false),
                new Measure("Stale writes rejected", AuditReport::staleWritesRejected, false)));
        for (AnomalyKind kind : AnomalyKind.values()) {
            m.add(new Measure(kind));
        }
        m.add(new Measure("Events / s", AuditReport::eventsPerSecond, false));
        m.add(new Measure("Ack p99", r -> r.ackLatencyMs().p99(), true));
        m.add(new Measure("Integrity", r -> r.integrity() ? 1 : 0, false));
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
