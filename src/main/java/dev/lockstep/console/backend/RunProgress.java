package dev.lockstep.console.backend;

import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.BurstRun;

/**
 * Where the running (or the last) burst or compare is, in the runtime's phases
 * ({@link BurstRun.Phase}: preparing, firing, draining, auditing, then done, stopped or failed).
 *
 * @param running whether a burst or compare is running now (a compare between two of its runs too)
 * @param phase   the phase of the current run; null when nothing ran yet
 * @param mode    the mode being run now (a compare moves through all three); null when nothing ran yet
 * @param done    firing: deliveries answered; draining: accepted events handled; done: handled
 * @param total   firing: deliveries planned; draining and done: events accepted
 * @param step    which run of a compare (1-based); 1 for a single burst
 * @param steps   runs in the whole job (3 for a compare, 1 for a burst)
 * @param error   why the last run stopped or failed, empty when it did not
 */
public record RunProgress(boolean running, BurstRun.Phase phase, Mode mode, long done, long total, int step,
                          int steps, String error) {
    /** Share of a run's bar the firing phase fills; draining fills the rest up to {@link #AUDITING_AT}. */
    private static final double FIRING_SHARE = 0.5;
    private static final double AUDITING_AT = 0.97;

    public RunProgress {
        error = error == null ? "" : error;
    }

    public static final RunProgress IDLE = new RunProgress(false, null, null, 0, 0, 0, 0, "");

    /** The phase's name for people; "Idle" before the first run. */
    public String phaseLabel() {
        return phase == null ? "Idle" : phase.label();
    }

    /**
     * 0..1 over the whole job (compare steps included): firing fills the first half of a run's
     * share, draining the second, auditing sits just short of the end, and only a finished run is
     * full, so the bar never reads complete while the queue still drains.
     */
    public double fraction() {
        if (steps <= 0 || phase == null) {
            return 0;
        }
        double part = total <= 0 ? 0 : Math.min(1.0, (double) done / total);
        double inStep = switch (phase) {
            case PREPARING -> 0;
            case FIRING -> FIRING_SHARE * part;
            case DRAINING -> FIRING_SHARE + (AUDITING_AT - FIRING_SHARE) * part;
            case AUDITING -> AUDITING_AT;
            case DONE -> 1;
            case STOPPED, FAILED -> 0; // the bar keeps the runs that finished
        };
        return Math.min(1.0, ((step - 1) + inStep) / steps);
    }
}
