package dev.lockstep.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Plain-text renderings of audit reports: one run's report and the modes-side-by-side table. */
final class ReportText {
    private static final String NL = System.lineSeparator();

    private ReportText() {
    }

    static String report(AuditReport r) {
        StringBuilder b = new StringBuilder();
        b.append(f("Burst audit — mode %s, %,d orders, %,d events%s", r.mode().id(), r.orders(), r.events(),
                r.runId().isEmpty() ? "" : ", run " + r.runId()
                        + (r.compareId().isEmpty() ? "" : " (compare " + r.compareId() + ")"))).append(NL);
        b.append(f("  fired    %,d deliveries: %,d accepted, %,d duplicates dropped, %,d rejected",
                r.eventsSent(), r.accepted(), r.duplicatesDropped(), r.rejected())).append(NL);
        if (r.retries() > 0 || r.givenUp() > 0) {
            b.append(f("  retried  %,d retries by the injector (5xx, 429, no answer); %,d deliveries given up after the last",
                    r.retries(), r.givenUp())).append(NL);
        }
        b.append(f("  handled  %,d = %,d applied + %,d skipped stale; %,d stale writes rejected by the store",
                r.handled(), r.applied(), r.skippedStale(), r.staleWritesRejected())).append(NL);
        b.append(f("  time     %.3f s, %,.1f events/s; ack latency p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                r.seconds(), r.eventsPerSecond(), r.ackLatencyMs().p50(), r.ackLatencyMs().p99(),
                r.ackLatencyMs().max())).append(NL);
        b.append(r.drained() ? "  drained  yes" : "  drained  NO — the drain timed out; events still queued count as never applied")
                .append(NL);
        if (r.journalDropped() > 0) {
            b.append(f("  journal  %,d entries dropped (buffer full while MongoDB was down or slow): timelines miss them",
                    r.journalDropped())).append(NL);
        }
        b.append("Anomalies").append(NL);
        for (AnomalyKind k : AnomalyKind.values()) {
            b.append(f("  %-19s %,9d  %s", k.field(), k.of(r.anomalies()), k.meaning())).append(NL);
        }
        b.append(verdict(r)).append(NL);
        b.append("Terms").append(NL);
        for (RunMeasure m : RunMeasure.values()) {
            b.append(f("  %-19s %s", m.field(), m.meaning())).append(NL);
        }
        return b.toString();
    }

    static String verdict(AuditReport r) {
        if (r.integrity()) {
            return f("Verdict: INTEGRITY HELD — no anomalies, all %,d accepted events handled.", r.accepted());
        }
        List<String> why = new ArrayList<>();
        int kinds = r.anomalies().kindsFound();
        if (kinds > 0) {
            why.add(f("%d kind%s of anomaly", kinds, kinds == 1 ? "" : "s"));
        }
        if (r.unhandled() > 0) {
            why.add(f("%,d of %,d accepted events not handled", r.unhandled(), r.accepted()));
        } else if (r.unhandled() < 0) {
            why.add(f("%,d more events handled than accepted", -r.unhandled()));
        }
        return "Verdict: INTEGRITY BROKEN — " + String.join("; ", why) + ".";
    }

    static String compareTable(List<AuditReport> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to compare");
        }
        List<String> labels = new ArrayList<>();
        List<List<String>> cells = new ArrayList<>();
        for (AnomalyKind k : AnomalyKind.values()) {
            addRow(labels, cells, k.field(), runs, r -> f("%,d", k.of(r.anomalies())));
        }
        addRow(labels, cells, "events/s", runs, r -> f("%,.1f", r.eventsPerSecond()));
        addRow(labels, cells, "p99 ack latency (ms)", runs, r -> f("%.2f", r.ackLatencyMs().p99()));
        addRow(labels, cells, "integrity", runs, r -> r.integrity() ? "yes" : "NO");

        int labelWidth = "mode".length();
        for (String l : labels) {
            labelWidth = Math.max(labelWidth, l.length());
        }
        int[] widths = new int[runs.size()];
        for (int c = 0; c < runs.size(); c++) {
            widths[c] = runs.get(c).mode().id().length();
            for (List<String> row : cells) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(pad("", labelWidth, false));
        for (int c = 0; c < runs.size(); c++) {
            b.append("  ").append(pad(runs.get(c).mode().id(), widths[c], true));
        }
        b.append(NL);
        for (int r = 0; r < labels.size(); r++) {
            b.append(pad(labels.get(r), labelWidth, false));
            for (int c = 0; c < runs.size(); c++) {
                b.append("  ").append(pad(cells.get(r).get(c), widths[c], true));
            }
            b.append(NL);
        }
        return b.toString();
    }

    private static void addRow(List<String> labels, List<List<String>> cells, String label, List<AuditReport> runs,
                               Function<AuditReport, String> cell) {
        labels.add(label);
        List<String> row = new ArrayList<>(runs.size());
        runs.forEach(r -> row.add(cell.apply(r)));
        cells.add(row);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
