package dev.lockstep.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.fleet.WorkerInfo;
import dev.lockstep.fleet.WorkerRegistry;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.testing.InMemoryOrderStore;
import dev.lockstep.testing.InMemoryPipeline;
import dev.lockstep.testing.TestServers;
import dev.lockstep.worker.WorkerSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A process's beacon: listed from its start with its figures, gone at once when it closes. */
class WorkerBeaconTest {

    @Test
    void aRunningProcessIsListedWithItsThroughputAndLeavesWhenClosed() throws Exception {
        WorkerRegistry registry = new WorkerRegistry(TestServers.get().redis(), TestServers.uniqueName("q"),
                Duration.ofMillis(500));
        InMemoryPipeline pipeline = new InMemoryPipeline(new InMemoryOrderStore());
        pipeline.start();
        try (WorkerBeacon beacon = WorkerBeacon.start(registry, "worker", 4, () -> pipeline,
                () -> "http://127.0.0.1:1")) {
            assertThat(beacon.id()).isEqualTo(WorkerSettings.processId());
            List<WorkerInfo> listed = registry.list();
            assertThat(listed).hasSize(1);
            WorkerInfo me = listed.get(0);
            assertThat(me.id()).isEqualTo(WorkerSettings.processId());
            assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(me.threads()).isEqualTo(4);
            assertThat(me.ingestUrl()).isEqualTo("http://127.0.0.1:1");
            for (int i = 1; i <= 50; i++) {
                OrderEvent e = new OrderEvent("shop.myshopify.com", Topic.CREATE, i, "e" + i, "w" + i, 1000, "pending",
                        null, List.of(new LineItem("A", 1)));
                pipeline.accept(new Delivery(e, "k" + i, System.currentTimeMillis()));
            }
            assertThat(pipeline.awaitDrained(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                WorkerInfo now = registry.list().get(0);
                assertThat(now.handled()).isEqualTo(50);
            });
        } finally {
            pipeline.close();
        }
        assertThat(registry.list()).as("a graceful stop leaves at once").isEmpty();
    }
}
