package dev.lockstep.console;

import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.console.live.SnapshotView;
import dev.lockstep.console.view.BurstPanel;
import java.awt.Component;
import java.awt.Container;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import javax.swing.SwingUtilities;

/**
 * Drives an open console window as an operator would, for the tools that run it unattended
 * ({@link Screenshots}, {@link Soak}): shows views, fills the Burst form, and waits for the
 * snapshot the views show to reach a state. Call from any thread but the EDT.
 */
class ConsoleDriver {
    /** Longest a burst run is waited for. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

    final ConsoleFrame frame;

    ConsoleDriver(ConsoleFrame frame) {
        this.frame = frame;
    }

    /** Fills the Burst view's form with {@code r}, as the operator would type it. */
    void showInBurstForm(BurstRequest r) throws Exception {
        onEdt(() -> {
            ((BurstPanel) named(frame.getContentPane(), "view." + View.BURST.id())).apply(r);
            return null;
        });
    }

    void show(View v) throws Exception {
        onEdt(() -> {
            frame.showView(v);
            return null;
        });
    }

    void awaitRunDone(int runs) throws Exception {
        awaitSnapshot(s -> !s.progress().running() && s.runs().size() >= runs, RUN_TIMEOUT);
    }

    void awaitSnapshots(int count) throws Exception {
        int[] seen = {0};
        awaitSnapshot(s -> ++seen[0] >= count, Duration.ofSeconds(30L + count));
    }

    /** Waits for a snapshot {@code until} accepts; {@code until} runs on the EDT after the views refreshed. */
    void awaitSnapshot(Predicate<ConsoleSnapshot> until, Duration timeout) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        SnapshotView probe = s -> {
            if (done.getCount() > 0 && until.test(s)) {
                done.countDown();
            }
        };
        onEdt(() -> {
            frame.model().addView(probe);
            return null;
        });
        try {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the console did not reach the expected state within " + timeout);
            }
        } finally {
            onEdt(() -> {
                frame.model().removeView(probe);
                return null;
            });
        }
    }

    static Component named(Container root, String name) {
        for (Component c : root.getComponents()) {
            if (name.equals(c.getName())) {
                return c;
            }
            if (c instanceof Container inner) {
                Component found = named(inner, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    static Component firstOf(Container root, Class<?> type) {
        for (Component c : root.getComponents()) {
            if (type.isInstance(c)) {
                return c;
            }
            if (c instanceof Container inner) {
                Component found = firstOf(inner, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Runs {@code work} on the EDT and returns its result; its exception is thrown here. */
    static <T> T onEdt(Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try {
            SwingUtilities.invokeAndWait(() -> {
                try {
                    result.set(work.call());
                } catch (Exception e) {
                    failure.set(e);
                }
            });
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("failed on the EDT", e.getCause());
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /** What drives an open console window. */
    interface Drive<T> {
        T with(ConsoleFrame frame) throws Exception;
    }

    /** How long the backend may take to close once its window is gone. */
    static final Duration BACKEND_CLOSE_TIMEOUT = Duration.ofMinutes(1);

    /**
     * Opens the console on {@code backend}, runs {@code drive} on it, then closes the window (and any
     * dialog a failed step left open) and with it the backend, and returns once that is done: the
     * caller must not close the backend again. Call from any thread but the EDT.
     */
    static <T> T withConsole(ConsoleBackend backend, ConsolePrefs prefs, Drive<T> drive) throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        ConsoleFrame frame;
        try {
            frame = ConsoleApp.open(backend, prefs, closed::countDown);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        try {
            return drive.with(frame);
        } finally {
            onEdt(() -> {
                for (java.awt.Window w : java.awt.Window.getWindows()) {
                    if (w instanceof javax.swing.JDialog d && d.isShowing()) {
                        d.dispose();
                    }
                }
                frame.dispose();
                return null;
            });
            if (!closed.await(BACKEND_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the console's backend did not close within " + BACKEND_CLOSE_TIMEOUT);
            }
        }
    }
}
