package dev.lockstep.console.backend;

import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event that arrived more than once.
 *
 * @param effectId  the event's effect id (topic#eventId)
 * @param orderId   its order
 * @param firstSeen epoch millis the first copy arrived
 * @param lastSeen  epoch millis the latest duplicate arrived
 * @param copies    deliveries seen, the original included (so at least 2)
 */
public record DuplicateInfo(String effectId, long orderId, long firstSeen, long lastSeen, int copies) {

    /**
     * Groups journal entries into duplicates: every effect with at least one {@code DUPLICATE}
     * entry becomes one row, newest duplicate first. {@code ENQUEUED} entries of the same effect
     * (when given) move {@code firstSeen} back to the original's arrival (their received time).
     */
    public static List<DuplicateInfo> fromJournal(List<JournalEntry> entries, int limit) {
        record Key(long orderId, String effectId) {
        }
        Map<Key, long[]> byEffect = new LinkedHashMap<>(); // first, last, duplicates, received
        for (JournalEntry e : entries) {
            if (e.stage() != JournalStage.DUPLICATE && e.stage() != JournalStage.ENQUEUED) {
                continue;
            }
            long[] acc = byEffect.computeIfAbsent(new Key(e.orderId(), e.effectId()),
                    k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0, 0});
            acc[0] = Math.min(acc[0], e.startedAt());
            acc[1] = Math.max(acc[1], e.at());
            acc[e.stage() == JournalStage.DUPLICATE ? 2 : 3]++;
        }
        List<DuplicateInfo> out = new ArrayList<>();
        byEffect.forEach((k, acc) -> {
            if (acc[2] > 0) {
                int copies = (int) (acc[2] + Math.max(1, acc[3]));
                out.add(new DuplicateInfo(k.effectId(), k.orderId(), acc[0], acc[1], copies));
            }
        });
        out.sort(Comparator.comparingLong(DuplicateInfo::lastSeen).reversed());
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : List.copyOf(out);
    }
}
