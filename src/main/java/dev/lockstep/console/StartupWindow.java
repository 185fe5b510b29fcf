package dev.lockstep.console;

import java.awt.BorderLayout;
import java.awt.GraphicsEnvironment;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JWindow;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small window that says what the console does while it starts ("opening MongoDB store
 * (data/mongo)", "opening Redis", ...): opening a large embedded store takes seconds, and without it
 * nothing showed for that long. Each step is also logged. Without a display it only logs.
 */
public final class StartupWindow implements Consumer<String>, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StartupWindow.class);
    private final JWindow window;
    private final JLabel step;

    private StartupWindow(JWindow window, JLabel step) {
        this.window = window;
        this.step = step;
    }

    /** Shows the window in the remembered theme (from any thread but the EDT; returns at once). */
    public static StartupWindow show(boolean dark) {
        if (GraphicsEnvironment.isHeadless()) {
            return new StartupWindow(null, null);
        }
        JWindow[] made = new JWindow[1];
        JLabel[] step = new JLabel[1];
        try {
            SwingUtilities.invokeAndWait(() -> {
                Theme.apply(dark);
                JWindow w = new JWindow();
                JLabel label = new JLabel("Starting…");
                made[0] = w;
                step[0] = label;
                w.setName("startup");
                label.setName("startup.step");
                JPanel content = new JPanel(new BorderLayout(0, 8));
                content.setBorder(BorderFactory.createCompoundBorder(BorderFactory.createEtchedBorder(),
                        BorderFactory.createEmptyBorder(16, 20, 16, 20)));
                JLabel title = new JLabel("Lockstep console");
                title.setFont(title.getFont().deriveFont(java.awt.Font.BOLD, title.getFont().getSize2D() + 3f));
                JProgressBar bar = new JProgressBar();
                bar.setIndeterminate(true);
                content.add(title, BorderLayout.NORTH);
                content.add(label, BorderLayout.CENTER);
                content.add(bar, BorderLayout.SOUTH);
                w.setContentPane(content);
                w.setSize(520, 120);
                w.setLocationRelativeTo(null);
                w.setVisible(true);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.lang.reflect.InvocationTargetException e) {
            log.warn("the start-up window could not be shown: {}", e.getCause().toString());
            return new StartupWindow(null, null);
        }
        return new StartupWindow(made[0], step[0]);
    }

    /** Shows (and logs) the step now under way. Any thread. */
    @Override
    public void accept(String text) {
        log.info("start-up: {}", text);
        if (step != null) {
            SwingUtilities.invokeLater(() -> step.setText(text + "…"));
        }
    }

    @Override
    public void close() {
        if (window != null) {
            SwingUtilities.invokeLater(window::dispose);
        }
    }
}
