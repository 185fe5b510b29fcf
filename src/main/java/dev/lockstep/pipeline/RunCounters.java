package dev.lockstep.pipeline;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one pipeline run, in the audit's terms (docs/DESIGN.md, "Audit terms"). Written by the
 * ingest path and the handlers from many threads; read as a {@link Snapshot}.
 */
public final class RunCounters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicatesDropped = new LongAdder();
    private final LongAdder applied = new LongAdder();
    private final LongAdder skippedStale = new LongAdder();
    private final LongAdder staleWritesRejected = new LongAdder();
    private final LongAdder overlaps = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder parked = new LongAdder();

    public void accepted() {
        accepted.increment();
    }

    public void duplicateDropped() {
        duplicatesDropped.increment();
    }

    public void applied() {
        applied.increment();
    }

    public void skippedStale() {
        skippedStale.increment();
    }

    public void staleWriteRejected() {
        staleWritesRejected.increment();
    }

    public void overlap() {
        overlaps.increment();
    }

    public void retried() {
        retries.increment();
    }

    public void parked() {
        parked.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(accepted.sum(), duplicatesDropped.sum(), applied.sum(), skippedStale.sum(),
                staleWritesRejected.sum(), overlaps.sum(), retries.sum(), parked.sum());
    }

    /** An immutable reading. {@code handled = applied + skippedStale}. */
    public record Snapshot(long accepted, long duplicatesDropped, long applied, long skippedStale,
                           long staleWritesRejected, long overlaps, long retries, long parked) {
        public long handled() {
            return applied + skippedStale;
        }
    }
}
