package dev.lockstep.console;

import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.Transport;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.pipeline.Mode;
import java.awt.image.BufferedImage;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.prefs.Preferences;
import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;

/**
 * Opens the console on a backend, optionally runs a compare first (so the Integrity view has all
 * three modes) and starts a burst, then shows each view in turn and writes
 * {@code <out>/<view>.png}. Needs a display (Xvfb in CI), never headless. The CLI's
 * {@code screenshots} command runs it on the real stack.
 */
public final class Screenshots {

    private Screenshots() {
    }

    /** What to shoot. */
    public record Options(Path out, int orders, Mode mode, int compareOrders, long timelineOrder, boolean dark,
                          int measureSnapshots) {
    }

    /** The files written, and the EDT stalls measured while the burst ran. */
    public record Result(List<Path> files, double maxEdtStallMillis, double p99EdtStallMillis) {
    }

    /** Takes the shots. Call from any thread but the EDT; closes the window it opened, not the backend. */
    public static Result capture(ConsoleBackend backend, Options o) throws Exception {
        Files.createDirectories(o.out());
        ConsolePrefs prefs = new ConsolePrefs(Preferences.userRoot().node("dev/lockstep/console-screenshots"));
        prefs.setDark(o.dark());
        ConsoleFrame frame = ConsoleApp.open(backend, prefs, () -> { });
        try {
            BurstRequest base = BurstRequest.defaults();
            if (o.compareOrders() > 0) {
                backend.startCompare(new BurstRequest(o.compareOrders(), 4, 0.1, 0.1, 64, Mode.LOCKSTEP,
                        Transport.DIRECT, base.seed(), false));
                awaitSnapshot(frame, s -> !s.progress().running() && s.runs().size() >= 3, Duration.ofMinutes(10));
            }
            if (o.orders() > 0) {
                backend.startBurst(new BurstRequest(o.orders(), 4, 0.1, 0.1, base.inFlight(), o.mode(), Transport.HTTP,
                        base.seed(), false));
            }
            // the measurement: the Overview's live charts repainting at 4 Hz while the burst runs,
            // before any screenshot is painted (painting a whole frame into an image is our own work)
            frame.edtStallMonitor().reset();
            awaitSnapshots(frame, o.measureSnapshots());
            double maxStall = frame.edtStallMonitor().maxMillis();
            double p99Stall = frame.edtStallMonitor().p99Millis();
            List<Path> files = new ArrayList<>();
            for (View v : View.values()) {
                onEdt(() -> {
                    frame.showView(v);
                    return null;
                });
                if (v == View.TIMELINE) {
                    long order = o.timelineOrder() > 0 ? o.timelineOrder() : firstLockedOrder(frame);
                    onEdt(() -> {
                        frame.openTimeline(order);
                        return null;
                    });
                    awaitTimelineRows(frame, Duration.ofSeconds(60));
                }
                awaitSnapshots(frame, 3);
                Path file = o.out().resolve(v.id() + ".png");
                ImageIO.write(onEdt(() -> paint(frame)), "png", file.toFile());
                files.add(file);
            }
            return new Result(files, maxStall, p99Stall);
        } finally {
            onEdt(() -> {
                frame.dispose();
                return null;
            });
        }
    }

    /** The timeline reads its order off the EDT; wait until its journal rows are shown. */
    private static void awaitTimelineRows(ConsoleFrame frame, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Integer rows = onEdt(() -> {
                java.awt.Component c = findByName(frame.getContentPane(), "timeline.journal");
                return c instanceof javax.swing.JTable t ? t.getRowCount() : 0;
            });
            if (rows > 0) {
                return;
            }
            awaitSnapshots(frame, 1);
        }
    }

    private static java.awt.Component findByName(java.awt.Container root, String name) {
        for (java.awt.Component c : root.getComponents()) {
            if (name.equals(c.getName())) {
                return c;
            }
            if (c instanceof java.awt.Container inner) {
                java.awt.Component found = findByName(inner, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static long firstLockedOrder(ConsoleFrame frame) throws Exception {
        return onEdt(() -> {
            ConsoleSnapshot s = frame.model().current();
            return s.leases().isEmpty() ? 1001L : s.leases().get(0).orderId();
        });
    }

    private static BufferedImage paint(ConsoleFrame frame) {
        javax.swing.JRootPane root = frame.getRootPane();
        BufferedImage img = new BufferedImage(root.getWidth(), root.getHeight(), BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        root.paint(g);
        g.dispose();
        return img;
    }

    private static void awaitSnapshots(ConsoleFrame frame, int count) throws Exception {
        int[] seen = {0};
        awaitSnapshot(frame, s -> ++seen[0] >= count, Duration.ofSeconds(30L + count));
    }

    private static void awaitSnapshot(ConsoleFrame frame, java.util.function.Predicate<ConsoleSnapshot> until,
                                      Duration timeout) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        dev.lockstep.console.live.SnapshotView probe = s -> {
            if (until.test(s)) {
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

    private static <T> T onEdt(Callable<T> work) throws Exception {
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
}
