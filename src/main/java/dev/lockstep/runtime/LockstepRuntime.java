package dev.lockstep.runtime;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.embedded.Infrastructure;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.mode.LockstepAdmin;
import dev.lockstep.mode.LockstepPipeline;
import dev.lockstep.mode.SeedPipeline;
import dev.lockstep.mode.UnsafePipeline;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.MongoEventJournal;
import dev.lockstep.store.OrderStore;
import dev.lockstep.worker.WorkerSettings;
import java.util.EnumMap;
import java.util.Map;

/**
 * The composition root of one Lockstep process: infrastructure (embedded or external), and per
 * mode its store, journal and pipelines. CLI commands and the console build everything from here.
 */
public final class LockstepRuntime implements AutoCloseable {
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
        return new LockstepRuntime(config, Infrastructure.start(config));
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
                ? new MongoEventJournal(infra.mongo().getDatabase(OrderStores.databaseFor(m, config.mongoDatabase())))
                : EventJournal.DISABLED);
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
            case SEED -> new SeedPipeline(infra.redis(), config.queueName(), store(mode), journal(mode), fault,
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
            case SEED -> SeedPipeline.purge(infra.redis(), config.queueName());
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
