package dev.lockstep.console.view;

import dev.lockstep.console.backend.OrderTimeline;
import dev.lockstep.order.OrderState;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.StoredOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one order's journal and stored history into what the timeline draws: one row per event
 * with its segments (waiting, handler runs by outcome), markers for state transitions and
 * lane-level steps, and the handler runs that overlapped in time (I1 violations, docs/DESIGN.md, "Invariants").
 *
 * <p>A handler run starts at {@code CLAIMED}; where a mode has no claim step ({@code unsafe}),
 * it starts when the event arrived. Runs whose write the fence rejected are drawn but do not
 * count as overlaps: the store refused them, so they had no effect.
 *
 * @param origin       epoch millis of the first entry; the chart's zero
 * @param end          epoch millis of the last entry
 * @param rows         one per event, in order of first appearance
 * @param marks        state transitions and lane-level steps, by time
 * @param overlaps     pairs of effective handler runs of this order that overlapped in time
 * @param appliedTwice events whose effect the store shows applied more than once
 * @param documents    stored documents of this order (more than one is a duplicate order)
 * @param finalState   stored state of the first document, null when none is stored
 */
public record TimelineAnalysis(long origin, long end, List<Row> rows, List<Mark> marks, int overlaps,
                               int appliedTwice, int documents, OrderState finalState) {

    /** What a segment of an event's row shows. */
    public enum Kind {
        WAITING("Waiting"), APPLIED("Applied"), SKIPPED("Skipped (stale)"), REJECTED("Rejected by fence"),
        INTERRUPTED("Interrupted"), RUNNING("Running"), DUPLICATE("Duplicate delivery");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public boolean handler() {
            return this != WAITING && this != DUPLICATE;
        }
    }

    /** A span of one event's life. {@code overlapping} marks an effective handler run that overlapped another. */
    public record Segment(Kind kind, long start, long end, String worker, long token, String detail,
                          boolean overlapping) {
        Segment flagged() {
            return new Segment(kind, start, end, worker, token, detail, true);
        }
    }

    /** One event of the order. */
    public record Row(String effectId, String topic, List<Segment> segments) {
    }

    /** A moment on the whole order: a state transition, or a lane-level step (released, parked). */
    public record Mark(long at, String label, boolean stateTransition) {
    }

    private static final Set<JournalStage> ENDS_RUN = EnumSet.of(JournalStage.APPLIED, JournalStage.SKIPPED,
            JournalStage.REJECTED, JournalStage.RETRIED, JournalStage.PARKED, JournalStage.RELEASED,
            JournalStage.SKIPPED_BY_OPERATOR);

    public static TimelineAnalysis of(OrderTimeline timeline) {
        List<JournalEntry> entries = new ArrayList<>(timeline.journal());
        entries.sort(Comparator.comparingLong(JournalEntry::at));
        long origin = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (JournalEntry e : entries) {
            origin = Math.min(origin, e.at());
            end = Math.max(end, e.at());
        }
        for (StoredOrder d : timeline.documents()) {
            for (Application a : d.history()) {
                origin = Math.min(origin, a.at());
                end = Math.max(end, a.at());
            }
        }
        if (origin == Long.MAX_VALUE) {
            origin = 0;
            end = 0;
        }

        Map<String, List<JournalEntry>> byEvent = new LinkedHashMap<>();
        List<Mark> marks = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (e.effectId().isEmpty()) {
                marks.add(new Mark(e.at(), laneLabel(e), false));
            } else {
                byEvent.computeIfAbsent(e.effectId(), k -> new ArrayList<>()).add(e);
            }
        }
        List<List<Segment>> segmentsByRow = new ArrayList<>();
        List<String[]> rowNames = new ArrayList<>();
        for (Map.Entry<String, List<JournalEntry>> ev : byEvent.entrySet()) {
            String topic = ev.getValue().stream().map(JournalEntry::topic).filter(t -> !t.isEmpty()).findFirst()
                    .orElse("");
            rowNames.add(new String[] {ev.getKey(), topic});
            segmentsByRow.add(segments(ev.getValue(), end));
            for (JournalEntry e : ev.getValue()) {
                if (e.stage() == JournalStage.RELEASED || e.stage() == JournalStage.PARKED
                        || e.stage() == JournalStage.SKIPPED_BY_OPERATOR) {
                    marks.add(new Mark(e.at(), laneLabel(e), false));
                }
            }
        }
        int overlaps = flagOverlaps(segmentsByRow);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < rowNames.size(); i++) {
            rows.add(new Row(rowNames.get(i)[0], rowNames.get(i)[1], List.copyOf(segmentsByRow.get(i))));
        }

        Map<String, Integer> appliedCount = new HashMap<>();
        for (StoredOrder d : timeline.documents()) {
            for (Application a : d.history()) {
                if (a.outcome() == ApplyResult.APPLIED) {
                    appliedCount.merge(a.effectId(), 1, Integer::sum);
                    a.topic().impliedState().ifPresent(s -> marks.add(new Mark(a.at(), "→ " + s.name(), true)));
                }
            }
        }
        int twice = (int) appliedCount.values().stream().filter(n -> n > 1).count();
        marks.sort(Comparator.comparingLong(Mark::at));
        OrderState state = timeline.documents().isEmpty() ? null : timeline.documents().get(0).state();
        return new TimelineAnalysis(origin, end, List.copyOf(rows), List.copyOf(marks), overlaps, twice,
                timeline.documents().size(), state);
    }

    private static List<Segment> segments(List<JournalEntry> entries, long end) {
        List<Segment> out = new ArrayList<>();
        List<JournalEntry> open = new ArrayList<>();
        long arrived = -1;
        long lastArrival = -1;
        long firstRunStart = -1;
        for (JournalEntry e : entries) {
            switch (e.stage()) {
                case RECEIVED, ENQUEUED -> {
                    if (arrived < 0) {
                        arrived = e.at();
                    }
                    lastArrival = e.at();
                }
                case DUPLICATE -> out.add(new Segment(Kind.DUPLICATE, e.at(), e.at(), e.worker(), e.token(),
                        e.detail(), false));
                case CLAIMED -> {
                    open.add(e);
                    if (firstRunStart < 0) {
                        firstRunStart = e.at();
                    }
                }
                default -> {
                    if (!ENDS_RUN.contains(e.stage())) {
                        continue;
                    }
                    JournalEntry claim = takeClaim(open, e.worker());
                    if (claim == null && (e.stage() == JournalStage.RELEASED
                            || e.stage() == JournalStage.SKIPPED_BY_OPERATOR)) {
                        continue; // an operator step on a lane nobody ran: a mark, not a run
                    }
                    long start = claim != null ? claim.at() : lastArrival >= 0 ? lastArrival : e.at();
                    if (firstRunStart < 0 || start < firstRunStart) {
                        firstRunStart = start;
                    }
                    String worker = claim != null && e.worker().isEmpty() ? claim.worker() : e.worker();
                    long token = e.token() != 0 ? e.token() : claim != null ? claim.token() : 0;
                    out.add(new Segment(kind(e.stage()), start, e.at(), worker, token, e.detail(), false));
                }
            }
        }
        for (JournalEntry claim : open) {
            out.add(new Segment(Kind.RUNNING, claim.at(), Math.max(end, claim.at()), claim.worker(), claim.token(),
                    "still running at the last journal entry", false));
        }
        if (arrived >= 0) {
            long waitEnd = firstRunStart >= 0 ? firstRunStart : end;
            if (waitEnd > arrived) {
                out.add(0, new Segment(Kind.WAITING, arrived, waitEnd, "", 0, "", false));
            }
        }
        return out;
    }

    private static JournalEntry takeClaim(List<JournalEntry> open, String worker) {
        for (Iterator<JournalEntry> it = open.iterator(); it.hasNext(); ) {
            JournalEntry c = it.next();
            if (c.worker().equals(worker)) {
                it.remove();
                return c;
            }
        }
        return open.isEmpty() ? null : open.remove(0);
    }

    private static Kind kind(JournalStage stage) {
        return switch (stage) {
            case APPLIED -> Kind.APPLIED;
            case SKIPPED -> Kind.SKIPPED;
            case REJECTED -> Kind.REJECTED;
            default -> Kind.INTERRUPTED;
        };
    }

    /** Flags every effective handler run that overlaps another and returns the number of overlapping pairs. */
    private static int flagOverlaps(List<List<Segment>> rows) {
        record Ref(int row, int index, Segment s) {
        }
        List<Ref> runs = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<Segment> segs = rows.get(r);
            for (int i = 0; i < segs.size(); i++) {
                Segment s = segs.get(i);
                if (s.kind().handler() && s.kind() != Kind.REJECTED) {
                    runs.add(new Ref(r, i, s));
                }
            }
        }
        runs.sort(Comparator.comparingLong(ref -> ref.s().start()));
        int pairs = 0;
        boolean[] flagged = new boolean[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size() && runs.get(j).s().start() < runs.get(i).s().end(); j++) {
                pairs++;
                flagged[i] = true;
                flagged[j] = true;
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            if (flagged[i]) {
                Ref ref = runs.get(i);
                rows.get(ref.row()).set(ref.index(), ref.s().flagged());
            }
        }
        return pairs;
    }

    private static String laneLabel(JournalEntry e) {
        String what = switch (e.stage()) {
            case RELEASED -> "released";
            case PARKED -> "parked";
            case SKIPPED_BY_OPERATOR -> "head skipped";
            case RETRIED -> "retry";
            default -> e.stage().name().toLowerCase(java.util.Locale.ROOT);
        };
        return e.token() > 0 ? what + " · token " + e.token() : what;
    }

    /** Events with at least one run of this kind. */
    public long rowsWith(Kind kind) {
        return rows.stream().filter(r -> r.segments().stream().anyMatch(s -> s.kind() == kind)).count();
    }
}
