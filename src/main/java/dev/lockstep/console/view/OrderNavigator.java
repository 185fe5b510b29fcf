package dev.lockstep.console.view;

/** Opens an order's timeline from anywhere in the console (a double-click on an order id, Ctrl+T). */
@FunctionalInterface
public interface OrderNavigator {
    void openTimeline(long orderId);
}
