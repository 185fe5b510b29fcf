package dev.lockstep.burst;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ground truth of one order: what its events imply when applied in generation order
 * (docs/DESIGN.md, "Audit terms").
 *
 * @param orderId   the order id
 * @param effectIds effect ids of its events, in generation order
 * @param state     correct final state
 * @param updatedAt correct final source updated_at (epoch millis)
 * @param lineItems what the order takes from stock
 */
public record ExpectedOrder(long orderId, List<String> effectIds, OrderState state, long updatedAt,
                            List<LineItem> lineItems) {

    public ExpectedOrder {
        Objects.requireNonNull(state, "state");
        effectIds = List.copyOf(effectIds);
        lineItems = List.copyOf(lineItems);
    }

    /** Whether the order ends cancelled, so it takes nothing from stock. */
    public boolean cancelled() {
        return state == OrderState.CANCELLED;
    }

    /**
     * Folds one order's events, given in generation order, into its ground truth. An event takes
     * effect unless the order is already terminal or the event is not newer than what is stored;
     * a state topic then moves the state only forward ({@link OrderState#canAdvanceTo}), while
     * {@code orders/updated} moves only updated_at. The order's line items are the first event's.
     *
     * @throws IllegalArgumentException when the list is empty or mixes orders
     */
    public static ExpectedOrder of(List<OrderEvent> eventsInGenerationOrder) {
        if (eventsInGenerationOrder.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one event");
        }
        OrderEvent first = eventsInGenerationOrder.get(0);
        List<String> effects = new ArrayList<>(eventsInGenerationOrder.size());
        OrderState state = null;
        long updatedAt = Long.MIN_VALUE;
        for (OrderEvent e : eventsInGenerationOrder) {
            if (e.orderId() != first.orderId()) {
                throw new IllegalArgumentException("events of orders " + first.orderId() + " and " + e.orderId()
                        + " given as one order");
            }
            effects.add(e.effectId());
            if ((state != null && state.terminal()) || e.updatedAt() <= updatedAt) {
                continue;
            }
            updatedAt = e.updatedAt();
            // the same rule the stores apply: the state the event's full payload implies
            OrderState implied = e.impliedState();
            if (state == null || state.canAdvanceTo(implied)) {
                state = implied;
            }
        }
        return new ExpectedOrder(first.orderId(), effects, state, updatedAt, first.lineItems());
    }
}
