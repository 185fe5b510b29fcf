package dev.lockstep.order;

import java.util.Optional;

/** Shopify-style order webhook topics and the state each one implies ({@code updated} changes fields only). */
public enum Topic {
    CREATE("orders/create", OrderState.CREATED),
    PAID("orders/paid", OrderState.PAID),
    UPDATED("orders/updated", null),
    FULFILLED("orders/fulfilled", OrderState.FULFILLED),
    CANCELLED("orders/cancelled", OrderState.CANCELLED);

    private final String wire;
    private final OrderState impliedState;

    Topic(String wire, OrderState impliedState) {
        this.wire = wire;
        this.impliedState = impliedState;
    }

    /** The value of the {@code X-Shopify-Topic} header. */
    public String wire() {
        return wire;
    }

    /** The state this topic moves an order to, empty for {@link #UPDATED}. */
    public Optional<OrderState> impliedState() {
        return Optional.ofNullable(impliedState);
    }

    public static Optional<Topic> fromWire(String wire) {
        for (Topic t : values()) {
            if (t.wire.equalsIgnoreCase(wire)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
