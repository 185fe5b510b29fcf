package dev.lockstep.console.backend;

import dev.lockstep.pipeline.Mode;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.StoredOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One order in one mode and one run, as the timeline view draws it (docs/DESIGN.md, "Runs and the
 * journal"): bursts reuse order ids, so an order's journal is shown one run at a time.
 *
 * @param mode         the mode whose journal and store were read
 * @param orderId      the order
 * @param runId        the run shown; empty when the order has no journal entries
 * @param runs         the runs with entries of this order, newest first (the run picker)
 * @param journal      the shown run's entries of this order, oldest first
 * @param documents    its stored documents now (more than one when the mode duplicated it), each with its history
 * @param storeHoldsRun whether the store's documents are this run's: it is the order's latest run (the
 *                     store keeps only what the latest run left)
 */
public record OrderTimeline(Mode mode, long orderId, String runId, List<String> runs, List<JournalEntry> journal,
                            List<StoredOrder> documents, boolean storeHoldsRun) {
    public OrderTimeline {
        runId = runId == null ? "" : runId;
        runs = List.copyOf(runs);
        journal = List.copyOf(journal);
        documents = List.copyOf(documents);
    }

    /** An order's timeline of one run, from every run's entries: run {@code wanted}, or the latest when null or unknown. */
    public static OrderTimeline of(Mode mode, long orderId, List<JournalEntry> allRuns, List<StoredOrder> documents,
                                   String wanted) {
        Map<String, List<JournalEntry>> byRun = new LinkedHashMap<>();
        Map<String, Long> last = new LinkedHashMap<>();
        for (JournalEntry e : allRuns) {
            byRun.computeIfAbsent(e.runId(), k -> new ArrayList<>()).add(e);
            last.merge(e.runId(), e.at(), Math::max);
        }
        List<String> runs = new ArrayList<>(byRun.keySet());
        runs.sort(Comparator.comparing((String r) -> last.get(r)).reversed()); // newest activity first
        if (runs.isEmpty()) {
            return new OrderTimeline(mode, orderId, "", List.of(), List.of(), documents, true);
        }
        String shown = wanted != null && byRun.containsKey(wanted) ? wanted : runs.get(0);
        List<JournalEntry> entries = new ArrayList<>(byRun.get(shown));
        entries.sort(Comparator.comparingLong(JournalEntry::at));
        return new OrderTimeline(mode, orderId, shown, runs, entries, documents, shown.equals(runs.get(0)));
    }

    /** One run's timeline as given (tests and simulations): the run of its entries. */
    public OrderTimeline(Mode mode, long orderId, List<JournalEntry> journal, List<StoredOrder> documents) {
        this(mode, orderId, journal.isEmpty() ? "" : journal.get(0).runId(),
                journal.isEmpty() ? List.of() : List.of(journal.get(0).runId()), journal, documents, true);
    }

    public boolean isEmpty() {
        return journal.isEmpty() && documents.isEmpty();
    }
}
