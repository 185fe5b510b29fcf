package dev.lockstep.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.audit.Anomalies;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.burst.DirectFirer;
import dev.lockstep.burst.FireStats;
import dev.lockstep.burst.Firer;
import dev.lockstep.order.OrderState;
import dev.lockstep.store.StoredOrder;
import dev.lockstep.testing.InMemoryOrderStore;
import dev.lockstep.testing.InMemoryPipeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The orchestration against an in-memory pipeline and store (the real ones are other packages'):
 * a correct pipeline passes the audit, a lossy or stuck one is caught.
 */
class BurstRunTest {
    private static final BurstSpec SPEC = BurstSpec.of(400, 0.2, 0.3, 99);
    private static final Duration DRAIN = Duration.ofSeconds(30);

    @Test
    void aCorrectPipelineOnADuplicatedReorderedBurstHasIntegrity() throws Exception {
        InMemoryOrderStore store = new InMemoryOrderStore();
        store.put(new StoredOrder(1, "left-over", OrderState.PAID, 1, 0, List.of()));
        List<BurstRun.Phase> phases = Collections.synchronizedList(new ArrayList<>());
        try (InMemoryPipeline pipeline = new InMemoryPipeline(store)) {
            AuditReport r = BurstRun.run(BurstPlan.generate(SPEC), pipeline, store, new DirectFirer(pipeline), 8, DRAIN,
                    (phase, done, total) -> phases.add(phase));

            BurstPlan plan = BurstPlan.generate(SPEC);
            assertThat(r.anomalies()).isEqualTo(Anomalies.NONE);
            assertThat(r.integrity()).isTrue();
            assertThat(r.drained()).isTrue();
            assertThat(r.orders()).isEqualTo(400);
            assertThat(r.eventsSent()).isEqualTo(plan.deliveries().size());
            assertThat(r.accepted()).isEqualTo(plan.events());
            assertThat(r.duplicatesDropped()).isEqualTo(plan.duplicateDeliveries());
            assertThat(r.handled()).isEqualTo(r.applied() + r.skippedStale()).isEqualTo(plan.events());
            assertThat(r.skippedStale()).as("reordered events arrive stale").isPositive();
            assertThat(r.seconds()).isPositive();
            assertThat(r.eventsPerSecond()).isPositive();
            assertThat(store.stock()).isEqualTo(plan.expectedStock());
            assertThat(store.order(1)).as("the store was reset first").isEmpty();
        }
        assertThat(phases.get(0)).isEqualTo(BurstRun.Phase.PREPARING);
        assertThat(phases).contains(BurstRun.Phase.FIRING, BurstRun.Phase.DRAINING, BurstRun.Phase.AUDITING);
        assertThat(phases.get(phases.size() - 1)).isEqualTo(BurstRun.Phase.DONE);
        assertThat(phases.lastIndexOf(BurstRun.Phase.FIRING)).isLessThan(phases.indexOf(BurstRun.Phase.DRAINING));
    }

    @Test
    void lostWorkIsCountedAsNeverAppliedAndBreaksIntegrity() throws Exception {
        BurstPlan plan = BurstPlan.generate(SPEC);
        Set<String> lost = new HashSet<>();
        plan.expected().values().stream().limit(5).forEach(o -> lost.add(o.effectIds().get(o.effectIds().size() - 1)));
        InMemoryOrderStore store = new InMemoryOrderStore();
        try (InMemoryPipeline pipeline = new InMemoryPipeline(store)) {
            pipeline.lose = d -> lost.contains(d.event().effectId());
            AuditReport r = BurstRun.run(plan, pipeline, store, new DirectFirer(pipeline), 8, DRAIN,
                    BurstRun.ProgressListener.NONE);

            assertThat(r.anomalies().neverApplied()).isEqualTo(5);
            assertThat(r.unhandled()).isEqualTo(5);
            assertThat(r.integrity()).isFalse();
            assertThat(r.drained()).isTrue();
        }
    }

    @Test
    void aDrainTimeoutIsStillAuditedAndSaysSo() throws Exception {
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(30, 0.0, 0.0, 5));
        // One event held in its worker (the other workers go on) until after the audit.
        String held = plan.expected().values().iterator().next().effectIds().get(0);
        CountDownLatch release = new CountDownLatch(1);
        InMemoryOrderStore store = new InMemoryOrderStore();
        Map<BurstRun.Phase, Long> lastWaiting = new ConcurrentHashMap<>();
        try (InMemoryPipeline pipeline = new InMemoryPipeline(store)) {
            pipeline.beforeApply = d -> {
                if (d.event().effectId().equals(held)) {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            AuditReport r = BurstRun.run(plan, pipeline, store, new DirectFirer(pipeline), 4, Duration.ofMillis(300),
                    (phase, done, total) -> {
                        if (phase == BurstRun.Phase.DRAINING) {
                            // Let everything but the held event finish before the run gives up and audits.
                            awaitOnlyTheHeldEventPending(pipeline);
                        }
                        lastWaiting.put(phase, total - done);
                    });
            release.countDown();

            assertThat(r.drained()).isFalse();
            assertThat(r.anomalies().neverApplied()).isEqualTo(1);
            assertThat(r.unhandled()).isEqualTo(1);
            assertThat(r.integrity()).isFalse();
            assertThat(r.toText()).contains("drained  NO");
            assertThat(lastWaiting.get(BurstRun.Phase.DRAINING)).isGreaterThanOrEqualTo(1);
            assertThat(lastWaiting.get(BurstRun.Phase.DONE)).isEqualTo(1);
        }
    }

    private static void awaitOnlyTheHeldEventPending(InMemoryPipeline pipeline) {
        try {
            assertThat(pipeline.awaitPendingAtMost(1, Duration.ofSeconds(30))).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void countsOnlyThisRunWhenThePipelineRanBefore() throws Exception {
        InMemoryOrderStore store = new InMemoryOrderStore();
        try (InMemoryPipeline pipeline = new InMemoryPipeline(store)) {
            BurstPlan first = BurstPlan.generate(BurstSpec.of(50, 0.2, 0.2, 1));
            BurstRun.run(first, pipeline, store, new DirectFirer(pipeline), 4, DRAIN, BurstRun.ProgressListener.NONE);
            BurstPlan second = BurstPlan.generate(BurstSpec.of(60, 0.2, 0.2, 2).withFirstOrderId(5_000_000));

            AuditReport r = BurstRun.run(second, pipeline, store, new DirectFirer(pipeline), 4, DRAIN,
                    BurstRun.ProgressListener.NONE);

            assertThat(r.handled()).isEqualTo(second.events());
            assertThat(r.integrity()).isTrue();
        }
    }

    @Test
    void refusesANegativeDrainTimeoutBeforeTouchingTheStore() {
        InMemoryOrderStore store = new InMemoryOrderStore();
        store.setStock("SKU-01", 7);
        try (InMemoryPipeline pipeline = new InMemoryPipeline(store)) {
            assertThatThrownBy(() -> BurstRun.run(BurstPlan.generate(SPEC), pipeline, store, new DirectFirer(pipeline), 4,
                    Duration.ofSeconds(-1), BurstRun.ProgressListener.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drainTimeout");
            assertThat(store.stock()).containsExactly(Map.entry("SKU-01", 7L));
        }
    }

    @Test
    void aRunThatFailsOrIsStoppedEndsInThatPhaseNotInAStaleOne() throws Exception {
        InMemoryOrderStore store = new InMemoryOrderStore();
        try (InMemoryPipeline pipeline = new InMemoryPipeline(store)) {
            List<BurstRun.Phase> failed = Collections.synchronizedList(new ArrayList<>());
            Firer broken = (deliveries, inFlight, progress) -> {
                progress.answered(1, deliveries.size());
                throw new IllegalStateException("ingest went away");
            };
            assertThatThrownBy(() -> BurstRun.run(BurstPlan.generate(SPEC), pipeline, store, broken, 4, DRAIN,
                    (phase, done, total) -> failed.add(phase))).hasMessageContaining("ingest went away");
            assertThat(failed).endsWith(BurstRun.Phase.FIRING, BurstRun.Phase.FAILED);

            List<BurstRun.Phase> stopped = Collections.synchronizedList(new ArrayList<>());
            Firer interrupted = (deliveries, inFlight, progress) -> {
                throw new InterruptedException("stop");
            };
            assertThatThrownBy(() -> BurstRun.run(BurstPlan.generate(SPEC), pipeline, store, interrupted, 4, DRAIN,
                    (phase, done, total) -> stopped.add(phase))).isInstanceOf(InterruptedException.class);
            assertThat(stopped).containsExactly(BurstRun.Phase.PREPARING, BurstRun.Phase.STOPPED);
            assertThat(BurstRun.Phase.STOPPED.terminal()).isTrue();
            assertThat(BurstRun.Phase.DRAINING.terminal()).isFalse();
        }
    }
}
