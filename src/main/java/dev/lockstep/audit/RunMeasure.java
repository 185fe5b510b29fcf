package dev.lockstep.audit;

import java.util.function.ToDoubleFunction;

/**
 * The measures of a run besides its anomalies (docs/DESIGN.md, "Audit terms"), in report order: the
 * one definition of each one's field name, short label and one-line meaning, which the console's
 * Integrity view shows as tooltip and legend (the anomalies' are on {@link AnomalyKind}).
 */
public enum RunMeasure {
    ORDERS("orders", "Orders", "orders in the burst (the Burst view's size)", AuditReport::orders),
    EVENTS("events", "Events", "distinct events the burst generated, before duplicates", AuditReport::events),
    EVENTS_SENT("eventsSent", "Deliveries sent", "deliveries fired, duplicates included", AuditReport::eventsSent),
    ACCEPTED("accepted", "Accepted", "eventsSent − duplicatesDropped − rejected", AuditReport::accepted),
    DUPLICATES_DROPPED("duplicatesDropped", "Duplicates dropped", "dedup hits: answered duplicate, never enqueued",
            AuditReport::duplicatesDropped),
    APPLIED("applied", "Applied", "events that changed the store (a re-run finding its effect there counts once)",
            AuditReport::applied),
    SKIPPED_STALE("skippedStale", "Skipped as stale", "events a guard recognised as older and left the store as it was",
            AuditReport::skippedStale),
    STALE_WRITES_REJECTED("staleWritesRejected", "Stale writes rejected",
            "writes the store refused for a stale fencing token (I6)", AuditReport::staleWritesRejected),
    EVENTS_PER_SECOND("eventsPerSecond", "Events / s", "accepted events per second, first delivery until drained",
            AuditReport::eventsPerSecond),
    ACK_P99("ackLatencyMs.p99", "Ack p99", "99th percentile of the send → answer latency of the deliveries",
            r -> r.ackLatencyMs().p99()),
    INTEGRITY("integrity", "Integrity", "intact: every anomaly zero and every accepted event handled",
            r -> r.integrity() ? 1 : 0);

    private final String field;
    private final String label;
    private final String meaning;
    private final ToDoubleFunction<AuditReport> value;

    RunMeasure(String field, String label, String meaning, ToDoubleFunction<AuditReport> value) {
        this.field = field;
        this.label = label;
        this.meaning = meaning;
        this.value = value;
    }

    /** The JSON field name ({@code ackLatencyMs.p99}: a field of a nested object). */
    public String field() {
        return field;
    }

    public String label() {
        return label;
    }

    /** One line saying what is measured. */
    public String meaning() {
        return meaning;
    }

    public double of(AuditReport r) {
        return value.applyAsDouble(r);
    }
}
