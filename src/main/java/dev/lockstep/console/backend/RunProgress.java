package dev.lockstep.console.backend;

import dev.lockstep.pipeline.Mode;

/**
 * Where the running burst or compare is.
 *
 * @param running   whether a burst or compare is running now
 * @param phase     what it does now, for people ("Firing 3,000 orders into seed", "Draining", "Auditing", "Done")
 * @param mode      the mode being run now (a compare moves through all three); null when nothing ran yet
 * @param done      deliveries answered so far in this phase
 * @param total     deliveries this phase fires
 * @param step      which run of a compare (1-based); 1 for a single burst
 * @param steps     runs in the whole job (3 for a compare, 1 for a burst)
 * @param error     why the last run failed, empty when it did not
 */
public record RunProgress(boolean running, String phase, Mode mode, long done, long total, int step, int steps,
                          String error) {
    public RunProgress {
        phase = phase == null ? "" : phase;
        error = error == null ? "" : error;
    }

    public static final RunProgress IDLE = new RunProgress(false, "Idle", null, 0, 0, 0, 0, "");

    /** 0..1 over the whole job (compare steps included). */
    public double fraction() {
        if (steps <= 0) {
            return 0;
        }
        double inStep = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        return Math.min(1.0, ((step - 1) + inStep) / steps);
    }
}
