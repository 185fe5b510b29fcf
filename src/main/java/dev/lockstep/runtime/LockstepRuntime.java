package dev.lockstep.runtime;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.embedded.Infrastructure;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.fleet.WorkerRegistry;
import dev.lockstep.mode.LockstepAdmin;
import dev.lockstep.mode.LockstepPipeline;
import dev.lockstep.mode.NaiveLockPipeline;
import dev.lockstep.mode.UnsafePipeline;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.MongoEventJournal;
import dev.lockstep.store.OrderStore;
import dev.lockstep.store.RunIds;
import dev.lockstep.worker.WorkerSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one Lockstep process: infrastructure (embedded or external), and per
 * mode its store, journal and pipelines. CLI commands and the console build everything from here.
 */
public final class LockstepRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LockstepRuntime.class);
    private final LockstepConfig config;
    private final Infrastructure infra;
    private final LaneQueue laneQueue;
    private final Map<Mode, OrderStore> stores = new EnumMap<>(Mode.class);
    private final Map<Mode, EventJournal> journals = new EnumMap<>(Mode.class);

    private LockstepRuntime(LockstepConfig config, Infrastructure infra) {
        this.config = config;
        this.infra = infra;
        this.laneQueue = new LaneQueue(infra.redis(), new Keys(config.queueName(), config.partitions()),
                config.lease(), config.dedupTtl());
    }

    public static LockstepRuntime start(LockstepConfig config) {
        return start(config, step -> { });
    }

    /**
     * Starts the infrastructure, telling {@code steps} what it opens ("opening MongoDB store (...)")
     * so a console can show it while a large store opens.
     */
    public static LockstepRuntime start(LockstepConfig config, Consumer<String> steps) {
        return new LockstepRuntime(config, Infrastructure.start(config, steps));
    }

    public LockstepConfig config() {
        return config;
    }

    public Infrastructure infra() {
        return infra;
    }

    /** The lockstep mode's lanes. */
    public LaneQueue laneQueue() {
        return laneQueue;
    }

    public synchronized OrderStore store(Mode mode) {
        return stores.computeIfAbsent(mode, m -> OrderStores.forMode(m, infra.mongo(), config.mongoDatabase()));
    }

    public synchronized EventJournal journal(Mode mode) {
        return journals.computeIfAbsent(mode, m -> config.journalEnabled()
                ? new MongoEventJournal(infra.mongo().getDatabase(OrderStores.databaseFor(m, config.mongoDatabase())),
                        config.journalBuffer())
                : EventJournal.DISABLED);
    }

    /** The audited runs kept across restarts. */
    public RunArchive archive() {
        return new RunArchive(infra.mongo().getDatabase(config.mongoDatabase()));
    }

    /**
     * Keeps the newest {@code runs.retain} runs: older reports and every mode's journal entries of
     * runs past the bound (live days included) are deleted, so the data directory stops growing
     * (docs/DESIGN.md, "Runs and the journal"). Bounded work: a delete of the reports, one collection
     * drop per pruned run. Call it off the EDT. @return the runs pruned
     */
    public int retainRuns() {
        int keep = config.runsRetain();
        RunArchive archive = archive();
        List<String> reports = archive.ids();
        List<String> pruned = new ArrayList<>(reports.subList(Math.min(keep, reports.size()), reports.size()));
        archive.delete(pruned);
        Set<String> all = new HashSet<>(pruned);
        for (Mode m : Mode.values()) {
            EventJournal j = journal(m);
            List<String> runs = j.runIds();
            List<String> old = new ArrayList<>(runs.subList(Math.min(keep, runs.size()), runs.size()));
            old.remove(j.currentRun()); // never the run being recorded
            j.dropRuns(old);
            all.addAll(old);
        }
        if (!all.isEmpty()) {
            log.info("kept the newest {} runs; pruned {} older ones", keep, all.size());
        }
        return all.size();
    }

    /** Deletes every kept run's report and journal entries but those of the runs being recorded. */
    public void clearRuns() {
        archive().clear();
        for (Mode m : Mode.values()) {
            EventJournal j = journal(m);
            List<String> runs = new ArrayList<>(j.runIds());
            runs.remove(j.currentRun());
            j.dropRuns(runs);
        }
    }

    /** A new run id ({@link RunIds#next}). */
    public static String newRunId() {
        return RunIds.next();
    }

    /** The processes working this queue, from their heartbeats (docs/DESIGN.md, "The fleet"). */
    public WorkerRegistry workerRegistry() {
        return new WorkerRegistry(infra.redis(), config.queueName(), config.workerHeartbeatTtl());
    }

    /** The operator's controls over the lockstep queue. */
    public LockstepAdmin admin() {
        return new LockstepAdmin(laneQueue, store(Mode.LOCKSTEP), journal(Mode.LOCKSTEP));
    }

    /** A new pipeline of a mode; the caller starts and closes it. */
    public Pipeline newPipeline(Mode mode, PausedHolderFault fault) {
        return switch (mode) {
            case LOCKSTEP -> new LockstepPipeline(infra.redis(), laneQueue, store(mode), journal(mode), fault,
                    WorkerSettings.from(config));
            case NAIVE_LOCK -> new NaiveLockPipeline(infra.redis(), config.queueName(), store(mode), journal(mode), fault,
                    config.lease(), config.workerThreads());
            case UNSAFE -> new UnsafePipeline(store(mode), journal(mode), fault);
        };
    }

    /**
     * Empties a mode's queue keys in Redis so a demo run starts clean (dedup markers of an earlier
     * run with the same seed would otherwise swallow its deliveries). The store is reset by the run.
     */
    public void purgeQueue(Mode mode) {
        switch (mode) {
            case LOCKSTEP -> laneQueue.purge();
            case NAIVE_LOCK -> NaiveLockPipeline.purge(infra.redis(), config.queueName());
            case UNSAFE -> {
                // no queue
            }
        }
    }

    @Override
    public synchronized void close() {
        for (EventJournal j : journals.values()) {
            j.close();
        }
        infra.close();
    }
}
