package dev.lockstep.console.live;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.swing.SwingUtilities;

/**
 * The latest snapshot, owned by the EDT. The poller hands each new snapshot over with one
 * {@code invokeLater}; the model then fires one change to its views.
 */
public final class ConsoleModel {
    private final List<SnapshotView> views = new CopyOnWriteArrayList<>();
    private ConsoleSnapshot current = ConsoleSnapshot.empty();

    public void addView(SnapshotView view) {
        views.add(view);
    }

    public void removeView(SnapshotView view) {
        views.remove(view);
    }

    /** The latest snapshot. EDT only. */
    public ConsoleSnapshot current() {
        requireEdt();
        return current;
    }

    /** Replaces the snapshot and refreshes every view once. EDT only. */
    public void update(ConsoleSnapshot snapshot) {
        requireEdt();
        current = snapshot;
        for (SnapshotView v : views) {
            v.refresh(snapshot);
        }
    }

    /** Drops every view. */
    public void cleanup() {
        views.clear();
    }

    private static void requireEdt() {
        if (!SwingUtilities.isEventDispatchThread()) {
            throw new IllegalStateException("the console model is EDT-only");
        }
    }
}
