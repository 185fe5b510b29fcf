package dev.lockstep.cli;

import dev.lockstep.runtime.BurstRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of a long run on stderr (stdout stays clean for {@code --json}). On a terminal it is one line
 * redrawn in place; anywhere else (a file, a pipe, {@code TERM=dumb}) a plain line every
 * {@value #PLAIN_EVERY_SECONDS} s and at each phase change, never a carriage return or an escape code.
 *
 * <p>Log lines must not land in the middle of a line drawn in place. Both go through one lock: logback's
 * {@link ProgressAwareConsoleAppender} writes each log line inside {@link #aboveProgress}, which erases the
 * drawn line first and redraws it after. (The alternative, progress through the logger, would put a
 * timestamp and logger name on every redraw and could not redraw in place.)
 */
final class ProgressLine implements BurstRun.ProgressListener {
    static final int PLAIN_EVERY_SECONDS = 2;
    private static final long PLAIN_EVERY_NANOS = PLAIN_EVERY_SECONDS * 1_000_000_000L;
    private static final long REDRAW_EVERY_NANOS = 250_000_000L;
    /** Carriage return, then "erase to the end of the line". */
    private static final String ERASE_LINE = "\r\u001b[K";

    /** One lock for stderr: the progress lines and the log lines. */
    private static final Object STDERR = new Object();
    /** The line now drawn in place on the terminal, if any (guarded by {@link #STDERR}). */
    private static ProgressLine drawn;

    private final PrintWriter out;
    private final String label;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private BurstRun.Phase lastPhase;
    private long lastNanos;
    private String text = "";

    ProgressLine(PrintWriter out, String label) {
        this(out, label, stderrIsTerminal(), System::nanoTime);
    }

    ProgressLine(PrintWriter out, String label, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.label = label;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
    }

    @Override
    public void progress(BurstRun.Phase phase, long done, long total) {
        synchronized (STDERR) {
            long now = nanoClock.getAsLong();
            boolean phaseChanged = phase != lastPhase;
            if (!phaseChanged && now - lastNanos < (terminal ? REDRAW_EVERY_NANOS : PLAIN_EVERY_NANOS)) {
                return;
            }
            lastPhase = phase;
            lastNanos = now;
            text = "[" + label + "] " + describe(phase, done, total);
            if (!terminal) {
                out.println(text);
            } else if (phase.terminal()) {
                out.println(ERASE_LINE + text);
                drawn = null;
            } else {
                out.print(ERASE_LINE + text);
                drawn = this;
            }
            out.flush();
        }
    }

    private static String describe(BurstRun.Phase phase, long done, long total) {
        return switch (phase) {
            case PREPARING -> "preparing";
            case FIRING -> String.format(Locale.ROOT, "firing %,d/%,d deliveries", done, total);
            case DRAINING -> String.format(Locale.ROOT, "draining: %,d/%,d accepted events handled", done, total);
            case AUDITING -> "auditing";
            case DONE -> "done";
            case STOPPED -> "stopped";
            case FAILED -> "failed";
        };
    }

    /** Ends a line still drawn in place (a run that failed before DONE), so what follows starts on its own line. */
    void end() {
        synchronized (STDERR) {
            if (drawn == this) {
                out.println();
                out.flush();
                drawn = null;
            }
        }
    }

    /**
     * Runs {@code write} (a whole log line to stderr) with no progress line in its way: a line drawn in place
     * is erased before and redrawn after it.
     */
    static void aboveProgress(Runnable write) {
        synchronized (STDERR) {
            ProgressLine line = drawn;
            if (line != null) {
                line.out.print(ERASE_LINE);
                line.out.flush();
            }
            try {
                write.run();
            } finally {
                if (line != null) {
                    line.out.print(line.text);
                    line.out.flush();
                }
            }
        }
    }

    /**
     * Whether stderr is a terminal that understands redrawing: a console (stdin and stdout are terminals),
     * not {@code TERM=dumb}, and stderr itself not redirected (Linux shows where fd 2 goes).
     */
    static boolean stderrIsTerminal() {
        return stderrIsTerminal(System.console() != null, System.getenv("TERM"), Path.of("/proc/self/fd/2"));
    }

    static boolean stderrIsTerminal(boolean console, String term, Path stderrLink) {
        if (!console || term == null || term.isBlank() || term.equals("dumb")) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(stderrLink).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return true; // no /proc (not Linux): the console is all we know
        }
    }
}
