package dev.lockstep.burst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BurstPlanTest {
    private static final String SHOP = BurstSpec.DEFAULT_SHOP;

    @Test
    void exactEventsPerOrderGivesEveryOrderThatManyEventsInLifecycleOrder() {
        for (int n : new int[] {1, 2, 3, 6}) {
            BurstPlan plan = BurstPlan.generate(BurstSpec.of(200, 0, 0, 3).withEventsPerOrder(n));
            assertThat(plan.events()).isEqualTo(200L * n);
            for (ExpectedOrder o : plan.expected().values()) {
                assertThat(o.effectIds()).hasSize(n);
                assertThat(o.effectIds().get(0)).startsWith("orders/create#");
                if (n >= 2) {
                    assertThat(o.effectIds()).anyMatch(e -> e.startsWith("orders/paid#"));
                }
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BurstSpec.of(10, 0, 0, 1).withEventsPerOrder(51))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventsPerOrder");
    }

    @Test
    void sameSeedGivesTheSamePlanAndAnotherSeedAnother() {
        BurstPlan a = BurstPlan.generate(BurstSpec.of(500, 0.2, 0.3, 42));
        BurstPlan b = BurstPlan.generate(BurstSpec.of(500, 0.2, 0.3, 42));
        BurstPlan c = BurstPlan.generate(BurstSpec.of(500, 0.2, 0.3, 43));

        assertThat(b.deliveries()).isEqualTo(a.deliveries());
        assertThat(b.expected()).isEqualTo(a.expected());
        assertThat(b.expectedStock()).isEqualTo(a.expectedStock());
        assertThat(b).isEqualTo(a);
        assertThat(c.deliveries()).isNotEqualTo(a.deliveries());
    }

    @Test
    void duplicateRateIsRoughlyHonouredWithSomeThirdCopiesAndHalfProviderRetries() {
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(5_000, 0.2, 0.0, 7));
        Map<String, List<WebhookDelivery>> copies = byEffect(plan);

        long duplicated = copies.values().stream().filter(l -> l.size() > 1).count();
        long thirdCopies = copies.values().stream().filter(l -> l.size() == 3).count();
        assertThat(copies.values()).allSatisfy(l -> assertThat(l.size()).isBetween(1, 3));
        assertThat(copies).hasSize((int) plan.events());
        assertThat(duplicated).isEqualTo(plan.duplicatedEvents());
        assertThat((double) duplicated / plan.events()).isBetween(0.17, 0.23);
        assertThat((double) thirdCopies / duplicated).isBetween(0.14, 0.26);
        assertThat(plan.duplicateDeliveries()).isEqualTo(plan.deliveries().size() - plan.events());

        long extra = 0;
        long retries = 0;
        for (List<WebhookDelivery> l : copies.values()) {
            String firstWebhook = l.get(0).event().webhookId();
            for (WebhookDelivery copy : l.subList(1, l.size())) {
                extra++;
                if (copy.event().webhookId().equals(firstWebhook)) {
                    retries++;
                }
                assertThat(copy.event().eventId()).isEqualTo(l.get(0).event().eventId());
            }
        }
        assertThat((double) retries / extra).isBetween(0.4, 0.6);
    }

    @Test
    void duplicateCopiesArriveCloseAfterTheFirst() {
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(2_000, 0.5, 0.0, 3));
        Map<String, Integer> firstIndex = new HashMap<>();
        List<Integer> gaps = new ArrayList<>();
        for (int i = 0; i < plan.deliveries().size(); i++) {
            String effect = plan.deliveries().get(i).event().effectId();
            Integer first = firstIndex.putIfAbsent(effect, i);
            if (first != null) {
                gaps.add(i - first);
            }
        }
        gaps.sort(Comparator.naturalOrder());
        // Close: the median copy arrives within a handful of deliveries of the first.
        assertThat(gaps.get(gaps.size() / 2)).isLessThanOrEqualTo(5);
        assertThat(gaps).allSatisfy(g -> assertThat(g).isPositive());
    }

    @Test
    void reorderRateIsRoughlyHonouredAndExactlyTheCountedEventsArriveLate() {
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(5_000, 0.1, 0.3, 11));

        long eligible = plan.expected().values().stream().mapToLong(o -> o.effectIds().size() - 1).sum();
        long late = lateEvents(plan);
        assertThat(late).isEqualTo(plan.reorderedEvents());
        assertThat((double) late / eligible).isBetween(0.27, 0.33);
    }

    @Test
    void withoutDuplicatesOrReorderingEveryOrderArrivesOnceAndInGenerationOrder() {
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(2_000, 0.0, 0.0, 5));

        assertThat(plan.deliveries()).hasSize((int) plan.events());
        assertThat(plan.duplicatedEvents()).isZero();
        assertThat(plan.reorderedEvents()).isZero();
        assertThat(lateEvents(plan)).isZero();
        // Orders overlap in time: deliveries of different orders interleave.
        long interleaved = 0;
        Map<Long, Integer> lastIndex = new HashMap<>();
        for (int i = 0; i < plan.deliveries().size(); i++) {
            long order = plan.deliveries().get(i).event().orderId();
            Integer prev = lastIndex.put(order, i);
            if (prev != null && prev != i - 1) {
                interleaved++;
            }
        }
        assertThat(interleaved).isGreaterThan(plan.events() / 4);
    }

    @Test
    void ordersHaveAPlausibleLifecycleAndSkewedLineItems() {
        BurstSpec spec = BurstSpec.of(3_000, 0.2, 0.3, 9);
        BurstPlan plan = BurstPlan.generate(spec);
        Map<Long, List<OrderEvent>> lifecycles = lifecycles(plan);

        assertThat(plan.orders()).isEqualTo(3_000);
        assertThat(lifecycles.keySet()).isEqualTo(plan.expected().keySet());
        Map<String, Long> demand = new HashMap<>();
        for (List<OrderEvent> events : lifecycles.values()) {
            assertThat(events.get(0).topic()).isEqualTo(Topic.CREATE);
            assertThat(events).extracting(OrderEvent::topic).contains(Topic.PAID);
            assertThat(events.size()).isBetween(2, 5);
            for (int k = 1; k < events.size(); k++) {
                assertThat(events.get(k).updatedAt() - events.get(k - 1).updatedAt()).isBetween(1L, 5L);
            }
            List<LineItem> items = events.get(0).lineItems();
            assertThat(items.size()).isBetween(1, 3);
            assertThat(items.stream().map(LineItem::sku).distinct().count()).isEqualTo(items.size());
            assertThat(items).allSatisfy(li -> assertThat(li.quantity()).isBetween(1, 3));
            assertThat(events).allSatisfy(e -> assertThat(e.lineItems()).isEqualTo(items));
            items.forEach(li -> demand.merge(li.sku(), (long) li.quantity(), Long::sum));
            // The ground truth is the fold of the events in generation order.
            assertThat(plan.expected().get(events.get(0).orderId())).isEqualTo(ExpectedOrder.of(events));
        }
        assertThat(demand.keySet()).isEqualTo(Set.copyOf(spec.skuNames()));
        assertThat(demand.get("SKU-01")).isGreaterThan(2 * demand.get("SKU-08"));

        long cancelled = plan.expected().values().stream().filter(ExpectedOrder::cancelled).count();
        long fulfilled = plan.expected().values().stream().filter(o -> o.state() == OrderState.FULFILLED).count();
        assertThat((double) cancelled / plan.orders()).isBetween(0.07, 0.13);
        assertThat((double) fulfilled / plan.orders()).isBetween(0.26, 0.34);
    }

    @Test
    void everyDeliveryHasAWebhookIdAndEventIdsAreUniquePerMerchantAction() {
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(1_000, 0.3, 0.3, 2));
        Set<String> eventIds = new HashSet<>();
        Set<String> webhookIds = new HashSet<>();
        for (WebhookDelivery d : plan.deliveries()) {
            assertThat(d.event().webhookId()).isNotBlank();
            assertThat(d.event().shop()).isEqualTo(SHOP);
            eventIds.add(d.event().eventId());
            webhookIds.add(d.event().webhookId());
        }
        assertThat(eventIds).hasSize((int) plan.events());
        assertThat(webhookIds.size()).isGreaterThan(eventIds.size()).isLessThan(plan.deliveries().size());
    }

    @Test
    void expectedStockIsInitialMinusTheOrdersNotCancelled() {
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(1_000, 0.2, 0.2, 13));
        Map<String, Long> stock = new LinkedHashMap<>(plan.initialStock());
        for (ExpectedOrder o : plan.expected().values()) {
            if (o.state() != OrderState.CANCELLED) {
                o.lineItems().forEach(li -> stock.merge(li.sku(), (long) -li.quantity(), Long::sum));
            }
        }
        assertThat(plan.expectedStock()).isEqualTo(stock);
        assertThat(plan.initialStock()).containsOnlyKeys(BurstSpec.of(1, 0, 0, 0).skuNames());
        assertThat(plan.initialStock().values()).containsOnly(10_000L);
        assertThat(plan.expectedStock().values()).allSatisfy(v -> assertThat(v).isPositive());
        assertThat(plan.expectedStock()).isNotEqualTo(plan.initialStock());
    }

    @Test
    void groundTruthKeepsCancelledTerminal() {
        ExpectedOrder o = ExpectedOrder.of(List.of(
                event(1, Topic.CREATE, 100), event(2, Topic.PAID, 110), event(3, Topic.CANCELLED, 120),
                event(4, Topic.UPDATED, 130), event(5, Topic.FULFILLED, 140)));

        assertThat(o.state()).isEqualTo(OrderState.CANCELLED);
        assertThat(o.updatedAt()).isEqualTo(120);
        assertThat(o.cancelled()).isTrue();
        assertThat(o.effectIds()).containsExactly("orders/create#e1", "orders/paid#e2", "orders/cancelled#e3",
                "orders/updated#e4", "orders/fulfilled#e5");
    }

    @Test
    void groundTruthLetsAnUpdateMoveUpdatedAtButNotTheState() {
        ExpectedOrder o = ExpectedOrder.of(List.of(event(1, Topic.CREATE, 100), event(2, Topic.UPDATED, 105)));
        assertThat(o.state()).isEqualTo(OrderState.CREATED);
        assertThat(o.updatedAt()).isEqualTo(105);

        ExpectedOrder paid = ExpectedOrder.of(List.of(event(1, Topic.CREATE, 100), event(2, Topic.PAID, 105),
                event(3, Topic.UPDATED, 109)));
        assertThat(paid.state()).isEqualTo(OrderState.PAID);
        assertThat(paid.updatedAt()).isEqualTo(109);
    }

    @Test
    void groundTruthRanksOnlyRiseAndOlderEventsChangeNothing() {
        ExpectedOrder o = ExpectedOrder.of(List.of(event(1, Topic.CREATE, 100), event(2, Topic.FULFILLED, 110),
                event(3, Topic.PAID, 120)));
        assertThat(o.state()).isEqualTo(OrderState.FULFILLED);
        assertThat(o.updatedAt()).isEqualTo(120);

        ExpectedOrder stale = ExpectedOrder.of(List.of(event(1, Topic.PAID, 200), event(2, Topic.FULFILLED, 150)));
        assertThat(stale.state()).isEqualTo(OrderState.PAID);
        assertThat(stale.updatedAt()).isEqualTo(200);
    }

    @Test
    void groundTruthStockSkipsOnlyCancelledOrders() {
        ExpectedOrder kept = ExpectedOrder.of(List.of(event(1, 1, Topic.CREATE, 100, List.of(new LineItem("A", 2),
                new LineItem("B", 1)))));
        ExpectedOrder cancelled = ExpectedOrder.of(List.of(event(2, 1, Topic.CREATE, 100, List.of(new LineItem("A", 3))),
                event(2, 2, Topic.CANCELLED, 101, List.of(new LineItem("A", 3)))));
        ExpectedOrder fulfilled = ExpectedOrder.of(List.of(event(3, 1, Topic.CREATE, 100, List.of(new LineItem("B", 3))),
                event(3, 2, Topic.FULFILLED, 101, List.of(new LineItem("B", 3)))));

        assertThat(BurstPlan.expectedStock(Map.of("A", 10L, "B", 10L, "C", 10L), List.of(kept, cancelled, fulfilled)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("A", 8L, "B", 6L, "C", 10L));
    }

    @Test
    void groundTruthRefusesNoEventsAndMixedOrders() {
        assertThatThrownBy(() -> ExpectedOrder.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one event");
        assertThatThrownBy(() -> ExpectedOrder.of(List.of(event(1, 1, Topic.CREATE, 1, items()),
                event(2, 2, Topic.PAID, 2, items())))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orders 1 and 2");
    }

    @Test
    void theArticlesFifteenThousandOrderSaleGenerates() {
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(15_000, 0.1, 0.1, 1));
        assertThat(plan.orders()).isEqualTo(15_000);
        assertThat(plan.events()).isBetween(15_000L * 2, 15_000L * 5);
        assertThat(plan.expected().keySet()).contains(BurstSpec.DEFAULT_FIRST_ORDER_ID,
                BurstSpec.DEFAULT_FIRST_ORDER_ID + 14_999);
        assertThat(plan.initialStock().values()).containsOnly(150_000L);
    }

    @Test
    void specRefusesOutOfRangeValuesWithClearMessages() {
        assertThatThrownBy(() -> BurstSpec.of(0, 0, 0, 1)).hasMessage("orders must be 1..10000000, was 0");
        assertThatThrownBy(() -> BurstSpec.of(10_000_001, 0, 0, 1)).hasMessageContaining("orders must be 1..10000000");
        assertThatThrownBy(() -> BurstSpec.of(10, 1.5, 0, 1)).hasMessage("duplicates must be a rate in 0..1, was 1.5");
        assertThatThrownBy(() -> BurstSpec.of(10, 0, -0.1, 1)).hasMessage("reorder must be a rate in 0..1, was -0.1");
        assertThatThrownBy(() -> BurstSpec.of(10, Double.NaN, 0, 1)).hasMessageContaining("duplicates must be a rate");
        assertThatThrownBy(() -> BurstSpec.of(10, 0, 0, 1).withSkus(0)).hasMessageContaining("skus must be 1..");
        assertThatThrownBy(() -> BurstSpec.of(10, 0, 0, 1).withShop(" ")).hasMessageContaining("shop must not be blank");
        assertThatThrownBy(() -> BurstSpec.of(10, 0, 0, 1).withFirstOrderId(0)).hasMessageContaining("firstOrderId");
        assertThatThrownBy(() -> BurstSpec.of(10, 0, 0, 1).withInitialStock(-1)).hasMessageContaining("initialStock");
        assertThat(BurstSpec.of(10, 1, 1, 1).withSkus(2).withInitialStock(5).stockPerSku()).isEqualTo(5);
    }

    @Test
    void aSingleSkuAndFullRatesStillGenerate() {
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(200, 1.0, 1.0, 4).withSkus(1));
        assertThat(plan.duplicatedEvents()).isEqualTo(plan.events());
        assertThat(plan.expected().values()).allSatisfy(o -> assertThat(o.lineItems()).hasSize(1));
        long eligible = plan.expected().values().stream().mapToLong(o -> o.effectIds().size() - 1).sum();
        assertThat(lateEvents(plan)).isEqualTo(eligible);
    }

    /** Events whose first delivery comes after the first delivery of a later event of their order. */
    static long lateEvents(BurstPlan plan) {
        Map<Long, List<OrderEvent>> firstArrivals = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (WebhookDelivery d : plan.deliveries()) {
            if (seen.add(d.event().effectId())) {
                firstArrivals.computeIfAbsent(d.event().orderId(), k -> new ArrayList<>()).add(d.event());
            }
        }
        long late = 0;
        for (List<OrderEvent> arrivals : firstArrivals.values()) {
            long newestSoFar = Long.MIN_VALUE;
            // Late: something that arrived before it is newer.
            for (OrderEvent e : arrivals) {
                if (e.updatedAt() < newestSoFar) {
                    late++;
                }
                newestSoFar = Math.max(newestSoFar, e.updatedAt());
            }
        }
        return late;
    }

    private static Map<String, List<WebhookDelivery>> byEffect(BurstPlan plan) {
        return plan.deliveries().stream().collect(Collectors.groupingBy(d -> d.event().effectId(), LinkedHashMap::new,
                Collectors.toList()));
    }

    /** Each order's events in generation order (by updated_at, strictly increasing within an order). */
    private static Map<Long, List<OrderEvent>> lifecycles(BurstPlan plan) {
        Map<Long, List<OrderEvent>> byOrder = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (WebhookDelivery d : plan.deliveries()) {
            if (seen.add(d.event().effectId())) {
                byOrder.computeIfAbsent(d.event().orderId(), k -> new ArrayList<>()).add(d.event());
            }
        }
        byOrder.values().forEach(l -> l.sort(Comparator.comparingLong(OrderEvent::updatedAt)));
        return byOrder;
    }

    private static OrderEvent event(int n, Topic topic, long updatedAt) {
        return event(1, n, topic, updatedAt, items());
    }

    private static OrderEvent event(long orderId, int n, Topic topic, long updatedAt, List<LineItem> items) {
        return new OrderEvent(SHOP, topic, orderId, "e" + n, "w" + n, updatedAt, null, null, items);
    }

    private static List<LineItem> items() {
        return List.of(new LineItem("A", 1));
    }
}
