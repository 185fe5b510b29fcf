package dev.lockstep.cli;

import dev.lockstep.runtime.BurstRun;
import java.io.PrintWriter;

/** A single, throttled progress line on stderr for long runs (stdout stays clean for --json). */
final class ProgressLine implements BurstRun.ProgressListener {
    private static final long EVERY_NANOS = 500_000_000L;

    private final PrintWriter out;
    private final String label;
    private long last;
    private boolean printed;

    ProgressLine(PrintWriter out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public synchronized void progress(BurstRun.Phase phase, long done, long total) {
        long now = System.nanoTime();
        boolean edge = phase.terminal();
        if (!edge && now - last < EVERY_NANOS) {
            return;
        }
        last = now;
        String text = switch (phase) {
            case PREPARING -> "preparing";
            case FIRING -> String.format("firing %,d/%,d deliveries", done, total);
            case DRAINING -> String.format("draining: %,d/%,d accepted events handled", done, total);
            case AUDITING -> "auditing";
            case DONE -> "done";
            case STOPPED -> "stopped";
            case FAILED -> "failed";
        };
        out.print("\r[" + label + "] " + text + "\u001b[K");
        printed = true;
        if (edge) {
            out.println();
            printed = false;
        }
        out.flush();
    }

    synchronized void end() {
        if (printed) {
            out.println();
            printed = false;
        }
    }
}
