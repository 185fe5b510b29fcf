package dev.lockstep.console.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's backend attached to servers it did not start, with the workers elsewhere. */
class LiveConsoleBackendTest {

    @Test
    void anAttachedConsoleShowsTheStateOfWorkersElsewhere() throws Exception {
        LockstepConfig cfg = TestServers.get().config(Map.of());
        try (LockstepRuntime headless = LockstepRuntime.start(cfg);
             Pipeline workers = headless.newPipeline(Mode.LOCKSTEP, PausedHolderFault.NONE);
             LiveConsoleBackend console = new LiveConsoleBackend(LockstepRuntime.start(cfg), false)) {
            EnvironmentInfo env = console.environment();
            assertThat(env.workerThreads()).isZero();
            assertThat(env.ingestUrl()).isEmpty();
            assertThat(env.redisEmbedded()).isFalse();
            assertThat(env.mongoEmbedded()).isFalse();
            assertThat(env.redisHealthy()).isTrue();
            assertThat(env.mongoHealthy()).isTrue();

            workers.start();
            OrderEvent e = new OrderEvent("s.myshopify.com", Topic.CREATE, 77, "ev-77", "wh-77", 1000, "pending", null,
                    List.of(new LineItem("A", 1)));
            headless.store(Mode.LOCKSTEP).seedStock(Map.of("A", 10L));
            workers.accept(new Delivery(e, Delivery.dedupKey(e.shop(), e.topic().wire(), e.eventId()), 1));
            workers.accept(new Delivery(e, Delivery.dedupKey(e.shop(), e.topic().wire(), e.eventId()), 2));

            await().atMost(Duration.ofSeconds(20)).until(() -> console.queueStats().completed() == 1);
            assertThat(console.queueStats().dedupHits()).isEqualTo(1);
            assertThat(console.latestDuplicates(10)).singleElement().satisfies(d -> {
                assertThat(d.orderId()).isEqualTo(77);
                assertThat(d.effectId()).isEqualTo("orders/create#ev-77");
                assertThat(d.copies()).isEqualTo(2);
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> console.timeline(Mode.LOCKSTEP, 77).documents().size() == 1);
        }
    }

    @Test
    void aCompareReportsItsPhasesAndEndsInItsFinalStateNotAStaleOne() throws Exception {
        LockstepConfig cfg = TestServers.get().config(Map.of());
        try (LiveConsoleBackend console = new LiveConsoleBackend(LockstepRuntime.start(cfg), true)) {
            List<RunProgress> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    seen.add(console.runProgress());
                    try {
                        Thread.sleep(2); // a sampling period, not synchronisation: the test waits on a condition below
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            console.startCompare(new BurstRequest(40, 3, 0.1, 0.2, 8, Mode.LOCKSTEP, Transport.DIRECT, 5, false));
            await().atMost(Duration.ofMinutes(2)).until(() -> !console.runProgress().running());
            sampler.interrupt();
            sampler.join();

            RunProgress end = console.runProgress();
            assertThat(end.phase()).isEqualTo(dev.lockstep.runtime.BurstRun.Phase.DONE);
            assertThat(end.step()).isEqualTo(3);
            assertThat(end.fraction()).isEqualTo(1.0);
            assertThat(console.runs()).hasSize(3);
            var last = console.runs().get(2).report();
            assertThat(end.mode()).isEqualTo(Mode.LOCKSTEP);
            assertThat(end.done()).isEqualTo(last.handled());
            assertThat(end.total()).isEqualTo(last.accepted());
            synchronized (seen) {
                // a compare runs on between its runs, and a "Done" always finds its run among the results
                assertThat(seen).filteredOn(p -> !p.running() && p.phase() != null)
                        .allSatisfy(p -> assertThat(p.step()).isEqualTo(3));
                assertThat(seen).extracting(RunProgress::phase).contains(dev.lockstep.runtime.BurstRun.Phase.FIRING,
                        dev.lockstep.runtime.BurstRun.Phase.AUDITING);
            }
        }
    }

    /** The Locks view's Pause and Resume, from a console attached to workers elsewhere. */
    @Test
    void anOperatorPausesAndResumesAnOrdersLaneOnWorkersElsewhere() throws Exception {
        LockstepConfig cfg = TestServers.get().config(Map.of());
        try (LockstepRuntime headless = LockstepRuntime.start(cfg);
             Pipeline workers = headless.newPipeline(Mode.LOCKSTEP, PausedHolderFault.NONE);
             LiveConsoleBackend console = new LiveConsoleBackend(LockstepRuntime.start(cfg), false)) {
            headless.store(Mode.LOCKSTEP).seedStock(Map.of("A", 10L));
            long pausedAt = console.pause(88);
            assertThat(console.pause(88)).isEqualTo(pausedAt);
            workers.start();
            for (long order : new long[] {88, 89}) {
                OrderEvent e = new OrderEvent("s.myshopify.com", Topic.CREATE, order, "ev-" + order, "wh-" + order,
                        1000, "pending", null, List.of(new LineItem("A", 1)));
                workers.accept(new Delivery(e, Delivery.dedupKey(e.shop(), e.topic().wire(), e.eventId()), 1));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> console.queueStats().completed() == 1
                    && console.paused(10).get(0).heldBack());
            assertThat(console.paused(10)).singleElement().satisfies(l -> {
                assertThat(l.orderId()).isEqualTo(88);
                assertThat(l.pausedAt()).isEqualTo(pausedAt);
                assertThat(l.depth()).isEqualTo(1);
            });
            assertThat(console.timeline(Mode.LOCKSTEP, 88).documents()).isEmpty();

            assertThat(console.resume(88)).isTrue();
            assertThat(console.resume(88)).isFalse();
            await().atMost(Duration.ofSeconds(20)).until(() -> console.queueStats().completed() == 2);
            assertThat(console.paused(10)).isEmpty();
        }
    }
}
