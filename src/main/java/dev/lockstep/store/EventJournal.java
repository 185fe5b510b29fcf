package dev.lockstep.store;

import java.util.List;

/**
 * The per-event journal the console's timelines read. Writes are asynchronous and batched (the
 * journal observes the data path, it never slows or blocks it); reads see what has been flushed.
 */
public interface EventJournal extends AutoCloseable {

    void record(JournalEntry entry);

    /** Every entry of one order, oldest first. */
    List<JournalEntry> forOrder(long orderId);

    /** Writes out what is buffered. */
    void flush();

    /**
     * Entries this journal dropped since it started (its buffer was full while the database was
     * down or too slow), so a timeline may miss them: the count shows that the gap exists. Never
     * decreases.
     */
    default long droppedCount() {
        return 0;
    }

    /** Entries recorded and not yet written (waiting in the buffer, or for a retry). */
    default long waitingCount() {
        return 0;
    }

    @Override
    void close();

    /** A journal that keeps nothing, for benchmarks. */
    EventJournal DISABLED = new EventJournal() {
        @Override
        public void record(JournalEntry entry) {
        }

        @Override
        public List<JournalEntry> forOrder(long orderId) {
            return List.of();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
}
