package dev.lockstep.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.console.backend.OrderTimeline;
import dev.lockstep.console.view.TimelineAnalysis.Kind;
import dev.lockstep.console.view.TimelineAnalysis.Mark;
import dev.lockstep.console.view.TimelineAnalysis.Segment;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.StoredOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineAnalysisTest {
    private static final long ORDER = 5;
    private static final String RUN = "r-20260101-100000-1";
    private final List<JournalEntry> journal = new ArrayList<>();

    /** One entry of run {@code run}: a step from {@code from} to {@code to}. */
    private void step(String run, long from, long to, String effect, JournalStage stage, String worker, long token) {
        journal.add(new JournalEntry(run, ORDER, effect, effect.isEmpty() ? "" : effect.substring(0, effect.indexOf('#')),
                stage, worker, token, from, to, ""));
    }

    private void step(long from, long to, String effect, JournalStage stage, String worker, long token) {
        step(RUN, from, to, effect, stage, worker, token);
    }

    private TimelineAnalysis analyse(List<StoredOrder> docs) {
        return TimelineAnalysis.of(OrderTimeline.of(Mode.LOCKSTEP, ORDER, journal, docs, null));
    }

    @Test
    void anIngestEntryAndAnOutcomeEntryShowTheWaitAndTheRun() {
        step(100, 101, "orders/create#a", JournalStage.ENQUEUED, "", 0);
        step(102, 110, "orders/create#a", JournalStage.APPLIED, "w1", 1);
        step(103, 104, "orders/paid#b", JournalStage.ENQUEUED, "", 0);
        step(110, 120, "orders/paid#b", JournalStage.APPLIED, "w2", 2); // claimed exactly when the first ended

        TimelineAnalysis a = analyse(List.of());

        assertThat(a.overlaps()).isZero();
        assertThat(a.origin()).isEqualTo(100);
        assertThat(a.rows()).extracting(TimelineAnalysis.Row::effectId).containsExactly("orders/create#a", "orders/paid#b");
        assertThat(a.rows().get(0).segments()).extracting(Segment::kind).containsExactly(Kind.WAITING, Kind.APPLIED);
        Segment wait = a.rows().get(1).segments().get(0);
        assertThat(wait.kind()).isEqualTo(Kind.WAITING);
        assertThat(wait.start()).isEqualTo(103);
        assertThat(wait.end()).isEqualTo(110);
        assertThat(wait.detail()).contains("received → enqueued").contains("enqueued → claimed");
        Segment run = a.rows().get(1).segments().get(1);
        assertThat(run.start()).isEqualTo(110);
        assertThat(run.end()).isEqualTo(120);
        assertThat(run.worker()).isEqualTo("w2");
        assertThat(run.token()).isEqualTo(2);
        assertThat(run.overlapping()).isFalse();
        assertThat(a.marks()).extracting(Mark::label).containsExactly("→ CREATED", "→ PAID");
    }

    @Test
    void twoHandlersOfOneOrderRunningAtOnceAreFlaggedAndCounted() {
        step(0, 20, "orders/create#a", JournalStage.APPLIED, "w1", 0);
        step(10, 25, "orders/paid#b", JournalStage.APPLIED, "w2", 0);
        step(30, 35, "orders/updated#c", JournalStage.APPLIED, "w1", 0);

        TimelineAnalysis a = analyse(List.of());

        assertThat(a.overlaps()).isEqualTo(1);
        assertThat(a.rows().get(0).segments()).allMatch(Segment::overlapping);
        assertThat(a.rows().get(1).segments()).allMatch(Segment::overlapping);
        assertThat(a.rows().get(2).segments()).noneMatch(Segment::overlapping);
    }

    /** A lane's run of events applied in one store call shares its claim and outcome times: one holder, no overlap. */
    @Test
    void aRunOfEventsAppliedInOneCallByOneHolderIsNotAnOverlap() {
        step(0, 20, "orders/create#a", JournalStage.APPLIED, "lockstep-worker-3", 4);
        step(0, 20, "orders/paid#b", JournalStage.APPLIED, "lockstep-worker-3", 4);
        step(0, 20, "orders/fulfilled#c", JournalStage.SKIPPED, "lockstep-worker-3", 4);

        TimelineAnalysis a = analyse(List.of());

        assertThat(a.overlaps()).isZero();
        assertThat(a.rows()).allSatisfy(r -> assertThat(r.segments()).noneMatch(Segment::overlapping));
    }

    @Test
    void aFencedOutWriteIsShownRejectedButIsNotAnOverlap() {
        step(50, 50, "", JournalStage.RELEASED, "console", 8);
        step(51, 60, "orders/paid#b", JournalStage.APPLIED, "w5", 8);
        step(1, 70, "orders/paid#b", JournalStage.REJECTED, "paused", 7); // claimed first, paused past its lease
        StoredOrder doc = new StoredOrder(ORDER, "d", OrderState.PAID, 0, 8,
                List.of(new Application("orders/paid#b", Topic.PAID, 0, ApplyResult.APPLIED, 8, "w5", 60)));

        TimelineAnalysis a = analyse(List.of(doc));

        assertThat(a.overlaps()).isZero();
        List<Segment> segs = a.rows().get(0).segments();
        assertThat(segs).extracting(Segment::kind).containsExactlyInAnyOrder(Kind.APPLIED, Kind.REJECTED);
        Segment rejected = segs.stream().filter(s -> s.kind() == Kind.REJECTED).findFirst().orElseThrow();
        assertThat(rejected.worker()).isEqualTo("paused");
        assertThat(rejected.start()).isEqualTo(1);
        assertThat(rejected.token()).isEqualTo(7);
        assertThat(a.marks()).extracting(Mark::label).containsExactly("released · token 8", "→ PAID");
        assertThat(a.finalState()).isEqualTo(OrderState.PAID);
    }

    @Test
    void operatorStepsAreMarksNamingTheOperator() {
        step(0, 0, "orders/create#a", JournalStage.ENQUEUED, "", 0);
        journal.add(new JournalEntry(RUN, ORDER, "", "", JournalStage.PAUSED, "operator", 0, 10, 10, "", "alice@ops-1"));
        journal.add(new JournalEntry(RUN, ORDER, "", "", JournalStage.RESUMED, "operator", 0, 20, 20, "", "alice@ops-1"));
        journal.add(new JournalEntry(RUN, ORDER, "", "", JournalStage.RELEASED, "operator", 9, 30, 30, "", "bob@ops-2"));
        journal.add(new JournalEntry(RUN, ORDER, "", "", JournalStage.RETRIED_BY_OPERATOR, "operator", 0, 40, 40, "",
                "bob@ops-2"));
        journal.add(new JournalEntry(RUN, ORDER, "orders/create#a", "orders/create", JournalStage.SKIPPED_BY_OPERATOR,
                "operator", 0, 50, 50, "", "bob@ops-2"));

        TimelineAnalysis a = analyse(List.of());

        assertThat(a.marks()).extracting(Mark::label).containsExactly("paused by alice@ops-1", "resumed by alice@ops-1",
                "released by bob@ops-2 · token 9", "retry by bob@ops-2", "head skipped by bob@ops-2");
        assertThat(a.rows()).singleElement().satisfies(r -> assertThat(r.segments()).extracting(Segment::kind)
                .containsExactly(Kind.WAITING));
    }

    @Test
    void storedHistoryRevealsDuplicateDocumentsAndEffectsAppliedTwice() {
        step(0, 0, "orders/create#a", JournalStage.ENQUEUED, "", 0);
        Application create = new Application("orders/create#a", Topic.CREATE, 0, ApplyResult.APPLIED, 0, "t", 5);
        List<StoredOrder> docs = List.of(new StoredOrder(ORDER, "d1", OrderState.CREATED, 0, 0, List.of(create)),
                new StoredOrder(ORDER, "d2", OrderState.CREATED, 0, 0, List.of(create)));

        TimelineAnalysis a = analyse(docs);

        assertThat(a.documents()).isEqualTo(2);
        assertThat(a.appliedTwice()).isEqualTo(1);
    }

    @Test
    void twoRunsOfOneOrderAreShownOneAtATimeTheLatestByDefault() {
        String older = "r-20260101-090000-1";
        step(older, 0, 1, "orders/create#a", JournalStage.ENQUEUED, "", 0);
        step(older, 2, 5, "orders/create#a", JournalStage.APPLIED, "w1", 1);
        step(older, 3, 4, "orders/paid#b", JournalStage.ENQUEUED, "", 0);
        step(older, 6, 9, "orders/paid#b", JournalStage.SKIPPED, "w1", 1);
        step(193_000, 193_001, "orders/create#a", JournalStage.ENQUEUED, "", 0);
        step(193_002, 193_005, "orders/create#a", JournalStage.APPLIED, "w2", 2);
        StoredOrder doc = new StoredOrder(ORDER, "d", OrderState.CREATED, 0, 2, List.of(
                new Application("orders/create#a", Topic.CREATE, 0, ApplyResult.APPLIED, 2, "w2", 193_005)));

        OrderTimeline latest = OrderTimeline.of(Mode.LOCKSTEP, ORDER, journal, List.of(doc), null);
        assertThat(latest.runId()).isEqualTo(RUN);
        assertThat(latest.runs()).containsExactly(RUN, older);
        TimelineAnalysis a = TimelineAnalysis.of(latest);
        assertThat(a.rows()).hasSize(1);
        assertThat(a.rowsWith(Kind.SKIPPED)).isZero(); // the older run's stale skip is not this run's
        assertThat(a.end() - a.origin()).isEqualTo(5); // not one axis over both runs
        assertThat(a.finalState()).isEqualTo(OrderState.CREATED);

        OrderTimeline first = OrderTimeline.of(Mode.LOCKSTEP, ORDER, journal, List.of(doc), older);
        TimelineAnalysis b = TimelineAnalysis.of(first);
        assertThat(b.rows()).hasSize(2);
        assertThat(b.rowsWith(Kind.SKIPPED)).isEqualTo(1);
        assertThat(b.storeShown()).isFalse(); // the store holds the latest run: no stored state for this one
        assertThat(b.finalState()).isNull();
        assertThat(b.documents()).isZero();
    }

    @Test
    void markLabelsCloseTogetherTakeSeparateRowsAndNeverOverlap() {
        List<Mark> marks = List.of(new Mark(0, "→ CREATED", true), new Mark(1, "→ PAID", true),
                new Mark(2, "→ UPDATED", true), new Mark(500, "→ FULFILLED", true), new Mark(3, "x", false));
        // 10 ms per character: "→ CREATED" covers 0..100
        int[] rows = TimelineChart.labelRows(marks.subList(0, 4), 0, 10, 4);
        assertThat(rows).containsExactly(0, 1, 2, 0);
        int[] crowded = TimelineChart.labelRows(List.of(new Mark(0, "aaaa", true), new Mark(1, "bbbb", true),
                new Mark(2, "cccc", true)), 0, 10, 2);
        assertThat(crowded).containsExactly(0, 1, -1); // no free row: drawn without a label
    }

    @Test
    void anEmptyTimelineHasNoRows() {
        TimelineAnalysis a = analyse(List.of());
        assertThat(a.rows()).isEmpty();
        assertThat(a.overlaps()).isZero();
        assertThat(a.finalState()).isNull();
    }
}
