package dev.lockstep.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.audit.Anomalies;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.pipeline.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportExporterTest {
    @TempDir
    Path dir;

    private static AuditReport report(Mode mode, Anomalies a) {
        return new AuditReport(mode, 100, 440, 400, 40, 0, 400, 380, 20, 0, 2.5, 176,
                new AuditReport.AckLatency(1.5, 12.25, 40), a, true);
    }

    private static RunResult run(Mode mode, Anomalies a) {
        return new RunResult(report(mode, a), 42, 1_700_000_000_000L);
    }

    private final List<RunResult> runs = List.of(run(Mode.UNSAFE, new Anomalies(3, 40, 5, 7, 1, 4, 9)),
            run(Mode.LOCKSTEP, Anomalies.NONE));

    @Test
    void csvHasOneHeaderAndOneLinePerRunInTheAuditsTerms() throws Exception {
        Path file = dir.resolve("sub/runs.csv");
        RunReportExporter.writeCsv(runs, file);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("mode,seed,finishedAt,orders,eventsSent,accepted,duplicatesDropped,rejected,"
                + "handled,applied,skippedStale,staleWritesRejected,seconds,eventsPerSecond,ackP50Ms,ackP99Ms,ackMaxMs,"
                + "duplicateOrders,lostInventoryUnits,outOfOrder,appliedTwice,neverApplied,finalStateMismatch,overlaps,"
                + "integrity");
        assertThat(lines.get(1)).isEqualTo("unsafe,42,2023-11-14T22:13:20Z,100,440,400,40,0,400,380,20,0,2.500,"
                + "176.000,1.500,12.250,40.000,3,40,5,7,1,4,9,false");
        assertThat(lines.get(2)).startsWith("lockstep,").endsWith(",0,0,0,0,0,0,0,true");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void jsonNestsAnomaliesAndAckLatencyLikeTheAuditReport() throws Exception {
        Path file = dir.resolve("runs.json");
        RunReportExporter.writeJson(runs, file);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(2);
        JsonNode unsafe = json.get(0);
        assertThat(unsafe.get("mode").asText()).isEqualTo("unsafe");
        assertThat(unsafe.get("seed").asLong()).isEqualTo(42);
        assertThat(unsafe.get("finishedAt").asText()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(unsafe.get("ackLatencyMs").get("p99").asDouble()).isEqualTo(12.25);
        assertThat(unsafe.get("anomalies").get("lostInventoryUnits").asLong()).isEqualTo(40);
        assertThat(unsafe.get("integrity").asBoolean()).isFalse();
        assertThat(json.get(1).get("integrity").asBoolean()).isTrue();
    }

    /**
     * The export and the CLI's {@code --json} write one form: each exported run is the report's
     * JSON as the CLI writes it, then the run's seed and finish time. (Since the export went
     * through the audit's writer it also carries {@code drained}, and seed and finishedAt come
     * last rather than after mode.)
     */
    @Test
    void eachExportedRunIsTheCliJsonOfItsReportPlusSeedAndFinishTime() throws Exception {
        Path file = dir.resolve("runs.json");
        RunReportExporter.writeJson(runs, file);

        ObjectMapper mapper = new ObjectMapper();
        JsonNode json = mapper.readTree(file.toFile());
        for (int i = 0; i < runs.size(); i++) {
            JsonNode cli = mapper.readTree(runs.get(i).report().toJson());
            ObjectNode exported = (ObjectNode) json.get(i);

            List<String> expected = new ArrayList<>();
            cli.fieldNames().forEachRemaining(expected::add);
            expected.addAll(List.of("seed", "finishedAt"));
            List<String> names = new ArrayList<>();
            exported.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactlyElementsOf(expected);

            exported.remove(List.of("seed", "finishedAt"));
            assertThat(exported).isEqualTo(cli);
        }
    }

    @Test
    void anExportReplacesAnOlderFile() throws Exception {
        Path file = dir.resolve("runs.csv");
        Files.writeString(file, "old\nold\nold\nold\nold\n");
        RunReportExporter.writeCsv(runs.subList(0, 1), file);
        assertThat(Files.readAllLines(file)).hasSize(2);
    }
}
