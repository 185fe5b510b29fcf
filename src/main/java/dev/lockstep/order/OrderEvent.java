package dev.lockstep.order;

import java.util.List;
import java.util.Objects;

/**
 * One accepted order webhook, as the handlers see it. The payload carries the whole order as the
 * provider saw it at {@code updatedAt} (Shopify sends the full order with every topic).
 *
 * @param shop              shop domain ({@code X-Shopify-Shop-Domain})
 * @param topic             webhook topic
 * @param orderId           the provider's order id
 * @param eventId           the provider's event id, shared by all deliveries of one merchant action
 * @param webhookId         this delivery's id ({@code X-Shopify-Webhook-Id}); may be empty
 * @param updatedAt         the order's source {@code updated_at}, epoch milliseconds
 * @param financialStatus   e.g. pending, paid; may be null
 * @param fulfillmentStatus e.g. fulfilled; may be null
 * @param lineItems         what the order takes from stock; fixed for the life of an order
 */
public record OrderEvent(
        String shop,
        Topic topic,
        long orderId,
        String eventId,
        String webhookId,
        long updatedAt,
        String financialStatus,
        String fulfillmentStatus,
        List<LineItem> lineItems) {

    public OrderEvent {
        Objects.requireNonNull(shop, "shop");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(eventId, "eventId");
        webhookId = webhookId == null ? "" : webhookId;
        lineItems = List.copyOf(lineItems);
        if (orderId <= 0) {
            throw new IllegalArgumentException("orderId must be positive: " + orderId);
        }
    }

    /**
     * The state the order is in according to this event's payload. Shopify sends the whole order
     * with every topic, so an {@code orders/updated} of a paid order says "paid" too: cancelled by
     * topic, then fulfilled, paid, else created.
     */
    public OrderState impliedState() {
        if (topic == Topic.CANCELLED) {
            return OrderState.CANCELLED;
        }
        if (topic == Topic.FULFILLED || "fulfilled".equalsIgnoreCase(fulfillmentStatus)) {
            return OrderState.FULFILLED;
        }
        if (topic == Topic.PAID || "paid".equalsIgnoreCase(financialStatus)) {
            return OrderState.PAID;
        }
        return OrderState.CREATED;
    }

    /**
     * Identity of this event's effect: the same effect id means the same change, however many
     * times it is delivered. Topic is part of it because one merchant action shares its event id
     * across topics.
     */
    public String effectId() {
        return topic.wire() + "#" + eventId;
    }
}
