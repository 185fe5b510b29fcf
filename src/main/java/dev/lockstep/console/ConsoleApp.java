package dev.lockstep.console;

import com.formdev.flatlaf.extras.FlatSVGUtils;
import dev.lockstep.console.backend.ConsoleBackend;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up of the console: the remembered theme applied once, the window built and shown on the
 * EDT, the backend closed off the EDT when the window closes.
 */
public final class ConsoleApp {
    private static final Logger log = LoggerFactory.getLogger(ConsoleApp.class);

    private ConsoleApp() {
    }

    /**
     * Opens the console on {@code backend} and returns once the window is showing. Callable from any
     * thread but the EDT.
     *
     * @param onClosed runs after the window closed and the backend was closed (off the EDT), e.g. to exit
     */
    public static ConsoleFrame open(ConsoleBackend backend, ConsolePrefs prefs, Runnable onClosed) {
        if (SwingUtilities.isEventDispatchThread()) {
            throw new IllegalStateException("open the console from a start-up thread, not the EDT");
        }
        AtomicReference<ConsoleFrame> frame = new AtomicReference<>();
        try {
            SwingUtilities.invokeAndWait(() -> {
                Theme.apply(prefs.dark());
                ConsoleFrame f = new ConsoleFrame(backend, prefs);
                f.setIconImages(FlatSVGUtils.createWindowIconImages("/icons/app.svg"));
                f.addWindowListener(new WindowAdapter() {
                    @Override
                    public void windowClosed(WindowEvent e) {
                        Thread closer = new Thread(() -> {
                            try {
                                backend.close();
                            } catch (RuntimeException ex) {
                                log.warn("closing the console backend failed", ex);
                            }
                            onClosed.run();
                        }, "console-shutdown");
                        closer.start();
                    }
                });
                f.setVisible(true);
                f.start();
                frame.set(f);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the console", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the console window could not be built", e.getCause());
        }
        log.info("console open");
        return frame.get();
    }

    /** Opens the console with the user's remembered preferences; the JVM exits when it closes. */
    public static ConsoleFrame open(ConsoleBackend backend) {
        return open(backend, ConsolePrefs.user(), () -> System.exit(0));
    }
}
