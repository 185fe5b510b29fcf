package dev.lockstep.console.backend;

import dev.lockstep.audit.Anomalies;
import dev.lockstep.pipeline.Mode;
import java.util.Objects;

/**
 * One audited run, as the Integrity view and the exports show it. Console-side mirror of the
 * auditor's report; the backend maps the report to it in one place.
 *
 * @param mode                mode that processed the run
 * @param seed                the burst's seed
 * @param finishedAt          epoch millis
 * @param orders              orders generated
 * @param eventsSent          deliveries fired, duplicates included
 * @param accepted            sent − duplicates dropped − rejected
 * @param duplicatesDropped   dedup hits
 * @param rejected            deliveries refused
 * @param handled             applied + skippedStale
 * @param applied             events that changed the store
 * @param skippedStale        events a guard knowingly skipped
 * @param staleWritesRejected writes refused by the fence (I6)
 * @param seconds             wall time
 * @param eventsPerSecond     deliveries fired per second
 * @param ackP50Ms            send→ack latency p50, ms
 * @param ackP99Ms            send→ack latency p99, ms
 * @param ackMaxMs            send→ack latency max, ms
 * @param anomalies           what the audit found
 * @param integrity           whether the audit found the store exactly as the ground truth implies
 */
public record RunResult(Mode mode, long seed, long finishedAt, long orders, long eventsSent, long accepted,
                        long duplicatesDropped, long rejected, long handled, long applied, long skippedStale,
                        long staleWritesRejected, double seconds, double eventsPerSecond, double ackP50Ms,
                        double ackP99Ms, double ackMaxMs, Anomalies anomalies, boolean integrity) {
    public RunResult {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(anomalies, "anomalies");
    }
}
