package dev.lockstep.console.view;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.lockstep.audit.AnomalyKind;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.audit.ReportJson;
import dev.lockstep.console.backend.RunResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Writes the runs made so far as CSV or JSON, in the audit's terms (docs/DESIGN.md, "Audit terms"), one run per row
 * or object. The JSON is the audit's own ({@link ReportJson}, as the CLI's {@code --json} writes
 * it) with the run's seed and finish time added; the CSV flattens the same fields. Files are
 * written to a temporary sibling first and moved into place, so a failed export never leaves half
 * a file.
 */
public final class RunReportExporter {

    private record Field(String name, Function<RunResult, Object> value) {
    }

    /** The columns of the CSV, in order: the JSON's names, ack latency and anomalies flattened. */
    private static final List<Field> FIELDS = fields();

    private static List<Field> fields() {
        List<Field> f = new ArrayList<>(List.of(
                new Field("mode", r -> r.report().mode().id()),
                new Field("seed", RunResult::seed),
                new Field("finishedAt", RunReportExporter::isoFinishedAt),
                new Field("orders", r -> r.report().orders()),
                new Field("eventsSent", r -> r.report().eventsSent()),
                new Field("accepted", r -> r.report().accepted()),
                new Field("duplicatesDropped", r -> r.report().duplicatesDropped()),
                new Field("rejected", r -> r.report().rejected()),
                new Field("handled", r -> r.report().handled()),
                new Field("applied", r -> r.report().applied()),
                new Field("skippedStale", r -> r.report().skippedStale()),
                new Field("staleWritesRejected", r -> r.report().staleWritesRejected()),
                new Field("seconds", r -> decimal(r.report().seconds())),
                new Field("eventsPerSecond", r -> decimal(r.report().eventsPerSecond())),
                new Field("ackP50Ms", r -> decimal(r.report().ackLatencyMs().p50())),
                new Field("ackP99Ms", r -> decimal(r.report().ackLatencyMs().p99())),
                new Field("ackMaxMs", r -> decimal(r.report().ackLatencyMs().max()))));
        for (AnomalyKind kind : AnomalyKind.values()) {
            f.add(new Field(kind.field(), r -> kind.of(r.report().anomalies())));
        }
        f.add(new Field("integrity", r -> r.report().integrity()));
        return List.copyOf(f);
    }

    /**
     * One run in the JSON export: the audit report's fields as they are, then the run's seed and
     * when it finished (ISO-8601).
     */
    record ExportedRun(@JsonUnwrapped AuditReport report, long seed, String finishedAt) {
        static ExportedRun of(RunResult r) {
            return new ExportedRun(r.report(), r.seed(), isoFinishedAt(r));
        }
    }

    private RunReportExporter() {
    }

    public static void writeCsv(List<RunResult> runs, Path file) throws IOException {
        writeAtomically(file, w -> {
            w.write(String.join(",", FIELDS.stream().map(Field::name).toList()));
            w.write("\n");
            for (RunResult r : runs) {
                w.write(String.join(",", FIELDS.stream().map(f -> csv(f.value().apply(r))).toList()));
                w.write("\n");
            }
        });
    }

    /** A JSON array, one object per run. */
    public static void writeJson(List<RunResult> runs, Path file) throws IOException {
        List<ExportedRun> rows = runs.stream().map(ExportedRun::of).toList();
        writeAtomically(file, w -> ReportJson.writeIndented(w, rows));
    }

    private interface Body {
        void write(Writer w) throws IOException;
    }

    private static void writeAtomically(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.write(w);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String isoFinishedAt(RunResult r) {
        return Instant.ofEpochMilli(r.finishedAt()).toString();
    }

    private static String decimal(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    private static String csv(Object v) {
        String s = String.valueOf(v);
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
