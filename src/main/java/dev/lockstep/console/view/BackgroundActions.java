package dev.lockstep.console.view;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the console's actions (release, retry, skip, start a burst, compare, load a timeline,
 * export) off the EDT and reports back on it. Nothing that talks to Redis or MongoDB runs on the EDT.
 */
public final class BackgroundActions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundActions.class);
    private final ExecutorService executor;

    public BackgroundActions() {
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "console-action-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code work} on a background thread, then {@code onSuccess} or {@code onFailure} on the EDT.
     *
     * @param what names the action in the log
     */
    public <T> void run(String what, Callable<T> work, Consumer<T> onSuccess, Consumer<Exception> onFailure) {
        try {
            executor.execute(() -> {
                try {
                    T result = work.call();
                    SwingUtilities.invokeLater(() -> onSuccess.accept(result));
                } catch (Exception e) {
                    log.warn("{} failed", what, e);
                    SwingUtilities.invokeLater(() -> onFailure.accept(e));
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("{} dropped: the console is closing", what, e);
        }
    }

    /** A failure's message for people: the exception's own message, else its type. */
    public static String describe(Exception e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
