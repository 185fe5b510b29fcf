package dev.lockstep.console.live;

import dev.lockstep.console.backend.DuplicateInfo;
import dev.lockstep.console.backend.EnvironmentInfo;
import dev.lockstep.console.backend.LeaseHoldTimes;
import dev.lockstep.console.backend.RunProgress;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.fleet.WorkerInfo;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.queue.ParkedLane;
import dev.lockstep.queue.PausedLane;
import dev.lockstep.queue.QueueStats;
import java.util.List;

/**
 * One immutable reading of everything the console shows, taken off the EDT by the poller. Views
 * only ever read snapshots; they never call the backend to paint.
 *
 * @param takenAt    epoch millis of the reading
 * @param env        endpoints and health
 * @param queue      queue counters
 * @param counters   cumulative pipeline counters
 * @param rates      per-second rates from the change since the previous reading
 * @param leases     held order locks
 * @param parked     parked lanes
 * @param paused     lanes an operator paused
 * @param holdTimes  lease hold time percentiles
 * @param duplicates latest duplicates
 * @param progress   burst / compare progress
 * @param runs       audited runs so far
 * @param edt        EDT stall readings
 * @param fleet      the processes working the queue
 * @param error      why the last reading failed (the rest is then the previous reading's), empty when it did not
 */
public record ConsoleSnapshot(long takenAt, EnvironmentInfo env, QueueStats queue, RunCounters.Snapshot counters,
                              Rates rates, List<LeaseInfo> leases, List<ParkedLane> parked, List<PausedLane> paused,
                              LeaseHoldTimes holdTimes,
                              List<DuplicateInfo> duplicates, RunProgress progress, List<RunResult> runs,
                              EdtStats edt, Fleet fleet, String error) {
    public ConsoleSnapshot {
        leases = List.copyOf(leases);
        parked = List.copyOf(parked);
        paused = List.copyOf(paused);
        duplicates = List.copyOf(duplicates);
        runs = List.copyOf(runs);
        fleet = fleet == null ? Fleet.NONE : fleet;
        error = error == null ? "" : error;
    }

    /** Per-second rates. */
    public record Rates(double appliedPerSecond, double acceptedPerSecond, double dedupHitsPerSecond) {
        public static final Rates ZERO = new Rates(0, 0, 0);
    }

    /** How long the EDT took to run a probe: worst since start, the 99th percentile, and worst in the last minute. */
    public record EdtStats(double maxMillis, double p99Millis, double recentMaxMillis) {
        public static final EdtStats NONE = new EdtStats(0, 0, 0);
    }

    /**
     * The processes working the queue (docs/DESIGN.md, "The fleet").
     *
     * @param workers      their last heartbeats, by id
     * @param selfId       this console's own worker id, empty when it runs no workers
     * @param startCommand how to start a headless worker on these servers, passwords masked
     */
    public record Fleet(List<WorkerInfo> workers, String selfId, String startCommand) {
        public static final Fleet NONE = new Fleet(List.of(), "", "");

        public Fleet {
            workers = List.copyOf(workers);
            selfId = selfId == null ? "" : selfId;
            startCommand = startCommand == null ? "" : startCommand;
        }

        /** The process of that id, or null when it is not (or no longer) in the registry. */
        public WorkerInfo byId(String id) {
            for (WorkerInfo w : workers) {
                if (w.id().equals(id)) {
                    return w;
                }
            }
            return null;
        }
    }

    /** Before the first reading. */
    public static ConsoleSnapshot empty() {
        return new ConsoleSnapshot(System.currentTimeMillis(), EnvironmentInfo.UNKNOWN, QueueStats.EMPTY,
                new RunCounters.Snapshot(0, 0, 0, 0, 0, 0, 0, 0), Rates.ZERO, List.of(), List.of(),
                List.of(), LeaseHoldTimes.NONE, List.of(), RunProgress.IDLE, List.of(), EdtStats.NONE, Fleet.NONE, "");
    }

    public boolean failed() {
        return !error.isEmpty();
    }
}
