package dev.lockstep.pipeline;

import dev.lockstep.order.OrderEvent;
import java.util.Objects;

/**
 * One webhook delivery that passed HMAC and validation, ready to be accepted by a pipeline.
 *
 * @param event      the parsed event
 * @param dedupKey   shop + topic + event id (else webhook id, else body hash), built by the ingest;
 *                   the written form of a {@link DedupKey}
 * @param receivedAt epoch millis when the delivery arrived
 */
public record Delivery(OrderEvent event, String dedupKey, long receivedAt) {
    public Delivery {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(dedupKey, "dedupKey");
    }

    /**
     * The dedup key the ingest builds: shop + topic + (event id, else webhook id, else body hash),
     * written as {@link DedupKey} writes it ({@link DedupKey#parse} reads it back).
     */
    public static String dedupKey(String shop, String topicWire, String eventIdOrFallback) {
        return new DedupKey(shop, topicWire, eventIdOrFallback).toString();
    }
}
