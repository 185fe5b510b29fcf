package dev.lockstep.console.backend;

/**
 * How long recent leases were held, claim to release.
 *
 * @param p50Millis median
 * @param p99Millis 99th percentile
 * @param maxMillis longest
 * @param count     leases measured
 */
public record LeaseHoldTimes(double p50Millis, double p99Millis, double maxMillis, long count) {
    public static final LeaseHoldTimes NONE = new LeaseHoldTimes(0, 0, 0, 0);
}
