package dev.lockstep.store;

import java.util.Collection;
import java.util.List;

/**
 * The per-event journal the console's timelines read, by run (docs/DESIGN.md, "Runs and the
 * journal"). Writes are asynchronous and batched (the journal observes the data path, it never slows
 * or blocks it); reads see what has been flushed.
 */
public interface EventJournal extends AutoCloseable {

    /** Records an entry; one without a run id joins the {@link #currentRun() current run}. */
    void record(JournalEntry entry);

    /**
     * The run that entries recorded from now on belong to: a burst's run id while it runs, null when
     * it ended (entries then join the day's live run, {@link RunIds#live}).
     */
    void useRun(String runId);

    /** The run an entry recorded now joins. */
    String currentRun();

    /** Every kept entry of one order, of every run (each names its run), oldest first. */
    List<JournalEntry> forOrder(long orderId);

    /** The runs this journal keeps entries of, newest first. */
    default List<String> runIds() {
        return List.of();
    }

    /** Deletes the entries of these runs. */
    default void dropRuns(Collection<String> runIds) {
    }

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
        public void useRun(String runId) {
        }

        @Override
        public String currentRun() {
            return RunIds.live(System.currentTimeMillis());
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
