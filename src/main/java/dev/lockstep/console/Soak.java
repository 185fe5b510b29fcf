package dev.lockstep.console;

import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.RunResult;
import dev.lockstep.console.live.ConsoleSnapshot;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.prefs.Preferences;
import javax.swing.JButton;

/**
 * The console's footprint over time: opens the console on a backend and, for a duration, fires a
 * burst through the Burst view's own Start button every so often, with the Overview's live charts
 * showing while it runs. After each burst it samples this JVM's resident memory (VmRSS and its peak
 * VmHWM from {@code /proc/self/status}), the heap left after the last GC and the longest EDT stall
 * during the burst. The CLI's {@code soak} command runs it on the real stack in the console's own
 * (child) JVM. Needs a display (Xvfb in CI).
 */
public final class Soak {
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private Soak() {
    }

    /**
     * @param burst    the burst fired each time (filled into the Burst form, then Start pressed)
     * @param duration bursts start until this has passed since the first; at least one runs
     * @param every    time from one burst's start to the next (a burst that takes longer is followed at once)
     */
    public record Options(BurstRequest burst, Duration duration, Duration every) {
    }

    /**
     * One burst's figures, taken once it has finished.
     *
     * @param rssKb          resident memory now, kB; -1 where {@code /proc} is not readable
     * @param peakRssKb      the process's peak resident memory so far (VmHWM), kB; -1 likewise
     * @param heapAfterGcBytes heap in use after the last collection (sum over the heap pools)
     * @param maxEdtStallMillis longest EDT stall while the burst ran
     */
    public record Sample(int burst, Duration took, long rssKb, long peakRssKb, long heapAfterGcBytes,
                         double maxEdtStallMillis, String integrity) {
    }

    /** Every burst's sample, in order. */
    public record Result(List<Sample> samples) {
        public long peakRssKb() {
            return samples.stream().mapToLong(Sample::peakRssKb).max().orElse(-1);
        }

        public long maxHeapAfterGcBytes() {
            return samples.stream().mapToLong(Sample::heapAfterGcBytes).max().orElse(0);
        }

        public double maxEdtStallMillis() {
            return samples.stream().mapToDouble(Sample::maxEdtStallMillis).max().orElse(0);
        }
    }

    /**
     * Runs the soak. Call from any thread but the EDT. Like {@link Screenshots#capture} it closes the
     * window and with it the backend, and returns once that is done.
     *
     * @param each told every burst's sample as it is taken
     */
    public static Result run(ConsoleBackend backend, Options o, Consumer<Sample> each) throws Exception {
        ConsolePrefs prefs = new ConsolePrefs(Preferences.userRoot().node("dev/lockstep/console-soak"));
        return ConsoleDriver.withConsole(backend, prefs, frame -> new Soaker(frame, o).run(each));
    }

    private static final class Soaker extends ConsoleDriver {
        private final Options o;

        Soaker(ConsoleFrame frame, Options o) {
            super(frame);
            this.o = o;
        }

        Result run(Consumer<Sample> each) throws Exception {
            List<Sample> samples = new java.util.ArrayList<>();
            long first = System.nanoTime();
            long end = first + o.duration().toNanos();
            JButton start = onEdt(() -> (JButton) named(frame.getContentPane(), "burst.start"));
            for (int n = 1; ; n++) {
                long started = System.nanoTime();
                String before = onEdt(() -> lastRunId(frame.model().current()));
                show(View.BURST);
                showInBurstForm(o.burst());
                awaitSnapshot(s -> start.isEnabled(), Duration.ofMinutes(1));
                onEdt(() -> {
                    // the console's own action: it starts the burst off the EDT (doClick() would hold the EDT 68 ms,
                    // which the soak would count as a stall)
                    start.doClick(0);
                    return null;
                });
                show(View.OVERVIEW); // its live charts repaint at 4 Hz while the burst runs
                frame.edtStallMonitor().reset();
                String[] integrity = {""};
                awaitSnapshot(s -> {
                    String last = lastRunId(s);
                    if (s.progress().running() || last.equals(before)) {
                        return false;
                    }
                    integrity[0] = s.runs().get(s.runs().size() - 1).report().integrity() ? "clean" : "VIOLATED";
                    return true;
                }, RUN_TIMEOUT);
                double stall = frame.edtStallMonitor().maxMillis();
                long[] rss = residentKb();
                Sample sample = new Sample(n, Duration.ofNanos(System.nanoTime() - started), rss[0], rss[1],
                        heapAfterGc(), stall, integrity[0]);
                samples.add(sample);
                each.accept(sample);
                long next = started + o.every().toNanos();
                if (next >= end || System.nanoTime() >= end) {
                    return new Result(List.copyOf(samples));
                }
                awaitSnapshot(s -> System.nanoTime() >= next, o.every().plusMinutes(1));
            }
        }
    }

    private static String lastRunId(ConsoleSnapshot s) {
        List<RunResult> runs = s.runs();
        return runs.isEmpty() ? "" : runs.get(runs.size() - 1).runId() + "@" + runs.get(runs.size() - 1).finishedAt();
    }

    /** VmRSS and VmHWM of this process in kB, -1 each where they cannot be read (not Linux). */
    static long[] residentKb() {
        long[] out = {-1, -1};
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    out[0] = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    out[1] = kb(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** Heap in use right after the latest collection (of any collector), summed over its pools; 0 before any. */
    static long heapAfterGc() {
        com.sun.management.GcInfo latest = null;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof com.sun.management.GarbageCollectorMXBean g) {
                com.sun.management.GcInfo info = g.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        if (latest == null) {
            return 0;
        }
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? latest.getMemoryUsageAfterGc().get(pool.getName()) : null;
            used += after == null ? 0 : after.getUsed();
        }
        return used;
    }
}
