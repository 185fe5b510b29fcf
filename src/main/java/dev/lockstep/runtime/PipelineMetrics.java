package dev.lockstep.runtime;

import dev.lockstep.metrics.ProcessMetrics;
import dev.lockstep.mode.LockstepPipeline;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.QueueStats;
import java.util.function.Supplier;

/**
 * Binds a running pipeline's own counters, its queue's depth and its workers' held leases to a
 * process's metrics (docs/DESIGN.md, "Metrics"): read at scrape time, nothing added to the hot path.
 */
public final class PipelineMetrics {
    private PipelineMetrics() {
    }

    /** Binds {@code pipeline} (one per process: bind once) and, for lockstep, its queue and workers. */
    public static void bind(ProcessMetrics metrics, Pipeline pipeline) {
        String mode = pipeline.mode().id();
        counter(metrics, pipeline, "lockstep.events.accepted", "Events accepted (durably enqueued)", mode,
                RunCounters.Snapshot::accepted);
        counter(metrics, pipeline, "lockstep.events.duplicates", "Deliveries dropped as duplicates", mode,
                RunCounters.Snapshot::duplicatesDropped);
        counter(metrics, pipeline, "lockstep.events.applied", "Events applied to the store", mode,
                RunCounters.Snapshot::applied);
        counter(metrics, pipeline, "lockstep.events.skipped", "Events skipped as stale (an older event)", mode,
                RunCounters.Snapshot::skippedStale);
        counter(metrics, pipeline, "lockstep.writes.rejected", "Stale writes the store's fence refused", mode,
                RunCounters.Snapshot::staleWritesRejected);
        counter(metrics, pipeline, "lockstep.events.retries", "Attempts that failed and were retried in place", mode,
                RunCounters.Snapshot::retries);
        counter(metrics, pipeline, "lockstep.events.parked", "Lanes parked for an operator after their last attempt",
                mode, RunCounters.Snapshot::parked);
        counter(metrics, pipeline, "lockstep.overlaps", "Two handlers seen inside one order's apply at once", mode,
                RunCounters.Snapshot::overlaps);
        if (pipeline instanceof LockstepPipeline lockstep) {
            bindQueue(metrics, lockstep.queue());
            metrics.bindGauge("lockstep.leases.held", "Lanes this process's handlers hold right now", lockstep,
                    p -> p.workers().watchdog().held().size());
            metrics.bindGauge("lockstep.handlers.busy", "Handler threads of this process running a lane", lockstep,
                    p -> p.workers().busy());
            lockstep.reportClaimToComplete(metrics::claimToComplete);
            metrics.bindCounter("lockstep.queue.slot.move.refusals",
                    "Script calls Redis Cluster refused while a slot moved, each sent again (0 on one Redis)",
                    lockstep.queue(), LaneQueue::slotMoveRefusals);
        }
    }

    private static void counter(ProcessMetrics metrics, Pipeline pipeline, String name, String help, String mode,
                                java.util.function.ToLongFunction<RunCounters.Snapshot> value) {
        metrics.bindCounter(name, help, pipeline, p -> value.applyAsLong(p.counters().snapshot()), "mode", mode);
    }

    /** The queue's figures (all processes on it), one Redis round trip per scrape. */
    private static void bindQueue(ProcessMetrics metrics, LaneQueue queue) {
        Supplier<QueueStats> stats = ProcessMetrics.readAtMostTwicePerSecond(queue::stats, QueueStats.EMPTY);
        metrics.bindGauge("lockstep.queue.depth", "Events enqueued and not yet handled, over the whole queue", stats,
                s -> s.get().waiting());
        metrics.bindGauge("lockstep.queue.lanes", "Lanes by state, over the whole queue", stats,
                s -> s.get().readyLanes(), "state", "ready");
        metrics.bindGauge("lockstep.queue.lanes", "Lanes by state, over the whole queue", stats,
                s -> s.get().leasedLanes(), "state", "leased");
        metrics.bindGauge("lockstep.queue.lanes", "Lanes by state, over the whole queue", stats,
                s -> s.get().delayedLanes(), "state", "delayed");
        metrics.bindGauge("lockstep.queue.lanes", "Lanes by state, over the whole queue", stats,
                s -> s.get().parkedLanes(), "state", "parked");
        metrics.bindCounter("lockstep.queue.stalls.recovered", "Expired leases the reapers recovered, over the whole queue",
                stats, s -> s.get().stallsRecovered());
    }
}
