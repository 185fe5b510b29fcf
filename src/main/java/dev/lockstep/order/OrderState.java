package dev.lockstep.order;

/**
 * An order's lifecycle state. Ranks only ever rise (pending < created < paid < fulfilled);
 * {@link #CANCELLED} is terminal: once stored, no later event changes the state again.
 */
public enum OrderState {
    PENDING(0), CREATED(1), PAID(2), FULFILLED(3), CANCELLED(4);

    private final int rank;

    OrderState(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public boolean terminal() {
        return this == CANCELLED;
    }

    /** Whether moving from this state to {@code next} is progress, not a regression. */
    public boolean canAdvanceTo(OrderState next) {
        return !terminal() && (next == CANCELLED || next.rank > rank);
    }
}
