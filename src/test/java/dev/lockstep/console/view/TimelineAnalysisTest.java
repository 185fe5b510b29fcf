package dev.lockstep.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.console.backend.OrderTimeline;
import dev.lockstep.console.view.TimelineAnalysis.Kind;
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
    private final List<JournalEntry> journal = new ArrayList<>();

    private void at(long t, String effect, JournalStage stage, String worker, long token) {
        journal.add(new JournalEntry(ORDER, effect, effect.isEmpty() ? "" : effect.substring(0, effect.indexOf('#')),
                stage, worker, token, t, ""));
    }

    private TimelineAnalysis analyse(List<StoredOrder> docs) {
        return TimelineAnalysis.of(new OrderTimeline(Mode.LOCKSTEP, ORDER, journal, docs));
    }

    @Test
    void serializedHandlersDoNotOverlap() {
        at(100, "orders/create#a", JournalStage.RECEIVED, "", 0);
        at(101, "orders/create#a", JournalStage.ENQUEUED, "", 0);
        at(102, "orders/create#a", JournalStage.CLAIMED, "w1", 1);
        at(110, "orders/create#a", JournalStage.APPLIED, "w1", 1);
        at(103, "orders/paid#b", JournalStage.RECEIVED, "", 0);
        at(110, "orders/paid#b", JournalStage.CLAIMED, "w2", 2); // starts exactly when the first ended
        at(120, "orders/paid#b", JournalStage.APPLIED, "w2", 2);

        TimelineAnalysis a = analyse(List.of());

        assertThat(a.overlaps()).isZero();
        assertThat(a.origin()).isEqualTo(100);
        assertThat(a.rows()).extracting(TimelineAnalysis.Row::effectId).containsExactly("orders/create#a", "orders/paid#b");
        assertThat(a.rows().get(0).segments()).extracting(Segment::kind).containsExactly(Kind.WAITING, Kind.APPLIED);
        Segment wait = a.rows().get(1).segments().get(0);
        assertThat(wait.kind()).isEqualTo(Kind.WAITING);
        assertThat(wait.start()).isEqualTo(103);
        assertThat(wait.end()).isEqualTo(110);
        Segment run = a.rows().get(1).segments().get(1);
        assertThat(run.worker()).isEqualTo("w2");
        assertThat(run.token()).isEqualTo(2);
        assertThat(run.overlapping()).isFalse();
    }

    @Test
    void twoHandlersOfOneOrderRunningAtOnceAreFlaggedAndCounted() {
        at(0, "orders/create#a", JournalStage.CLAIMED, "w1", 0);
        at(10, "orders/paid#b", JournalStage.CLAIMED, "w2", 0);
        at(20, "orders/create#a", JournalStage.APPLIED, "w1", 0);
        at(25, "orders/paid#b", JournalStage.APPLIED, "w2", 0);
        at(30, "orders/updated#c", JournalStage.CLAIMED, "w1", 0);
        at(35, "orders/updated#c", JournalStage.APPLIED, "w1", 0);

        TimelineAnalysis a = analyse(List.of());

        assertThat(a.overlaps()).isEqualTo(1);
        assertThat(a.rows().get(0).segments()).allMatch(Segment::overlapping);
        assertThat(a.rows().get(1).segments()).allMatch(Segment::overlapping);
        assertThat(a.rows().get(2).segments()).noneMatch(Segment::overlapping);
    }

    @Test
    void inUnsafeAHandlerStartsWhenItsEventArrives() {
        at(0, "orders/create#a", JournalStage.RECEIVED, "", 0);
        at(2, "orders/create#a", JournalStage.RECEIVED, "", 0); // second copy, handled too
        at(12, "orders/create#a", JournalStage.APPLIED, "t-1", 0);
        at(15, "orders/create#a", JournalStage.APPLIED, "t-2", 0);

        TimelineAnalysis a = analyse(List.of());

        List<Segment> runs = a.rows().get(0).segments().stream().filter(s -> s.kind() == Kind.APPLIED).toList();
        assertThat(runs).hasSize(2);
        assertThat(runs).extracting(Segment::start).containsOnly(2L);
        assertThat(a.overlaps()).isEqualTo(1);
    }

    @Test
    void aFencedOutWriteIsShownRejectedButIsNotAnOverlap() {
        at(0, "orders/paid#b", JournalStage.CLAIMED, "paused", 7);
        at(50, "", JournalStage.RELEASED, "console", 8);
        at(51, "orders/paid#b", JournalStage.CLAIMED, "w5", 8);
        at(60, "orders/paid#b", JournalStage.APPLIED, "w5", 8);
        at(70, "orders/paid#b", JournalStage.REJECTED, "paused", 7);
        StoredOrder doc = new StoredOrder(ORDER, "d", OrderState.PAID, 0, 8,
                List.of(new Application("orders/paid#b", Topic.PAID, 0, ApplyResult.APPLIED, 8, "w5", 60)));

        TimelineAnalysis a = analyse(List.of(doc));

        assertThat(a.overlaps()).isZero();
        List<Segment> segs = a.rows().get(0).segments();
        assertThat(segs).extracting(Segment::kind).containsExactlyInAnyOrder(Kind.APPLIED, Kind.REJECTED);
        Segment rejected = segs.stream().filter(s -> s.kind() == Kind.REJECTED).findFirst().orElseThrow();
        assertThat(rejected.worker()).isEqualTo("paused");
        assertThat(rejected.start()).isZero();
        assertThat(rejected.token()).isEqualTo(7);
        assertThat(a.marks()).extracting(TimelineAnalysis.Mark::label).containsExactly("released · token 8", "→ PAID");
        assertThat(a.finalState()).isEqualTo(OrderState.PAID);
    }

    @Test
    void aHolderThatNeverFinishedIsRunningUntilTheLastEntry() {
        at(0, "orders/paid#b", JournalStage.CLAIMED, "paused", 7);
        at(40, "orders/updated#c", JournalStage.RECEIVED, "", 0);

        TimelineAnalysis a = analyse(List.of());

        Segment running = a.rows().get(0).segments().get(0);
        assertThat(running.kind()).isEqualTo(Kind.RUNNING);
        assertThat(running.end()).isEqualTo(40);
    }

    @Test
    void storedHistoryRevealsDuplicateDocumentsAndEffectsAppliedTwice() {
        at(0, "orders/create#a", JournalStage.RECEIVED, "", 0);
        Application create = new Application("orders/create#a", Topic.CREATE, 0, ApplyResult.APPLIED, 0, "t", 5);
        List<StoredOrder> docs = List.of(new StoredOrder(ORDER, "d1", OrderState.CREATED, 0, 0, List.of(create)),
                new StoredOrder(ORDER, "d2", OrderState.CREATED, 0, 0, List.of(create)));

        TimelineAnalysis a = analyse(docs);

        assertThat(a.documents()).isEqualTo(2);
        assertThat(a.appliedTwice()).isEqualTo(1);
    }

    @Test
    void anEmptyTimelineHasNoRows() {
        TimelineAnalysis a = analyse(List.of());
        assertThat(a.rows()).isEmpty();
        assertThat(a.overlaps()).isZero();
        assertThat(a.finalState()).isNull();
    }
}
