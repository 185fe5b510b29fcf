package dev.lockstep.bench;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Delivery;
import java.util.List;

/**
 * The benchmark's events: a real queue payload ({@link OrderEventCodec} JSON of an
 * {@code orders/updated} with one line item, about 220 bytes) whose event id carries the event's
 * index, so completions can be tallied per event without decoding JSON. {@code bench/bullmq/bench.mjs}
 * builds the same bytes.
 */
public final class BenchPayload {
    static final String SHOP = "bench.myshopify.com";
    private static final String EVENT_ID_FIELD = "\"eventId\":\"e";
    private static final long UPDATED_AT = 1_767_225_600_000L;

    private BenchPayload() {
    }

    public static OrderEvent event(int index, long orderId) {
        return new OrderEvent(SHOP, Topic.UPDATED, orderId, "e" + index, "w" + index, UPDATED_AT + index, "paid", null,
                List.of(new LineItem("SKU-" + (10_000 + index % 90_000), 1 + index % 3)));
    }

    public static String json(int index, long orderId) {
        return OrderEventCodec.encode(event(index, orderId));
    }

    /** The dedup key the ingest would use: unique per event. */
    public static String dedupKey(int index) {
        return Delivery.dedupKey(SHOP, Topic.UPDATED.wire(), "e" + index);
    }

    /** The event index a payload carries. */
    public static int indexOf(String payload) {
        int at = payload.indexOf(EVENT_ID_FIELD);
        if (at < 0) {
            throw new IllegalArgumentException("not a benchmark payload: " + payload);
        }
        int i = at + EVENT_ID_FIELD.length();
        int v = 0;
        char c;
        while (i < payload.length() && (c = payload.charAt(i)) >= '0' && c <= '9') {
            v = v * 10 + (c - '0');
            i++;
        }
        return v;
    }
}
