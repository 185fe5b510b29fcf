package dev.lockstep.mode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.audit.Anomalies;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.burst.DirectFirer;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.priority.BackgroundPriority;
import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.runtime.BurstRun;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.MongoEventJournal;
import dev.lockstep.store.OrderStore;
import dev.lockstep.testing.TestServers;
import dev.lockstep.worker.WorkerSettings;
import dev.lockstep.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.UnifiedJedis;

/** The lockstep mode end to end on a real Redis and MongoDB: the audit finds nothing, even under faults. */
class LockstepPipelineTest {
    private final UnifiedJedis redis = TestServers.get().redis();

    private static WorkerSettings settings(int threads) {
        return WorkerSettings.defaults().withThreads(threads).withWorkerId("test")
                .withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).withIdleWait(Duration.ofMillis(100))
                .withReapInterval(Duration.ofMillis(50));
    }

    private AuditReport burst(BurstSpec spec, Duration lease, PausedHolderFault fault, int threads) throws Exception {
        var db = TestServers.get().mongo().getDatabase(TestServers.uniqueName("db"));
        FencedOrderStore store = new FencedOrderStore(db);
        LaneQueue queue = new LaneQueue(redis, new Keys(TestServers.uniqueName("q"), 8), lease, Duration.ofHours(1));
        try (LockstepPipeline pipeline = new LockstepPipeline(redis, queue, store, EventJournal.DISABLED, fault,
                settings(threads))) {
            return BurstRun.run(BurstPlan.generate(spec), pipeline, store, new DirectFirer(pipeline), 32, Duration.ofMinutes(2),
                    BurstRun.ProgressListener.NONE);
        } finally {
            queue.purge();
        }
    }

    /**
     * The worker pool runs below the threads that answer webhooks: its handler calls and its drainer at
     * nice 10, while the thread that accepts (as the ingest's) keeps its priority (Linux with renice).
     */
    @Test
    void theWorkerPoolRunsBelowTheThreadThatAcceptsWebhooks() throws Exception {
        int lowered = BackgroundPriority.callLowered("probe", () -> BackgroundPriority.currentNice().orElse(-1));
        assumeTrue(lowered == BackgroundPriority.NICE, "no way to lower a thread here");
        int caller = BackgroundPriority.currentNice().orElseThrow();
        assumeTrue(caller < BackgroundPriority.NICE, "the test thread runs lowered already");
        var db = TestServers.get().mongo().getDatabase(TestServers.uniqueName("db"));
        FencedOrderStore fenced = new FencedOrderStore(db);
        fenced.seedStock(Map.of("A", 100L));
        Set<Integer> handlerNice = ConcurrentHashMap.newKeySet();
        Set<Integer> drainerNice = ConcurrentHashMap.newKeySet();
        // the default applyRun calls apply per event: every handler call passes here
        OrderStore recording = new DelegatingStore(fenced) {
            @Override
            public ApplyResult apply(OrderEvent event, long token, String worker) {
                handlerNice.add(BackgroundPriority.currentNice().orElse(-1));
                return super.apply(event, token, worker);
            }
        };
        LaneQueue queue = new LaneQueue(redis, new Keys(TestServers.uniqueName("q"), 2), Duration.ofSeconds(10),
                Duration.ofHours(1));
        try (LockstepPipeline pipeline = new LockstepPipeline(redis, queue, recording, EventJournal.DISABLED,
                PausedHolderFault.NONE, settings(2))) {
            pipeline.reportClaimToComplete(ms -> drainerNice.add(BackgroundPriority.currentNice().orElse(-1)));
            pipeline.start();
            for (long o = 1; o <= 5; o++) {
                OrderEvent create = new OrderEvent("s", Topic.CREATE, o, "e" + o, "", 100, "pending", null,
                        List.of(new LineItem("A", 1)));
                pipeline.accept(new Delivery(create, "k" + o, System.currentTimeMillis()));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> drainerNice.size() > 0 && queue.stats().drained()
                    && pipeline.workers().busy() == 0);
        } finally {
            queue.purge();
        }
        assertThat(handlerNice).containsExactly(BackgroundPriority.NICE);
        assertThat(drainerNice).containsExactly(BackgroundPriority.NICE);
        assertThat(BackgroundPriority.currentNice().orElseThrow()).isEqualTo(caller);
    }

    /** I1–I5 (docs/DESIGN.md, "Invariants") on a contended, duplicated, reordered burst: many threads, few SKUs. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void aDuplicatedReorderedBurstHasNoAnomalies(long seed) throws Exception {
        AuditReport r = burst(BurstSpec.of(400, 0.1, 0.4, seed), Duration.ofSeconds(10), PausedHolderFault.NONE, 12);
        assertThat(r.anomalies()).isEqualTo(new Anomalies(0, 0, 0, 0, 0, 0, 0));
        assertThat(r.handled()).isEqualTo(r.accepted());
        assertThat(r.duplicatesDropped()).isPositive();
        assertThat(r.skippedStale()).isPositive();
        assertThat(r.integrity()).isTrue();
    }

    /**
     * I6 + I3 + I4: paused holders lose their lease to the reaper and write the moment Redis has
     * revoked it — before or after the store's fence rises, the window revoke-before-hand-over
     * closes: a write refused by the fence, or one that landed while no other holder had the lane
     * (its re-run then finds it applied). Nothing is lost or doubled either way.
     */
    @Test
    void pausedHoldersAreFencedOutAndNothingIsLost() throws Exception {
        AuditReport r = burst(BurstSpec.of(120, 0.05, 0.3, 7), Duration.ofMillis(300),
                new PausedHolderFault(0.05, 7, 3), 6);
        assertThat(r.staleWritesRejected()).isBetween(0L, 3L);
        assertThat(r.anomalies()).isEqualTo(new Anomalies(0, 0, 0, 0, 0, 0, 0));
        assertThat(r.handled()).isEqualTo(r.accepted());
    }

    /**
     * Every event the paused-holder fault picks pauses its holder, also one in the middle of a lane's
     * run (applied in one store call up to it): a pick is never lost.
     */
    @Test
    void everyPickOfThePausedHolderFaultPauses() throws Exception {
        PausedHolderFault fault = new PausedHolderFault(0.05, 11, 4);
        AuditReport r;
        long paused;
        try (LogCapture log = LogCapture.of(LockstepPipeline.class)) {
            r = burst(BurstSpec.of(120, 0.05, 0.3, 11).withEventsPerOrder(4), Duration.ofMillis(300), fault, 6);
            paused = log.events().stream().filter(e -> e.getFormattedMessage().startsWith("fault: holder")).count();
        }
        assertThat(fault.pauses()).isEqualTo(4);
        assertThat(paused).as("holders paused for %d picks", fault.pauses()).isEqualTo(fault.pauses());
        assertThat(r.anomalies()).isEqualTo(new Anomalies(0, 0, 0, 0, 0, 0, 0));
        assertThat(r.handled()).isEqualTo(r.accepted());
    }

    /** An operator release bumps the fence in Redis and the store: the old holder's write and completion are refused, the event runs again, once. */
    @Test
    void anOperatorReleaseFencesOutTheHolder() {
        var db = TestServers.get().mongo().getDatabase(TestServers.uniqueName("db"));
        FencedOrderStore store = new FencedOrderStore(db);
        store.seedStock(Map.of("A", 10L));
        LaneQueue queue = new LaneQueue(redis, new Keys(TestServers.uniqueName("q"), 2), Duration.ofSeconds(30),
                Duration.ofHours(1));
        try (MongoEventJournal journal = new MongoEventJournal(db)) {
            LockstepAdmin admin = new LockstepAdmin(queue, store, journal);
            OrderEvent create = new OrderEvent("s", Topic.CREATE, 5, "e1", "", 100, "pending", null,
                    List.of(new LineItem("A", 2)));
            queue.enqueue(5, "d1", OrderEventCodec.encode(create));
            ClaimedJob held = queue.claim(queue.keys().partitionOf(5), List.of("stuck/t1")).get(0).jobs().get(0);
            assertThat(admin.leases(10)).extracting(l -> l.orderId()).containsExactly(5L);

            long fence = admin.release(5);
            assertThat(fence).isEqualTo(held.token() + 1);
            assertThat(admin.leases(10)).isEmpty();
            assertThat(store.apply(create, held.token(), "stuck/t1")).isEqualTo(ApplyResult.REJECTED_FENCE);
            assertThat(queue.drain(held.partition(),
                    List.of(new LaneQueue.Finished(held.lease(), List.of(held.jobId()), true, false)), List.of())
                    .finished().get(0).code()).isEqualTo(dev.lockstep.queue.ResultCode.LOCK_MISMATCH);

            ClaimedJob again = queue.claim(held.partition(), List.of("fresh/t1")).get(0).jobs().get(0);
            assertThat(again.jobId()).isEqualTo(held.jobId());
            assertThat(store.apply(create, again.token(), "fresh/t1")).isEqualTo(ApplyResult.APPLIED);
            assertThat(store.stock()).containsEntry("A", 8L);
            journal.flush();
            assertThat(journal.forOrder(5)).extracting(e -> e.stage()).contains(JournalStage.RELEASED);
        } finally {
            queue.purge();
        }
    }
}
