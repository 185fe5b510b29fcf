package dev.lockstep.audit;

import java.util.List;

/** The audits of several runs of one burst (one per mode), side by side: {@code {"runs":[...]}}. */
public record CompareReport(List<AuditReport> runs) {

    public CompareReport {
        runs = List.copyOf(runs);
    }

    /** One line of JSON. */
    public String toJson() {
        return ReportJson.write(this);
    }

    public static CompareReport fromJson(String json) {
        return ReportJson.read(json, CompareReport.class);
    }

    /** The plain-text before/after table ({@link AuditReport#compareTable}). */
    public String toTable() {
        return AuditReport.compareTable(runs);
    }
}
