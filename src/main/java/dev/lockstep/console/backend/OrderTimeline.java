package dev.lockstep.console.backend;

import dev.lockstep.pipeline.Mode;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.StoredOrder;
import java.util.List;

/**
 * One order in one mode, as the timeline view draws it.
 *
 * @param mode      the mode whose journal and store were read
 * @param orderId   the order
 * @param journal   its journal entries, oldest first
 * @param documents its stored documents (more than one when the mode duplicated it), each with its history
 */
public record OrderTimeline(Mode mode, long orderId, List<JournalEntry> journal, List<StoredOrder> documents) {
    public OrderTimeline {
        journal = List.copyOf(journal);
        documents = List.copyOf(documents);
    }

    public boolean isEmpty() {
        return journal.isEmpty() && documents.isEmpty();
    }
}
