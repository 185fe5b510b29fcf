package dev.lockstep.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.lockstep.pipeline.Mode;
import java.util.List;
import java.util.Objects;

/**
 * The integrity audit of one burst run, in the terms of docs/DESIGN.md, "Audit terms" — the same field
 * names in the CLI's JSON, the console and the docs.
 *
 * @param mode                the processing mode that ran
 * @param orders              orders in the burst
 * @param eventsSent          deliveries fired, duplicates included
 * @param accepted            eventsSent − duplicatesDropped − rejected
 * @param duplicatesDropped   dedup hits
 * @param rejected            deliveries refused
 * @param handled             accepted events whose processing finished: applied + skippedStale
 * @param applied             events that changed the store
 * @param skippedStale        events a guard recognised as older and left the store as it was
 * @param staleWritesRejected writes the store refused because the writer's fence was stale (I6, docs/DESIGN.md, "Invariants")
 * @param seconds             from the first delivery fired until drained (or the drain gave up)
 * @param eventsPerSecond     accepted / seconds
 * @param ackLatencyMs        send→ack latency of the deliveries, milliseconds
 * @param anomalies           what the store shows wrong against the ground truth
 * @param drained             whether the pipeline drained before the audit; when false, work still
 *                            queued shows up as never applied
 * @param events              distinct events the burst generated (deliveries sent add the copies)
 * @param journalDropped      journal entries dropped during the run because the journal's buffer was
 *                            full (MongoDB down or too slow): the timelines of the run miss them
 * @param runId               the run's id ({@code dev.lockstep.store.RunIds}); empty for a report
 *                            written before runs had ids
 * @param compareId           the compare this run was part of; empty for a burst
 * @param retries             attempts the injector made after a delivery's first (5xx, 429, no answer)
 * @param givenUp             deliveries still refused after the injector's last retry (part of
 *                            {@code rejected}): the only deliveries an outage made the provider give up
 */
@JsonPropertyOrder({"runId", "compareId", "mode", "orders", "events", "eventsSent", "accepted", "duplicatesDropped", "rejected", "handled", "applied",
        "skippedStale", "staleWritesRejected", "seconds", "eventsPerSecond", "ackLatencyMs", "anomalies", "integrity",
        "drained", "journalDropped", "retries", "givenUp"})
@JsonIgnoreProperties(value = "integrity", allowGetters = true)
public record AuditReport(Mode mode, int orders, long eventsSent, long accepted, long duplicatesDropped, long rejected,
                          long handled, long applied, long skippedStale, long staleWritesRejected, double seconds,
                          double eventsPerSecond, AckLatency ackLatencyMs, Anomalies anomalies, boolean drained,
                          long events, long journalDropped, String runId, String compareId, long retries,
                          long givenUp) {

    public AuditReport {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(ackLatencyMs, "ackLatencyMs");
        Objects.requireNonNull(anomalies, "anomalies");
        runId = runId == null ? "" : runId;
        compareId = compareId == null ? "" : compareId;
    }

    /** A report without the injector's retries (a direct burst, or one written before it retried). */
    public AuditReport(Mode mode, int orders, long eventsSent, long accepted, long duplicatesDropped, long rejected,
                       long handled, long applied, long skippedStale, long staleWritesRejected, double seconds,
                       double eventsPerSecond, AckLatency ackLatencyMs, Anomalies anomalies, boolean drained,
                       long events, long journalDropped, String runId, String compareId) {
        this(mode, orders, eventsSent, accepted, duplicatesDropped, rejected, handled, applied, skippedStale,
                staleWritesRejected, seconds, eventsPerSecond, ackLatencyMs, anomalies, drained, events, journalDropped,
                runId, compareId, 0, 0);
    }

    /** A report of no run yet (no id, no compare), {@code events} = accepted, no journal drops. */
    public AuditReport(Mode mode, int orders, long eventsSent, long accepted, long duplicatesDropped, long rejected,
                       long handled, long applied, long skippedStale, long staleWritesRejected, double seconds,
                       double eventsPerSecond, AckLatency ackLatencyMs, Anomalies anomalies, boolean drained) {
        this(mode, orders, eventsSent, accepted, duplicatesDropped, rejected, handled, applied, skippedStale,
                staleWritesRejected, seconds, eventsPerSecond, ackLatencyMs, anomalies, drained, accepted, 0, "", "");
    }

    /** This report as run {@code runId} (of compare {@code compareId}, or empty), with the journal's drops. */
    public AuditReport withRun(String id, String compare, long dropped) {
        return new AuditReport(mode, orders, eventsSent, accepted, duplicatesDropped, rejected, handled, applied,
                skippedStale, staleWritesRejected, seconds, eventsPerSecond, ackLatencyMs, anomalies, drained, events,
                dropped, id, compare, retries, givenUp);
    }

    /** True iff every anomaly is zero and every accepted event was handled. */
    @JsonProperty("integrity")
    public boolean integrity() {
        return anomalies.none() && handled == accepted;
    }

    /** Accepted events not handled: lost work (0 in a healthy run; negative means handled more than accepted). */
    public long unhandled() {
        return accepted - handled;
    }

    /** One line of JSON. */
    public String toJson() {
        return ReportJson.write(this);
    }

    public static AuditReport fromJson(String json) {
        return ReportJson.read(json, AuditReport.class);
    }

    /** A readable multi-line report: what ran, the counters, each anomaly explained, a verdict. */
    public String toText() {
        return ReportText.report(this);
    }

    /**
     * A plain-text before/after table: one column per run (its mode), rows for each anomaly kind,
     * events/s, p99 ack latency and the verdict.
     */
    public static String compareTable(List<AuditReport> runs) {
        return ReportText.compareTable(runs);
    }

    /** Send→ack latency percentiles in milliseconds. */
    public record AckLatency(double p50, double p99, double max) {
        public static final AckLatency NONE = new AckLatency(0, 0, 0);
    }
}
