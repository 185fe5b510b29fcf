package dev.lockstep.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.runtime.LockstepRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** I4 (docs/DESIGN.md, "Invariants") across a restart: what the embedded servers acknowledged before a stop is applied after the next start. */
class RestartKeepsAcceptedEventsTest {

    @Test
    void eventsAcceptedBeforeAStopAreAppliedAfterTheNextStart(@TempDir Path dataDir) throws Exception {
        LockstepConfig cfg = ConfigLoader.load(null, Map.of(), Map.of("data.dir", dataDir.toString(),
                "redis.embedded.appendfsync", "always", "http.port", "0"));
        OrderEvent create = new OrderEvent("s.myshopify.com", Topic.CREATE, 5150, "e1", "w1", 1000, "pending", null,
                List.of(new LineItem("A", 3)));
        OrderEvent paid = new OrderEvent("s.myshopify.com", Topic.PAID, 5150, "e2", "w2", 2000, "paid", null,
                List.of(new LineItem("A", 3)));
        try (LockstepRuntime first = LockstepRuntime.start(cfg);
             Pipeline notStarted = first.newPipeline(Mode.LOCKSTEP, PausedHolderFault.NONE)) {
            first.store(Mode.LOCKSTEP).seedStock(Map.of("A", 10L));
            for (OrderEvent e : List.of(create, paid)) {
                assertThat(notStarted.accept(new Delivery(e, Delivery.dedupKey(e.shop(), e.topic().wire(), e.eventId()), 0)))
                        .isEqualTo(AcceptResult.QUEUED);
            }
        }
        try (LockstepRuntime second = LockstepRuntime.start(cfg);
             Pipeline workers = second.newPipeline(Mode.LOCKSTEP, PausedHolderFault.NONE)) {
            assertThat(second.laneQueue().stats().waiting()).isEqualTo(2);
            workers.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> second.laneQueue().stats().waiting() == 0);
            assertThat(second.store(Mode.LOCKSTEP).order(5150)).singleElement()
                    .satisfies(o -> assertThat(o.state()).isEqualTo(OrderState.PAID));
            assertThat(second.store(Mode.LOCKSTEP).stock()).containsEntry("A", 7L);
            // the dedup keys survived too: a provider retry after the restart is still a duplicate
            assertThat(workers.accept(new Delivery(create, Delivery.dedupKey(create.shop(), create.topic().wire(),
                    create.eventId()), 0))).isEqualTo(AcceptResult.DUPLICATE);
        }
    }
}
