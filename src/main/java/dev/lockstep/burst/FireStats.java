package dev.lockstep.burst;

import java.util.Optional;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * What firing a burst saw from the sending side. Build it with a {@link FireTally}, which also knows
 * which events were refused.
 *
 * @param sent          deliveries fired, duplicates included
 * @param queued        answered as queued
 * @param duplicates    answered as duplicates (dedup hits)
 * @param rejected      refused (4xx/5xx, or an exception on the direct path)
 * @param ackLatency    send→ack latency, microseconds
 * @param seconds       wall time of the firing
 * @param refusedEvents effect ids of the events none of whose deliveries was answered 2xx (so they were
 *                      never accepted); {@code null} when the firer could not tell
 * @param retries       attempts made after a delivery's first (the injector's retries, {@link RetryPolicy})
 * @param givenUp       deliveries still refused after their last retry (a subset of {@code rejected}: the
 *                      rest were refused for good at once, e.g. a 401)
 */
public record FireStats(long sent, long queued, long duplicates, long rejected, Histogram ackLatency, double seconds,
                        Set<String> refusedEvents, long retries, long givenUp) {

    public FireStats {
        refusedEvents = refusedEvents == null ? null : Set.copyOf(refusedEvents);
    }

    /** Stats of a firer that does not retry. */
    public FireStats(long sent, long queued, long duplicates, long rejected, Histogram ackLatency, double seconds,
                     Set<String> refusedEvents) {
        this(sent, queued, duplicates, rejected, ackLatency, seconds, refusedEvents, 0, 0);
    }

    /**
     * For a firer that cannot tell which events its refusals belonged to. When nothing was rejected
     * that is still exact: no event was refused.
     */
    public FireStats(long sent, long queued, long duplicates, long rejected, Histogram ackLatency, double seconds) {
        this(sent, queued, duplicates, rejected, ackLatency, seconds, rejected == 0 ? Set.of() : null);
    }

    /** The refused events, when known (always known when nothing was rejected). */
    public Optional<Set<String>> refusedEventsIfKnown() {
        return Optional.ofNullable(refusedEvents);
    }
}
