package dev.lockstep.burst;

import dev.lockstep.order.OrderEvent;
import java.util.Objects;

/**
 * One delivery a burst fires: the event as the provider would send it. Duplicate deliveries of
 * one event share the event (and its event id); a provider retry also shares the webhook id.
 *
 * @param event       the event carried
 * @param triggeredAt epoch millis for {@code X-Shopify-Triggered-At}
 */
public record WebhookDelivery(OrderEvent event, long triggeredAt) {
    public WebhookDelivery {
        Objects.requireNonNull(event, "event");
    }
}
