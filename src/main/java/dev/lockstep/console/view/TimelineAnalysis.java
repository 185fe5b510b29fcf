package dev.lockstep.console.view;

import dev.lockstep.console.backend.OrderTimeline;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.StoredOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one run of one order's journal into what the timeline draws (docs/DESIGN.md, "Runs and the
 * journal"): one row per event with its segments (waiting from received to the first claim, each
 * handler attempt from its claim to its outcome), markers for state transitions and lane-level steps,
 * and the handler runs that overlapped in time (I1 violations, docs/DESIGN.md, "Invariants").
 *
 * <p>A lane-level mark of an operator's step names who took it ({@code released by alice@ops-1 ·
 * token 9}): the audit trail of manual releases, retries, skips, pauses and resumes.
 *
 * <p>An ingest entry carries the received and enqueued times, a handler entry the claimed time and
 * the outcome; where a mode has no claim step ({@code unsafe}), an attempt starts when its handler
 * started. Runs whose write the fence rejected are drawn but do not count as overlaps: the store
 * refused them, so they had no effect. The store's documents count only when it holds this run (the
 * order's latest): an older run's stored state is gone.
 *
 * @param origin       epoch millis of the first entry; the chart's zero
 * @param end          epoch millis of the last entry
 * @param rows         one per event, in order of first appearance
 * @param marks        state transitions (from the applied entries) and lane-level steps, by time
 * @param overlaps     pairs of effective handler runs of this order that overlapped in time
 * @param appliedTwice events whose effect was applied more than once (the store's history when it
 *                     holds this run, else the journal's applied entries)
 * @param documents    stored documents of this order (more than one is a duplicate order); 0 when
 *                     the store does not hold this run
 * @param finalState   stored state of the first document, null when none is stored or not this run's
 * @param storeShown   whether the store's documents are this run's
 */
public record TimelineAnalysis(long origin, long end, List<Row> rows, List<Mark> marks, int overlaps,
                               int appliedTwice, int documents, OrderState finalState, boolean storeShown) {

    /** What a segment of an event's row shows. */
    public enum Kind {
        WAITING("Waiting"), APPLIED("Applied"), SKIPPED("Skipped (stale)"), REJECTED("Rejected by fence"),
        INTERRUPTED("Interrupted"), DUPLICATE("Duplicate delivery");

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

    public static TimelineAnalysis of(OrderTimeline timeline) {
        List<JournalEntry> entries = new ArrayList<>(timeline.journal());
        entries.sort(Comparator.comparingLong(JournalEntry::at));
        boolean storeShown = timeline.storeHoldsRun();
        long origin = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (JournalEntry e : entries) {
            origin = Math.min(origin, e.startedAt());
            end = Math.max(end, e.at());
        }
        if (entries.isEmpty() && storeShown) {
            for (StoredOrder d : timeline.documents()) {
                for (Application a : d.history()) {
                    origin = Math.min(origin, a.at());
                    end = Math.max(end, a.at());
                }
            }
        }
        if (origin == Long.MAX_VALUE) {
            origin = 0;
            end = 0;
        }

        Map<String, List<JournalEntry>> byEvent = new LinkedHashMap<>();
        List<Mark> marks = new ArrayList<>();
        Map<String, Integer> appliedInJournal = new HashMap<>();
        for (JournalEntry e : entries) {
            if (e.effectId().isEmpty()) {
                marks.add(new Mark(e.at(), laneLabel(e), false));
                continue;
            }
            byEvent.computeIfAbsent(e.effectId(), k -> new ArrayList<>()).add(e);
            switch (e.stage()) {
                case RELEASED, PARKED, SKIPPED_BY_OPERATOR, RETRIED_BY_OPERATOR, PAUSED, RESUMED ->
                        marks.add(new Mark(e.at(), laneLabel(e), false));
                case APPLIED -> {
                    appliedInJournal.merge(e.effectId(), 1, Integer::sum);
                    Topic.fromWire(e.topic()).flatMap(Topic::impliedState)
                            .ifPresent(st -> marks.add(new Mark(e.at(), "→ " + st.name(), true)));
                }
                default -> {
                }
            }
        }
        List<List<Segment>> segmentsByRow = new ArrayList<>();
        List<String[]> rowNames = new ArrayList<>();
        for (Map.Entry<String, List<JournalEntry>> ev : byEvent.entrySet()) {
            String topic = ev.getValue().stream().map(JournalEntry::topic).filter(t -> !t.isEmpty()).findFirst()
                    .orElse("");
            rowNames.add(new String[] {ev.getKey(), topic});
            segmentsByRow.add(segments(ev.getValue(), end));
        }
        int overlaps = flagOverlaps(segmentsByRow);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < rowNames.size(); i++) {
            rows.add(new Row(rowNames.get(i)[0], rowNames.get(i)[1], List.copyOf(segmentsByRow.get(i))));
        }

        Map<String, Integer> appliedCount = appliedInJournal;
        if (storeShown && !timeline.documents().isEmpty()) {
            appliedCount = new HashMap<>();
            for (StoredOrder d : timeline.documents()) {
                for (Application a : d.history()) {
                    if (a.outcome() == ApplyResult.APPLIED) {
                        appliedCount.merge(a.effectId(), 1, Integer::sum);
                    }
                }
            }
        }
        int twice = (int) appliedCount.values().stream().filter(n -> n > 1).count();
        marks.sort(Comparator.comparingLong(Mark::at));
        OrderState state = storeShown && !timeline.documents().isEmpty() ? timeline.documents().get(0).state() : null;
        return new TimelineAnalysis(origin, end, List.copyOf(rows), List.copyOf(marks), overlaps, twice,
                storeShown ? timeline.documents().size() : 0, state, storeShown);
    }

    /** One event's segments: waiting (received → first claim), each attempt (claim → outcome), duplicates. */
    private static List<Segment> segments(List<JournalEntry> entries, long end) {
        List<Segment> out = new ArrayList<>();
        long received = -1;
        long enqueued = -1;
        long firstRunStart = -1;
        for (JournalEntry e : entries) {
            switch (e.stage()) {
                case ENQUEUED -> {
                    if (received < 0) {
                        received = e.startedAt();
                        enqueued = e.at();
                    }
                }
                case DUPLICATE -> out.add(new Segment(Kind.DUPLICATE, e.startedAt(), e.at(), e.worker(), e.token(),
                        e.detail(), false));
                default -> {
                    if (!e.stage().handlerOutcome()) {
                        continue; // an operator or reaper step: a mark, not a run
                    }
                    if (firstRunStart < 0 || e.startedAt() < firstRunStart) {
                        firstRunStart = e.startedAt();
                    }
                    out.add(new Segment(kind(e.stage()), e.startedAt(), e.at(), e.worker(), e.token(),
                            e.detail().isEmpty() ? outcome(e.stage()) : e.detail(), false));
                }
            }
        }
        if (received >= 0) {
            long waitEnd = firstRunStart >= 0 ? firstRunStart : end;
            if (waitEnd >= received) {
                String detail = "received → enqueued " + Format.millis(enqueued - received)
                        + (firstRunStart >= 0 ? " · enqueued → claimed " + Format.millis(Math.max(0, waitEnd - enqueued))
                        : " · not claimed by the last entry");
                out.add(0, new Segment(Kind.WAITING, received, Math.max(waitEnd, received), "", 0, detail, false));
            }
        }
        return out;
    }

    private static String outcome(JournalStage stage) {
        return switch (stage) {
            case ALREADY_APPLIED -> "already applied (re-run)";
            case SKIPPED -> "skipped as stale";
            default -> "";
        };
    }

    private static Kind kind(JournalStage stage) {
        return switch (stage) {
            case APPLIED, ALREADY_APPLIED -> Kind.APPLIED;
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
                String worker = runs.get(i).s().worker();
                if (!worker.isEmpty() && worker.equals(runs.get(j).s().worker())) {
                    // one handler thread: a lane's run of events applied in one store call shares its
                    // claim and outcome times; one thread never overlaps itself
                    continue;
                }
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
            case RETRIED, RETRIED_BY_OPERATOR -> "retry";
            case PAUSED -> "paused";
            case RESUMED -> "resumed";
            default -> e.stage().name().toLowerCase(java.util.Locale.ROOT);
        };
        String by = e.operator().isEmpty() ? what : what + " by " + e.operator();
        return e.token() > 0 ? by + " · token " + e.token() : by;
    }

    /** Events with at least one run of this kind. */
    public long rowsWith(Kind kind) {
        return rows.stream().filter(r -> r.segments().stream().anyMatch(s -> s.kind() == kind)).count();
    }
}
