package dev.lockstep.ingest;

import dev.lockstep.order.OrderEvent;
import java.util.Objects;

/**
 * A webhook request that passed HMAC and validation.
 *
 * @param event    the parsed event; its event id is the dedup id below
 * @param dedupKey shop + topic + (event id, else webhook id, else body hash)
 */
public record ValidWebhook(OrderEvent event, String dedupKey) implements ParsedWebhook {
    public ValidWebhook {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(dedupKey, "dedupKey");
    }
}
