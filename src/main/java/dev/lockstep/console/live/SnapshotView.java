package dev.lockstep.console.live;

/** A view that redraws itself from a snapshot. Called on the EDT only. */
@FunctionalInterface
public interface SnapshotView {
    void refresh(ConsoleSnapshot snapshot);
}
