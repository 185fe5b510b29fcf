package dev.lockstep.burst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.order.OrderEvent;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.testing.InMemoryPipeline;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DirectFirerTest {
    private final BurstPlan plan = BurstPlan.generate(BurstSpec.of(300, 0.3, 0.2, 21));

    @Test
    void countsQueuedAndDuplicatesAndRecordsEveryAck() throws Exception {
        try (InMemoryPipeline pipeline = new InMemoryPipeline(null)) {
            AtomicLong calls = new AtomicLong();
            AtomicLong maxDone = new AtomicLong();
            Set<Long> totals = ConcurrentHashMap.newKeySet();
            FireStats stats = new DirectFirer(pipeline).fire(plan.deliveries(), 8, (done, total) -> {
                calls.incrementAndGet();
                maxDone.accumulateAndGet(done, Math::max);
                totals.add(total);
            });

            long sent = plan.deliveries().size();
            assertThat(stats.sent()).isEqualTo(sent);
            assertThat(stats.queued()).isEqualTo(plan.events());
            assertThat(stats.duplicates()).isEqualTo(plan.duplicateDeliveries()).isPositive();
            assertThat(stats.rejected()).isZero();
            assertThat(stats.refusedEvents()).isEmpty();
            assertThat(stats.ackLatency().getTotalCount()).isEqualTo(sent);
            assertThat(stats.ackLatency().getMaxValue()).isPositive();
            assertThat(stats.seconds()).isPositive();
            assertThat(calls.get()).isEqualTo(sent);
            assertThat(maxDone.get()).isEqualTo(sent);
            assertThat(totals).containsExactly(sent);
            assertThat(pipeline.counters().snapshot().accepted()).isEqualTo(plan.events());
        }
    }

    @Test
    void buildsEachDeliveryAsTheIngestDoes() throws Exception {
        try (InMemoryPipeline pipeline = new InMemoryPipeline(null)) {
            long before = System.currentTimeMillis();
            new DirectFirer(pipeline).fire(plan.deliveries(), 4, Firer.ProgressListener.NONE);
            long after = System.currentTimeMillis();

            assertThat(pipeline.accepted()).hasSize((int) plan.events()).allSatisfy(d -> {
                assertThat(d.dedupKey()).isEqualTo(Delivery.dedupKey(d.event().shop(), d.event().topic().wire(),
                        d.event().eventId()));
                assertThat(d.receivedAt()).isBetween(before, after);
            });
        }
    }

    @Test
    void fallsBackToTheWebhookIdThenABodyHashForTheDedupKey() {
        WebhookDelivery d = plan.deliveries().get(0);
        OrderEvent noEventId = new OrderEvent(d.event().shop(), d.event().topic(), d.event().orderId(), "",
                "wh-1", d.event().updatedAt(), null, null, d.event().lineItems());
        OrderEvent noIds = new OrderEvent(d.event().shop(), d.event().topic(), d.event().orderId(), "",
                "", d.event().updatedAt(), null, null, d.event().lineItems());

        assertThat(DirectFirer.asIngested(noEventId).dedupKey()).endsWith("|wh-1");
        assertThat(DirectFirer.asIngested(noIds).dedupKey()).matches(".*\\|[0-9a-f]{64}$")
                .isEqualTo(DirectFirer.asIngested(noIds).dedupKey());
    }

    @Test
    void sendersReallyRunConcurrently() throws Exception {
        int inFlight = 4;
        for (int iteration = 0; iteration < 20; iteration++) {
            try (InMemoryPipeline pipeline = new InMemoryPipeline(null)) {
                // Opens only once inFlight accepts are inside accept at the same time.
                CountDownLatch allInside = new CountDownLatch(inFlight);
                AtomicInteger entered = new AtomicInteger();
                AtomicInteger opened = new AtomicInteger();
                pipeline.beforeAccept = d -> {
                    if (entered.getAndIncrement() < inFlight) {
                        allInside.countDown();
                        try {
                            if (allInside.await(10, TimeUnit.SECONDS)) {
                                opened.incrementAndGet();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                };
                FireStats stats = new DirectFirer(pipeline).fire(plan.deliveries().subList(0, 50), inFlight,
                        Firer.ProgressListener.NONE);

                assertThat(opened.get()).as("accepts that saw %d senders inside at once", inFlight).isEqualTo(inFlight);
                assertThat(stats.sent()).isEqualTo(50);
            }
        }
    }

    @Test
    void countsRefusalsAndNamesTheEventsNeverAccepted() throws Exception {
        Map<String, List<WebhookDelivery>> copies = plan.deliveries().stream()
                .collect(Collectors.groupingBy(d -> d.event().effectId()));
        List<String> once = copies.entrySet().stream().filter(e -> e.getValue().size() == 1).map(Map.Entry::getKey)
                .sorted().limit(3).toList();
        String twice = copies.entrySet().stream().filter(e -> e.getValue().size() == 2).map(Map.Entry::getKey)
                .sorted().findFirst().orElseThrow();
        Set<String> alwaysRefused = new HashSet<>(once);
        Set<String> refusedOnce = ConcurrentHashMap.newKeySet();

        try (InMemoryPipeline pipeline = new InMemoryPipeline(null)) {
            // Every delivery of three events is refused; only the first delivery of a twice-delivered one.
            pipeline.refuse = d -> alwaysRefused.contains(d.event().effectId())
                    || (d.event().effectId().equals(twice) && refusedOnce.add(twice));
            FireStats stats = new DirectFirer(pipeline).fire(plan.deliveries(), 6, Firer.ProgressListener.NONE);

            assertThat(stats.rejected()).isEqualTo(4);
            assertThat(stats.refusedEvents()).containsExactlyInAnyOrderElementsOf(once);
            assertThat(stats.queued()).isEqualTo(plan.events() - 3);
            assertThat(stats.queued() + stats.duplicates() + stats.rejected()).isEqualTo(stats.sent());
            assertThat(stats.ackLatency().getTotalCount()).isEqualTo(stats.sent() - 4);
        }
    }

    @Test
    void refusesANonPositiveInFlight() {
        try (InMemoryPipeline pipeline = new InMemoryPipeline(null)) {
            assertThatThrownBy(() -> new DirectFirer(pipeline).fire(plan.deliveries(), 0, Firer.ProgressListener.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inFlight must be at least 1");
            assertThat(pipeline.counters().snapshot().accepted()).isZero();
        }
    }

    @Test
    void firesAnEmptyBurst() throws Exception {
        try (InMemoryPipeline pipeline = new InMemoryPipeline(null)) {
            FireStats stats = new DirectFirer(pipeline).fire(List.of(), 4, Firer.ProgressListener.NONE);
            assertThat(stats.sent()).isZero();
            assertThat(stats.ackLatency().getTotalCount()).isZero();
        }
    }
}
