package dev.lockstep.store;

import dev.lockstep.order.OrderState;
import java.util.List;

/**
 * One order document as stored, with the history of effects applied to it.
 *
 * @param orderId   the provider's order id
 * @param documentId the document's own id (differs from the order id when duplicates exist)
 * @param state     stored state
 * @param updatedAt stored source updated_at (epoch millis)
 * @param fence     the highest fencing token that wrote it (0 for unfenced stores)
 * @param history   every application of an event to this order, in the order they happened
 */
public record StoredOrder(long orderId, String documentId, OrderState state, long updatedAt, long fence,
                          List<Application> history) {
    public StoredOrder {
        history = List.copyOf(history);
    }
}
