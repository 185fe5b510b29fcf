package dev.lockstep.console.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.audit.Anomalies;
import dev.lockstep.audit.AnomalyKind;
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
 * Writes the runs made so far as CSV or JSON, in the audit's terms (DESIGN.md), one run per row
 * or object. Files are written to a temporary sibling first and moved into place, so a failed
 * export never leaves half a file.
 */
public final class RunReportExporter {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private record Field(String name, Function<RunResult, Object> value) {
    }

    /** The columns of the CSV, in order; the JSON uses the same names (anomalies and ack latency nested). */
    private static final List<Field> FIELDS = fields();

    private static List<Field> fields() {
        List<Field> f = new ArrayList<>(List.of(
                new Field("mode", r -> r.mode().id()),
                new Field("seed", RunResult::seed),
                new Field("finishedAt", r -> Instant.ofEpochMilli(r.finishedAt()).toString()),
                new Field("orders", RunResult::orders),
                new Field("eventsSent", RunResult::eventsSent),
                new Field("accepted", RunResult::accepted),
                new Field("duplicatesDropped", RunResult::duplicatesDropped),
                new Field("rejected", RunResult::rejected),
                new Field("handled", RunResult::handled),
                new Field("applied", RunResult::applied),
                new Field("skippedStale", RunResult::skippedStale),
                new Field("staleWritesRejected", RunResult::staleWritesRejected),
                new Field("seconds", r -> decimal(r.seconds())),
                new Field("eventsPerSecond", r -> decimal(r.eventsPerSecond())),
                new Field("ackP50Ms", r -> decimal(r.ackP50Ms())),
                new Field("ackP99Ms", r -> decimal(r.ackP99Ms())),
                new Field("ackMaxMs", r -> decimal(r.ackMaxMs()))));
        for (AnomalyKind kind : AnomalyKind.values()) {
            f.add(new Field(kind.field(), r -> kind.of(r.anomalies())));
        }
        f.add(new Field("integrity", RunResult::integrity));
        return List.copyOf(f);
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

    public static void writeJson(List<RunResult> runs, Path file) throws IOException {
        ArrayNode array = JSON.createArrayNode();
        for (RunResult r : runs) {
            ObjectNode o = array.addObject();
            o.put("mode", r.mode().id());
            o.put("seed", r.seed());
            o.put("finishedAt", Instant.ofEpochMilli(r.finishedAt()).toString());
            o.put("orders", r.orders());
            o.put("eventsSent", r.eventsSent());
            o.put("accepted", r.accepted());
            o.put("duplicatesDropped", r.duplicatesDropped());
            o.put("rejected", r.rejected());
            o.put("handled", r.handled());
            o.put("applied", r.applied());
            o.put("skippedStale", r.skippedStale());
            o.put("staleWritesRejected", r.staleWritesRejected());
            o.put("seconds", r.seconds());
            o.put("eventsPerSecond", r.eventsPerSecond());
            ObjectNode ack = o.putObject("ackLatencyMs");
            ack.put("p50", r.ackP50Ms());
            ack.put("p99", r.ackP99Ms());
            ack.put("max", r.ackMaxMs());
            Anomalies a = r.anomalies();
            ObjectNode an = o.putObject("anomalies");
            for (AnomalyKind kind : AnomalyKind.values()) {
                an.put(kind.field(), kind.of(a));
            }
            o.put("integrity", r.integrity());
        }
        writeAtomically(file, w -> JSON.writeValue(w, array));
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

    private static String decimal(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    private static String csv(Object v) {
        String s = String.valueOf(v);
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
