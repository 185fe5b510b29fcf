package dev.lockstep.ingest;

import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.RunCounters;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Pipeline} for ingest tests: records what it accepted in memory, answers a repeated dedup
 * key as a duplicate (atomically, like the real one), and can be told to fail every call.
 */
public final class RecordingPipeline implements Pipeline {
    private final List<Delivery> accepted = new CopyOnWriteArrayList<>();
    private final List<Delivery> duplicates = new CopyOnWriteArrayList<>();
    private final Set<String> seenKeys = ConcurrentHashMap.newKeySet();
    private final RunCounters counters = new RunCounters();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger maxInside = new AtomicInteger();
    private volatile RuntimeException failure;

    /** From now on every accept throws {@code e} and records nothing; null restores normal work. */
    public void failWith(RuntimeException e) {
        failure = e;
    }

    @Override
    public Mode mode() {
        return Mode.LOCKSTEP;
    }

    @Override
    public void start() {
    }

    @Override
    public AcceptResult accept(Delivery delivery) {
        int now = inside.incrementAndGet();
        maxInside.accumulateAndGet(now, Math::max);
        try {
            RuntimeException e = failure;
            if (e != null) {
                throw e;
            }
            if (seenKeys.add(delivery.dedupKey())) {
                accepted.add(delivery);
                counters.accepted();
                return AcceptResult.QUEUED;
            }
            duplicates.add(delivery);
            counters.duplicateDropped();
            return AcceptResult.DUPLICATE;
        } finally {
            inside.decrementAndGet();
        }
    }

    /** Deliveries answered QUEUED, in arrival order. */
    public List<Delivery> accepted() {
        return List.copyOf(accepted);
    }

    /** Deliveries answered DUPLICATE. */
    public List<Delivery> duplicates() {
        return List.copyOf(duplicates);
    }

    /** Everything recorded: queued and duplicates. */
    public int recordedCount() {
        return accepted.size() + duplicates.size();
    }

    /** The most accept calls seen running at once. */
    public int maxConcurrentAccepts() {
        return maxInside.get();
    }

    @Override
    public RunCounters counters() {
        return counters;
    }

    @Override
    public boolean awaitDrained(Duration timeout) {
        return true;
    }

    @Override
    public void close() {
    }
}
