package dev.lockstep.console;

import dev.lockstep.burst.BurstSpec;
import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.RunProgress;
import dev.lockstep.console.backend.Transport;
import dev.lockstep.console.live.ConsoleSnapshot;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.runtime.BurstRun;
import java.awt.Component;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.prefs.Preferences;
import javax.imageio.ImageIO;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JTable;
import javax.swing.SwingUtilities;

/**
 * Opens the console on a backend, optionally runs a compare first (so the Integrity view has all
 * three modes) and starts a burst, then shows each view in turn and writes
 * {@code <out>/<view>.png}, plus shots of moments: {@code burst-draining.png} (the Burst view
 * while its run drains), {@code workers.png} (the Workers view listing this console and the extra
 * worker processes started on its servers for that shot), {@code locks-release.png} (a paused holder's stuck lock with the Release
 * dialog open) and {@code timeline-runs.png} (an order's Timeline with its run picker open over the
 * runs of the compare and the bursts). Needs a display (Xvfb in CI), never headless. The CLI's
 * {@code screenshots} command runs it on the real stack.
 */
public final class Screenshots {
    /**
     * The shortest lease ({@code lease.ms}) the release shot runs under. A paused holder stops renewing
     * and its lock shows as stuck once held 5 s; under the default 10 s lease, renewed every third of it,
     * that left it 1.7 to 5 s before it lapsed, too little for a loaded machine to open, paint and capture
     * the dialog (the shot timed out when every paused holder had lapsed). Under 30 s at least 20 s are
     * left; the handler deadline (30 s by default) ends a pause no later than the lease would.
     */
    public static final Duration RELEASE_LEASE = Duration.ofSeconds(30);
    /** Leaves the dialog shot time to open and paint before the paused holder's lease lapses. */
    private static final long MIN_LEASE_LEFT_MILLIS = 10_000;
    /** Stuck locks tried for the release shot (a paused-holder burst pauses at most a few holders). */
    private static final int RELEASE_ATTEMPTS = 4;
    /** A worker process started for the Workers shot is listed within this (a JVM start on a loaded machine). */
    private static final Duration WORKERS_LISTED_TIMEOUT = Duration.ofSeconds(90);
    /** A worker process asked to stop (SIGTERM) leaves the registry and exits in this time, else it is killed. */
    private static final long WORKER_STOP_SECONDS = 20;
    /** The first order id of every generated burst: bursts reuse ids, so one order has a run in each. */
    private static final long FIRST_ORDER = BurstSpec.DEFAULT_FIRST_ORDER_ID;

    private Screenshots() {
    }

    /**
     * What to shoot.
     *
     * @param faultOrders  orders of the paused-holder burst run for {@code locks-release.png}; 0 skips that shot
     * @param extraWorkers commands of headless worker processes on the console's servers, started for
     *                     {@code workers.png} and stopped after it; empty: the view shows what the backend lists
     */
    public record Options(Path out, int orders, Mode mode, int compareOrders, long timelineOrder, boolean dark,
                          int measureSnapshots, int faultOrders, List<List<String>> extraWorkers) {
        public Options {
            extraWorkers = List.copyOf(extraWorkers);
        }
    }

    /** The files written, and the EDT stalls measured while the burst ran. */
    public record Result(List<Path> files, double maxEdtStallMillis, double p99EdtStallMillis) {
    }

    /**
     * Takes the shots. Call from any thread but the EDT. Closes the window it opened and with it the
     * backend (the console closes its backend when its window closes), and returns once that is done,
     * so the caller must not close the backend again.
     */
    public static Result capture(ConsoleBackend backend, Options o) throws Exception {
        Files.createDirectories(o.out());
        ConsolePrefs prefs = new ConsolePrefs(Preferences.userRoot().node("dev/lockstep/console-screenshots"));
        prefs.setDark(o.dark());
        return ConsoleDriver.withConsole(backend, prefs, frame -> new Shooter(backend, frame, o).shootAll());
    }

    /** One capture run: the frame, the files so far. */
    private static final class Shooter extends ConsoleDriver {
        private final ConsoleBackend backend;
        private final Options o;
        private final List<Path> files = new ArrayList<>();
        private final BurstRequest base = BurstRequest.defaults();

        Shooter(ConsoleBackend backend, ConsoleFrame frame, Options o) {
            super(frame);
            this.backend = backend;
            this.o = o;
        }

        Result shootAll() throws Exception {
            if (o.compareOrders() > 0) {
                BurstRequest compare = new BurstRequest(o.compareOrders(), 4, 0.1, 0.1, 64, Mode.LOCKSTEP,
                        Transport.DIRECT, base.seed(), false);
                showInBurstForm(compare);
                backend.startCompare(compare);
                awaitSnapshot(s -> !s.progress().running() && s.runs().size() >= 3, Duration.ofMinutes(10));
            }
            int runsBefore = onEdt(() -> frame.model().current().runs().size());
            if (o.orders() > 0) {
                BurstRequest burst = new BurstRequest(o.orders(), 4, 0.1, 0.1, base.inFlight(), o.mode(),
                        Transport.HTTP, base.seed(), false);
                showInBurstForm(burst);
                backend.startBurst(burst);
            }
            // the measurement: the Overview's live charts repainting at 4 Hz while the burst runs,
            // before any screenshot is painted (painting a whole frame into an image is our own work)
            frame.edtStallMonitor().reset();
            awaitSnapshots(o.measureSnapshots());
            double maxStall = frame.edtStallMonitor().maxMillis();
            double p99Stall = frame.edtStallMonitor().p99Millis();

            for (View v : List.of(View.OVERVIEW, View.LOCKS, View.DEDUP, View.TIMELINE)) {
                show(v);
                if (v == View.TIMELINE) {
                    long order = o.timelineOrder() > 0 ? o.timelineOrder() : firstLockedOrder();
                    onEdt(() -> {
                        frame.openTimeline(order);
                        return null;
                    });
                    awaitTimelineRows(1);
                }
                awaitSnapshots(3);
                write(v.id(), onEdt(this::paint));
            }
            show(View.BURST);
            if (o.orders() > 0) {
                BufferedImage draining = paintWhen(Screenshots::drainingWithProgress, Screenshots::pastDraining);
                awaitRunDone(runsBefore + 1);
                awaitSnapshots(3);
                write(View.BURST.id(), onEdt(this::paint)); // the run's audited result, accounted for
                if (draining == null) {
                    // the workers kept up with the HTTP burst, so it drained in a moment: a direct burst, fired
                    // faster than the store applies, leaves a backlog to drain
                    BurstRequest direct = new BurstRequest(Math.max(1, o.orders() / 3), 4, 0.1, 0.1, base.inFlight(),
                            o.mode(), Transport.DIRECT, base.seed(), false);
                    showInBurstForm(direct);
                    backend.startBurst(direct);
                    draining = paintWhen(Screenshots::drainingWithProgress, Screenshots::pastDraining);
                    awaitRunDone(runsBefore + 2);
                }
                if (draining != null) {
                    write("burst-draining", draining);
                } else {
                    System.err.println("screenshots: no burst-draining.png: every burst drained before a snapshot"
                            + " caught it draining (give it more orders)");
                }
            } else {
                awaitSnapshots(3);
                write(View.BURST.id(), onEdt(this::paint));
            }
            show(View.INTEGRITY);
            awaitSnapshots(3);
            write(View.INTEGRITY.id(), onEdt(this::paint));
            shootWorkers();

            long runsOrder = o.timelineOrder() > 0 ? o.timelineOrder() : FIRST_ORDER;
            if (o.faultOrders() > 0) {
                runsOrder = shootRelease(onEdt(() -> frame.model().current().runs().size()));
            }
            shootTimelineRuns(runsOrder, lockstepRunsOf(runsOrder));
            show(View.OVERVIEW);
            return new Result(files, maxStall, p99Stall);
        }

        /**
         * A lockstep burst with the paused-holder fault: once a paused holder's lock shows as stuck
         * with lease left, select it, press Release, shoot the window with the dialog over it and
         * confirm. The run then finishes. Returns the released order.
         */
        private long shootRelease(int runsBefore) throws Exception {
            BurstRequest faulty = new BurstRequest(o.faultOrders(), 4, 0.1, 0.1, base.inFlight(), Mode.LOCKSTEP,
                    Transport.DIRECT, base.seed(), true);
            show(View.LOCKS);
            showInBurstForm(faulty);
            backend.startBurst(faulty);
            JTable table = onEdt(() -> (JTable) named(frame.getContentPane(), "locks.table"));
            JButton release = onEdt(() -> (JButton) named(frame.getContentPane(), "locks.release"));
            long released = -1;
            for (int attempt = 1; attempt <= RELEASE_ATTEMPTS && released < 0; attempt++) {
                AtomicReference<Long> picked = new AtomicReference<>();
                AtomicReference<LeaseInfo> tooShort = new AtomicReference<>();
                // picked on the EDT right after the Locks view showed this snapshot, so the row is on screen
                awaitSnapshot(s -> {
                    LeaseInfo shortLease = s.leases().stream()
                            .filter(l -> l.leaseMs() > 0 && l.leaseMs() < RELEASE_LEASE.toMillis()).findFirst().orElse(null);
                    if (shortLease != null) {
                        tooShort.set(shortLease);
                        return true;
                    }
                    Long order = stuckWithLeaseLeft(table, s);
                    if (order != null && picked.get() == null) {
                        picked.set(order);
                        // the dialog is modal: never block the EDT on it; doClick() would also hold the EDT 68 ms
                        SwingUtilities.invokeLater(() -> release.doClick(0));
                    }
                    return order != null;
                }, Duration.ofMinutes(2));
                if (tooShort.get() != null) {
                    // a race against the lease that a loaded machine loses: refuse it rather than flake
                    // (closing the window stops the burst)
                    throw new IllegalStateException("the release shot needs a lease of at least "
                            + RELEASE_LEASE.toMillis() + " ms (lease.ms), the backend's is "
                            + tooShort.get().leaseMs() + " ms");
                }
                long order = picked.get();
                JDialog dialog = awaitDialog(Duration.ofSeconds(30));
                awaitSnapshots(2); // the dialog's live line has been refreshed at least once
                BufferedImage shot = showsLeaseLeft(dialog) ? screen() : null;
                if (shot != null && showsLeaseLeft(dialog)) { // still live after the capture: the shot shows it
                    write("locks-release", shot);
                    answer(dialog, JOptionPane.YES_OPTION);
                    released = order;
                } else {
                    answer(dialog, JOptionPane.NO_OPTION); // lapsed before the shot: the next paused holder
                }
            }
            if (released < 0) {
                throw new IllegalStateException("no stuck lock was shot with lease left in " + RELEASE_ATTEMPTS
                        + " tries: the machine may be too loaded for the " + MIN_LEASE_LEFT_MILLIS + " ms margin");
            }
            awaitRunDone(runsBefore + 1);
            return released;
        }

        private static boolean showsLeaseLeft(JDialog dialog) throws Exception {
            return onEdt(() -> ((JLabel) named(dialog.getContentPane(), "release.leaseLeft")).getText()
                    .startsWith("Lease left"));
        }

        /** A stuck lock with enough lease left, selected in the table; null when none. EDT. */
        private static Long stuckWithLeaseLeft(JTable table, ConsoleSnapshot s) {
            for (int row = 0; row < table.getRowCount(); row++) {
                if (!"stuck".equals(table.getValueAt(row, table.getColumnCount() - 1))) {
                    continue;
                }
                long order = Long.parseLong((String) table.getValueAt(row, 0));
                for (LeaseInfo l : s.leases()) {
                    if (l.orderId() == order && l.deadline() - s.takenAt() > MIN_LEASE_LEFT_MILLIS) {
                        table.setRowSelectionInterval(row, row);
                        return order;
                    }
                }
            }
            return null;
        }

        /** The order's Timeline with its run picker open (several runs of it in lockstep). */
        private void shootTimelineRuns(long order, int runs) throws Exception {
            show(View.TIMELINE);
            onEdt(() -> {
                frame.openTimeline(order);
                return null;
            });
            awaitTimelineRows(runs);
            awaitSnapshots(2);
            @SuppressWarnings("unchecked")
            JComboBox<String> picker = onEdt(() -> (JComboBox<String>) named(frame.getContentPane(), "timeline.run"));
            onEdt(() -> {
                picker.showPopup();
                return null;
            });
            awaitSnapshot(s -> picker.isPopupVisible(), Duration.ofSeconds(30));
            awaitSnapshots(2);
            write("timeline-runs", screen());
            onEdt(() -> {
                picker.hidePopup();
                return null;
            });
        }

        /**
         * The Workers view with the extra worker processes running on the console's servers: started,
         * shot once the view lists them beside the console, stopped (they leave the registry at once).
         */
        private void shootWorkers() throws Exception {
            List<Process> started = new ArrayList<>();
            List<Path> logs = new ArrayList<>();
            try {
                for (List<String> command : o.extraWorkers()) {
                    Path log = Files.createTempFile("lockstep-shot-worker-", ".log");
                    logs.add(log);
                    started.add(new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(log.toFile()).start());
                }
                show(View.WORKERS);
                int expected = 1 + started.size();
                try {
                    awaitSnapshot(s -> s.fleet().workers().size() >= expected, WORKERS_LISTED_TIMEOUT);
                } catch (IllegalStateException e) {
                    StringBuilder why = new StringBuilder("the Workers view did not list " + expected + " processes:");
                    for (Path log : logs) {
                        why.append("\n--- ").append(log).append('\n').append(Files.readString(log));
                    }
                    throw new IllegalStateException(why.toString(), e);
                }
                awaitSnapshots(3);
                write(View.WORKERS.id(), onEdt(this::paint));
            } finally {
                for (Process p : started) {
                    p.destroy(); // SIGTERM: a graceful stop, gone from the registry at once
                }
                for (Process p : started) {
                    if (!p.waitFor(WORKER_STOP_SECONDS, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
                for (Path log : logs) {
                    Files.deleteIfExists(log);
                }
            }
        }

        /** How many of the runs started here were lockstep runs with {@code order} in them. */
        private int lockstepRunsOf(long order) {
            int runs = 0;
            for (int orders : new int[] {o.compareOrders(), o.mode() == Mode.LOCKSTEP ? o.orders() : 0, o.faultOrders()}) {
                runs += order >= FIRST_ORDER && order - FIRST_ORDER < orders ? 1 : 0;
            }
            return Math.max(1, runs);
        }


        private void write(String name, BufferedImage img) throws Exception {
            Path file = o.out().resolve(name + ".png");
            ImageIO.write(img, "png", file.toFile());
            files.add(file);
        }


        /**
         * The timeline reads its order off the EDT; waits until its journal rows are shown, and
         * its run picker holds at least {@code runs} runs.
         */
        private void awaitTimelineRows(int runs) throws Exception {
            awaitSnapshot(s -> {
                Component table = named(frame.getContentPane(), "timeline.journal");
                Component picker = named(frame.getContentPane(), "timeline.run");
                return table instanceof JTable t && t.getRowCount() > 0
                        && picker instanceof JComboBox<?> c && c.getItemCount() >= runs;
            }, Duration.ofSeconds(60));
        }

        private long firstLockedOrder() throws Exception {
            return onEdt(() -> {
                ConsoleSnapshot s = frame.model().current();
                return s.leases().isEmpty() ? FIRST_ORDER : s.leases().get(0).orderId();
            });
        }

        /** The window as the views paint it (the root pane, laid out). EDT. */
        private BufferedImage paint() {
            javax.swing.JRootPane root = frame.getRootPane();
            root.validate();
            BufferedImage img = new BufferedImage(root.getWidth(), root.getHeight(), BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            root.paint(g);
            g.dispose();
            return img;
        }

        /**
         * The screen where the window's root pane is, with whatever is open over it (a dialog, a
         * popup: separate windows that painting the root pane leaves out). Off the EDT.
         */
        private BufferedImage screen() throws Exception {
            Rectangle bounds = onEdt(() -> {
                javax.swing.JRootPane root = frame.getRootPane();
                return new Rectangle(root.getLocationOnScreen(), root.getSize());
            });
            Robot robot = new Robot();
            Toolkit.getDefaultToolkit().sync();
            robot.waitForIdle();
            return robot.createScreenCapture(bounds);
        }

        /**
         * Paints the window on the EDT right after the views showed the first snapshot that
         * {@code wanted} accepts; fails with {@code why} once {@code missed} accepts one.
         */
        /** The view painted at the first snapshot {@code wanted} accepts; null if {@code missed} came first. */
        private BufferedImage paintWhen(Predicate<ConsoleSnapshot> wanted, Predicate<ConsoleSnapshot> missed)
                throws Exception {
            AtomicReference<BufferedImage> shot = new AtomicReference<>();
            AtomicReference<String> failure = new AtomicReference<>();
            awaitSnapshot(s -> {
                if (shot.get() == null && failure.get() == null) {
                    if (wanted.test(s)) {
                        shot.set(paint());
                    } else if (missed.test(s)) {
                        failure.set("missed");
                    }
                }
                return shot.get() != null || failure.get() != null;
            }, RUN_TIMEOUT);
            return shot.get();
        }


        /** The modal release dialog, once it shows. */
        private JDialog awaitDialog(Duration timeout) throws Exception {
            AtomicReference<JDialog> found = new AtomicReference<>();
            awaitSnapshot(s -> {
                for (Window w : Window.getWindows()) {
                    if (w instanceof JDialog d && d.isShowing() && named(d.getContentPane(), "release.leaseLeft") != null) {
                        found.set(d);
                        return true;
                    }
                }
                return false;
            }, timeout);
            return found.get();
        }

        /** Answers the dialog's question as a click on its button would. */
        private static void answer(JDialog dialog, int option) throws Exception {
            onEdt(() -> {
                JOptionPane pane = (JOptionPane) firstOf(dialog.getContentPane(), JOptionPane.class);
                pane.setValue(option); // the option pane closes its dialog
                return null;
            });
        }
    }

    /** Draining, with some of it done, so the bar and its text show the phase's progress. */
    private static boolean drainingWithProgress(ConsoleSnapshot s) {
        RunProgress p = s.progress();
        return p.running() && p.phase() == BurstRun.Phase.DRAINING && p.done() > 0;
    }

    private static boolean pastDraining(ConsoleSnapshot s) {
        RunProgress p = s.progress();
        return p.phase() == BurstRun.Phase.AUDITING || (p.phase() != null && p.phase().terminal());
    }
}
