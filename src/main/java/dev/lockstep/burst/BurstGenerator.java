package dev.lockstep.burst;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates a {@link BurstPlan}: orders with skewed line items, their lifecycle events with strictly
 * increasing source updated_at, and the arrival schedule (orders overlapping in time, some events
 * arriving after later ones of their order, some delivered two or three times close together).
 * One {@link SplittableRandom} drives everything, so a seed fixes the plan.
 */
final class BurstGenerator {
    /** Source time of the sale's first order (the article's date, docs/DESIGN.md, "The article"). */
    static final long SALE_START_MILLIS = Instant.parse("2026-05-08T10:00:00Z").toEpochMilli();

    /** Mean gap between two orders' starts; an order's events span several ms, so orders overlap. */
    private static final int MEAN_ORDER_GAP_MICROS = 400;
    /** Network jitter of an arrival; below the 1 ms minimum event step, so alone it never reorders. */
    private static final int ARRIVAL_JITTER_MICROS = 800;
    /** How far behind the later event it was moved after a reordered event arrives. */
    private static final int REORDER_DELAY_MICROS = 2_000;
    /** How close behind the first copy a duplicate copy arrives (often concurrently). */
    private static final int COPY_GAP_MICROS = 300;
    private static final int MAX_EVENT_STEP_MILLIS = 5;
    private static final double SECOND_UPDATE_RATE = 0.5;
    private static final double THIRD_UPDATE_RATE = 0.4;
    private static final double FULFILLED_RATE = 0.3;
    private static final double CANCELLED_RATE = 0.1;
    private static final int THIRD_COPY_ONE_IN = 5;

    private final BurstSpec spec;
    private final SplittableRandom rnd;
    private final List<String> skus;
    private final double[] cumulativeSkuWeight;

    BurstGenerator(BurstSpec spec) {
        this.spec = spec;
        this.rnd = new SplittableRandom(spec.seed());
        this.skus = spec.skuNames();
        this.cumulativeSkuWeight = new double[skus.size()];
        double sum = 0;
        for (int i = 0; i < skus.size(); i++) {
            sum += 1.0 / (i + 1); // Zipf-like: the first SKUs are the sale's hot items
            cumulativeSkuWeight[i] = sum;
        }
    }

    BurstPlan generate() {
        List<Arrival> arrivals = new ArrayList<>(spec.orders() * 6);
        Map<Long, ExpectedOrder> expected = new LinkedHashMap<>(spec.orders() * 2);
        long orderStartMicros = 0;
        long events = 0;
        long duplicated = 0;
        long reordered = 0;
        for (int i = 0; i < spec.orders(); i++) {
            long orderId = spec.firstOrderId() + i;
            orderStartMicros += rnd.nextInt(2 * MEAN_ORDER_GAP_MICROS + 1);
            List<OrderEvent> lifecycle = spec.eventsPerOrder() == BurstSpec.NATURAL_MIX
                    ? lifecycle(orderId, SALE_START_MILLIS + orderStartMicros / 1000, lineItems())
                    : exactLifecycle(orderId, SALE_START_MILLIS + orderStartMicros / 1000, lineItems(),
                            spec.eventsPerOrder());
            expected.put(orderId, ExpectedOrder.of(lifecycle));
            events += lifecycle.size();

            long[] at = new long[lifecycle.size()];
            for (int k = 0; k < at.length; k++) {
                at[k] = (lifecycle.get(k).updatedAt() - SALE_START_MILLIS) * 1000 + rnd.nextInt(ARRIVAL_JITTER_MICROS);
            }
            // From the last event back, so a moved event lands behind its target's final arrival:
            // exactly the moved events end up arriving after a later event of their order.
            for (int k = at.length - 2; k >= 0; k--) {
                if (rnd.nextDouble() < spec.reorder()) {
                    int target = k + 1 + rnd.nextInt(at.length - k - 1);
                    at[k] = at[target] + 1 + rnd.nextInt(REORDER_DELAY_MICROS);
                    reordered++;
                }
            }
            for (int k = 0; k < at.length; k++) {
                OrderEvent first = lifecycle.get(k);
                arrivals.add(new Arrival(at[k], arrivals.size(), first));
                if (rnd.nextDouble() < spec.duplicates()) {
                    duplicated++;
                    int copies = rnd.nextInt(THIRD_COPY_ONE_IN) == 0 ? 3 : 2;
                    for (int c = 2; c <= copies; c++) {
                        // Half are provider retries (same webhook id), half a second delivery of the action.
                        OrderEvent copy = rnd.nextBoolean() ? first : withWebhookId(first, webhookId(orderId, k + 1, c));
                        arrivals.add(new Arrival(at[k] + rnd.nextInt(COPY_GAP_MICROS + 1), arrivals.size(), copy));
                    }
                }
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::atMicros).thenComparingLong(Arrival::seq));
        List<WebhookDelivery> deliveries = new ArrayList<>(arrivals.size());
        for (Arrival a : arrivals) {
            deliveries.add(new WebhookDelivery(a.event(), SALE_START_MILLIS + a.atMicros() / 1000));
        }
        Map<String, Long> initial = new LinkedHashMap<>();
        skus.forEach(s -> initial.put(s, spec.stockPerSku()));
        return new BurstPlan(spec, deliveries, expected, initial, BurstPlan.expectedStock(initial, expected.values()),
                events, duplicated, reordered);
    }

    /**
     * Exactly {@code n} events: create; paid; fulfilled or cancelled; the rest are updates, half
     * before payment and half after.
     */
    private List<OrderEvent> exactLifecycle(long orderId, long baseMillis, List<LineItem> items, int n) {
        List<OrderEvent> events = new ArrayList<>(n);
        long t = baseMillis;
        events.add(event(orderId, 1, Topic.CREATE, t, "pending", null, items));
        int updates = Math.max(0, n - 3);
        int before = updates / 2;
        for (int u = 0; u < before; u++) {
            t += step();
            events.add(event(orderId, events.size() + 1, Topic.UPDATED, t, "pending", null, items));
        }
        if (n >= 2) {
            t += step();
            events.add(event(orderId, events.size() + 1, Topic.PAID, t, "paid", null, items));
        }
        for (int u = before; u < updates; u++) {
            t += step();
            events.add(event(orderId, events.size() + 1, Topic.UPDATED, t, "paid", null, items));
        }
        if (n >= 3) {
            t += step();
            boolean cancel = rnd.nextDouble() < CANCELLED_RATE / (FULFILLED_RATE + CANCELLED_RATE);
            events.add(cancel
                    ? event(orderId, events.size() + 1, Topic.CANCELLED, t, "refunded", null, items)
                    : event(orderId, events.size() + 1, Topic.FULFILLED, t, "paid", "fulfilled", items));
        }
        return events;
    }

    /** create, sometimes updated, paid, sometimes updated, then sometimes fulfilled or cancelled. */
    private List<OrderEvent> lifecycle(long orderId, long baseMillis, List<LineItem> items) {
        List<OrderEvent> events = new ArrayList<>(5);
        long t = baseMillis;
        events.add(event(orderId, events.size() + 1, Topic.CREATE, t, "pending", null, items));
        if (rnd.nextDouble() < SECOND_UPDATE_RATE) {
            t += step();
            events.add(event(orderId, events.size() + 1, Topic.UPDATED, t, "pending", null, items));
        }
        t += step();
        events.add(event(orderId, events.size() + 1, Topic.PAID, t, "paid", null, items));
        if (rnd.nextDouble() < THIRD_UPDATE_RATE) {
            t += step();
            events.add(event(orderId, events.size() + 1, Topic.UPDATED, t, "paid", null, items));
        }
        double end = rnd.nextDouble();
        if (end < FULFILLED_RATE) {
            t += step();
            events.add(event(orderId, events.size() + 1, Topic.FULFILLED, t, "paid", "fulfilled", items));
        } else if (end < FULFILLED_RATE + CANCELLED_RATE) {
            t += step();
            events.add(event(orderId, events.size() + 1, Topic.CANCELLED, t, "refunded", null, items));
        }
        return events;
    }

    /** 1–3 distinct SKUs, drawn skewed so orders contend for the hot ones, 1–3 units each. */
    private List<LineItem> lineItems() {
        int count = Math.min(1 + rnd.nextInt(3), skus.size());
        boolean[] taken = new boolean[skus.size()];
        List<LineItem> items = new ArrayList<>(count);
        while (items.size() < count) {
            int sku = drawSku();
            if (!taken[sku]) {
                taken[sku] = true;
                items.add(new LineItem(skus.get(sku), 1 + rnd.nextInt(3)));
            }
        }
        return List.copyOf(items);
    }

    private int drawSku() {
        double x = rnd.nextDouble() * cumulativeSkuWeight[cumulativeSkuWeight.length - 1];
        int i = Arrays.binarySearch(cumulativeSkuWeight, x);
        return Math.min(i >= 0 ? i : -i - 1, cumulativeSkuWeight.length - 1);
    }

    private int step() {
        return 1 + rnd.nextInt(MAX_EVENT_STEP_MILLIS);
    }

    private OrderEvent event(long orderId, int n, Topic topic, long updatedAt, String financial, String fulfillment,
                             List<LineItem> items) {
        return new OrderEvent(spec.shop(), topic, orderId, "evt-" + orderId + "-" + n, webhookId(orderId, n, 1),
                updatedAt, financial, fulfillment, items);
    }

    private static String webhookId(long orderId, int n, int copy) {
        return "wh-" + orderId + "-" + n + "-" + copy;
    }

    private static OrderEvent withWebhookId(OrderEvent e, String webhookId) {
        return new OrderEvent(e.shop(), e.topic(), e.orderId(), e.eventId(), webhookId, e.updatedAt(),
                e.financialStatus(), e.fulfillmentStatus(), e.lineItems());
    }

    /** One delivery's place in the schedule; {@code seq} breaks ties so a first copy precedes its copies. */
    private record Arrival(long atMicros, long seq, OrderEvent event) {
    }
}
