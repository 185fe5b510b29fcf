package dev.lockstep.mode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.burst.DirectFirer;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.runtime.BurstRun;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.NaiveOrderStore;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The before pictures are honest: the same burst that lockstep audits clean shows the article's races
 * (docs/DESIGN.md, "The article") in {@code unsafe} and {@code naive-lock}. Races are probabilistic, so each mode gets a few bursts to show them.
 */
class ModesCompareTest {
    private static final int TRIES = 3;

    private AuditReport run(Pipeline pipeline, NaiveOrderStore store, long seed) throws Exception {
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(400, 0.2, 0.3, seed));
        return BurstRun.run(plan, pipeline, store, new DirectFirer(pipeline), 48, Duration.ofMinutes(2),
                BurstRun.ProgressListener.NONE);
    }

    private static NaiveOrderStore newStore() {
        return new NaiveOrderStore(TestServers.get().mongo().getDatabase(TestServers.uniqueName("db")));
    }

    @Test
    void unsafeDuplicatesOrdersAndLosesInventory() throws Exception {
        boolean shown = false;
        for (int i = 0; i < TRIES && !shown; i++) {
            NaiveOrderStore store = newStore();
            try (UnsafePipeline p = new UnsafePipeline(store, EventJournal.DISABLED, PausedHolderFault.NONE)) {
                AuditReport r = run(p, store, 100 + i);
                shown = r.anomalies().duplicateOrders() > 0 && r.anomalies().lostInventoryUnits() > 0;
                assertThat(r.integrity()).isFalse();
            }
        }
        assertThat(shown).as("unsafe showed duplicate orders and lost inventory").isTrue();
    }

    @Test
    void seedReordersAndDoublesEffects() throws Exception {
        boolean shown = false;
        for (int i = 0; i < TRIES && !shown; i++) {
            NaiveOrderStore store = newStore();
            String queue = TestServers.uniqueName("q");
            NaiveLockPipeline p = new NaiveLockPipeline(TestServers.get().redis(), queue, store, EventJournal.DISABLED,
                    PausedHolderFault.NONE, Duration.ofSeconds(10), 8);
            try (p) {
                AuditReport r = run(p, store, 200 + i);
                shown = r.anomalies().outOfOrder() > 0 && r.anomalies().appliedTwice() > 0;
                assertThat(r.anomalies().duplicateOrders()).as("the per-order lock prevents concurrent creates").isZero();
            } finally {
                p.purge();
            }
        }
        assertThat(shown).as("seed showed events applied out of order and twice").isTrue();
    }

    /** The paused-holder fault under seed: the lock expires, another handler takes it, both run (overlaps). */
    @Test
    void aPausedSeedHolderIsTakenOverAndBothHandlersRun() throws Exception {
        NaiveOrderStore store = newStore();
        NaiveLockPipeline p = new NaiveLockPipeline(TestServers.get().redis(), TestServers.uniqueName("q"), store,
                EventJournal.DISABLED, new PausedHolderFault(0.05, 3, 3), Duration.ofSeconds(1), 8);
        try (p) {
            AuditReport r = BurstRun.run(BurstPlan.generate(BurstSpec.of(150, 0, 0, 3).withEventsPerOrder(6)), p, store,
                    new DirectFirer(p), 16, Duration.ofMinutes(2), BurstRun.ProgressListener.NONE);
            assertThat(r.anomalies().overlaps()).isPositive();
        } finally {
            p.purge();
        }
    }
}
