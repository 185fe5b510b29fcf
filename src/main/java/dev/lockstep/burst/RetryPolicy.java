package dev.lockstep.burst;

import java.time.Duration;
import java.util.Objects;

/**
 * How the injector retries a delivery the ingest did not acknowledge, as the provider does
 * (Shopify retries a webhook answered non-2xx): up to {@code retries} more attempts, the n-th after
 * {@code base × 2^(n−1)}, at most {@code cap}. Config keys {@code burst.retry.attempts},
 * {@code burst.retry.base.ms}, {@code burst.retry.cap.ms}.
 *
 * @param retries attempts after the first (0 = none)
 * @param base    backoff before the first retry
 * @param cap     longest backoff
 */
public record RetryPolicy(int retries, Duration base, Duration cap) {
    /** 8 retries, 100 ms doubling to at most 3 s: about 12 s of outage ridden out per delivery. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(3));
    /** Every refusal is final. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (retries < 0 || base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("retries must be ≥ 0 and 0 ≤ base ≤ cap: " + retries + ", " + base
                    + ", " + cap);
        }
    }

    /** The wait before retry {@code n} (1 for the first retry). */
    public Duration backoff(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("retries count from 1: " + n);
        }
        long millis = base.toMillis() << Math.min(n - 1, 30);
        return millis < 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
    }

    /** Whether an HTTP status is worth retrying: 5xx and 429; any other non-2xx is final (the request is wrong). */
    public static boolean retryable(int status) {
        return status == 429 || status / 100 == 5;
    }
}
