package dev.lockstep.runtime;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.store.RunIds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audited runs, kept in MongoDB ({@code runs} of the base database) so the console shows them
 * again after a restart (docs/DESIGN.md, "Runs and the journal"): one small document per run,
 * {@code {_id: runId, f: finishedAt, s: seed, j: the report's JSON}}. Bounded by {@code runs.retain}.
 */
public final class RunArchive {
    private static final Logger log = LoggerFactory.getLogger(RunArchive.class);
    static final String COLLECTION = "runs";

    /** One archived run. */
    public record Run(AuditReport report, long seed, long finishedAt) {
        public Run {
            Objects.requireNonNull(report, "report");
        }
    }

    private final MongoCollection<Document> runs;

    public RunArchive(MongoDatabase db) {
        this.runs = db.getCollection(COLLECTION);
    }

    /** Keeps a run (replacing one of the same id). */
    public void save(Run run) {
        String id = run.report().runId();
        if (!RunIds.valid(id)) {
            throw new IllegalArgumentException("a run to keep needs a run id, was '" + id + "'");
        }
        Document d = new Document("_id", id).append("f", run.finishedAt()).append("s", run.seed())
                .append("j", run.report().toJson());
        runs.replaceOne(Filters.eq("_id", id), d, new com.mongodb.client.model.ReplaceOptions().upsert(true));
    }

    /** The kept runs, oldest first; a document that is no longer readable is skipped (and logged). */
    public List<Run> load() {
        List<Run> out = new ArrayList<>();
        for (Document d : runs.find()) {
            try {
                out.add(new Run(AuditReport.fromJson(d.getString("j")), number(d, "s"), number(d, "f")));
            } catch (RuntimeException e) {
                log.warn("skipping kept run {}: {}", d.get("_id"), e.getMessage());
            }
        }
        out.sort(Comparator.comparingLong(Run::finishedAt));
        return out;
    }

    /** The ids of the kept runs, newest first. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (Document d : runs.find().projection(new Document("_id", 1))) {
            ids.add(String.valueOf(d.get("_id")));
        }
        ids.sort(RunIds.NEWEST_FIRST);
        return ids;
    }

    public void delete(List<String> ids) {
        if (!ids.isEmpty()) {
            runs.deleteMany(Filters.in("_id", ids));
        }
    }

    public void clear() {
        runs.deleteMany(new Document());
    }

    private static long number(Document d, String key) {
        Object v = d.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }
}
