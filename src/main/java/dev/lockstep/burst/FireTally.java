package dev.lockstep.burst;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Tallies the answers to one burst's deliveries while many senders fire it, and turns them into
 * {@link FireStats}. Every firer uses one, so counts, latency and refused events mean the same on
 * the direct and the HTTP path. Thread-safe; each delivery (by its index in the fired list) is
 * answered once.
 */
public final class FireTally {
    private static final int UNANSWERED = 0;
    private static final int QUEUED = 1;
    private static final int DUPLICATE = 4;
    private static final int REFUSED = 2;
    /** Answered duplicate on a retry: its own earlier attempt may be the copy that was enqueued. */
    private static final int DUPLICATE_ON_RETRY = 3;
    private static final int LATENCY_DIGITS = 3;

    private final List<WebhookDelivery> deliveries;
    private final Firer.ProgressListener progress;
    private final AtomicIntegerArray answers;
    private final LongAdder queued = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder givenUp = new LongAdder();
    private final AtomicLong answered = new AtomicLong();
    /** Multi-writer: senders record concurrently, the finished histogram is taken once at the end. */
    private final Recorder ackLatency = new Recorder(LATENCY_DIGITS);

    public FireTally(List<WebhookDelivery> deliveries, Firer.ProgressListener progress) {
        this.deliveries = List.copyOf(deliveries);
        this.progress = Objects.requireNonNull(progress, "progress");
        this.answers = new AtomicIntegerArray(deliveries.size());
    }

    /** Delivery {@code index} was answered as queued after {@code latencyMicros}. */
    public void queued(int index, long latencyMicros) {
        answer(index, QUEUED);
        queued.increment();
        ackLatency.recordValue(Math.max(0, latencyMicros));
        progress();
    }

    /** Delivery {@code index} was answered as a duplicate (a dedup hit) after {@code latencyMicros}. */
    public void duplicate(int index, long latencyMicros) {
        answer(index, DUPLICATE);
        duplicates.increment();
        ackLatency.recordValue(Math.max(0, latencyMicros));
        progress();
    }

    /**
     * Delivery {@code index}, retried at least once, was answered as a duplicate. The attempt that
     * timed out or got a 5xx may itself have been enqueued (the answer was lost, not the event), so
     * {@link #finish} counts it as queued when no other delivery of its event was.
     */
    public void duplicateOnRetry(int index, long latencyMicros) {
        answer(index, DUPLICATE_ON_RETRY);
        ackLatency.recordValue(Math.max(0, latencyMicros));
        progress();
    }

    /** Delivery {@code index} was refused; refusals are not acks, so no latency is recorded. */
    public void rejected(int index) {
        answer(index, REFUSED);
        rejected.increment();
        progress();
    }

    /** Delivery {@code index} was refused after its last retry: rejected, and counted as given up. */
    public void givenUp(int index) {
        givenUp.increment();
        rejected(index);
    }

    /** One more attempt of a delivery is about to be sent (not an answer: progress is unchanged). */
    public void retried() {
        retries.increment();
    }

    /** Answers so far. */
    public long answered() {
        return answered.get();
    }

    /** The stats of the finished firing; call once, after every sender has stopped. */
    public FireStats finish(double seconds) {
        Histogram latency = ackLatency.getIntervalHistogram();
        long enqueuedByRetry = enqueuedByOwnEarlierAttempt();
        long duplicatesOnRetry = count(DUPLICATE_ON_RETRY);
        return new FireStats(answered.get(), queued.sum() + enqueuedByRetry,
                duplicates.sum() + duplicatesOnRetry - enqueuedByRetry, rejected.sum(), latency, seconds,
                refusedEvents(), retries.sum(), givenUp.sum());
    }

    /**
     * Events answered duplicate only on retries, none of whose deliveries was answered queued: one
     * of their attempts was enqueued (dedup lets exactly one copy in), so each counts once as queued.
     */
    private long enqueuedByOwnEarlierAttempt() {
        Set<String> queuedEvents = new HashSet<>();
        Set<String> retriedOnly = new HashSet<>();
        for (int i = 0; i < deliveries.size(); i++) {
            int a = answers.get(i);
            if (a == QUEUED) {
                queuedEvents.add(deliveries.get(i).event().effectId());
            } else if (a == DUPLICATE_ON_RETRY) {
                retriedOnly.add(deliveries.get(i).event().effectId());
            }
        }
        retriedOnly.removeAll(queuedEvents);
        return retriedOnly.size();
    }

    private long count(int outcome) {
        long n = 0;
        for (int i = 0; i < deliveries.size(); i++) {
            if (answers.get(i) == outcome) {
                n++;
            }
        }
        return n;
    }

    private void answer(int index, int outcome) {
        if (!answers.compareAndSet(index, UNANSWERED, outcome)) {
            throw new IllegalStateException("delivery " + index + " answered twice");
        }
    }

    private void progress() {
        progress.answered(answered.incrementAndGet(), deliveries.size());
    }

    /** Events with a refused delivery and no accepted one. */
    private Set<String> refusedEvents() {
        Map<String, Boolean> acceptedByEffect = new HashMap<>();
        for (int i = 0; i < deliveries.size(); i++) {
            if (answers.get(i) == REFUSED) {
                acceptedByEffect.put(deliveries.get(i).event().effectId(), false);
            }
        }
        if (acceptedByEffect.isEmpty()) {
            return Set.of();
        }
        for (int i = 0; i < deliveries.size(); i++) {
            int a = answers.get(i);
            if (a == QUEUED || a == DUPLICATE || a == DUPLICATE_ON_RETRY) {
                acceptedByEffect.computeIfPresent(deliveries.get(i).event().effectId(), (k, v) -> true);
            }
        }
        Set<String> refused = new HashSet<>();
        acceptedByEffect.forEach((effect, accepted) -> {
            if (!accepted) {
                refused.add(effect);
            }
        });
        return refused;
    }
}
