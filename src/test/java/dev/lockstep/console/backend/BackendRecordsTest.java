package dev.lockstep.console.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.BurstRun;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendRecordsTest {

    @Test
    void aBurstRequestOutOfRangeSaysWhichFieldIsWrong() {
        BurstRequest ok = BurstRequest.defaults();
        assertThatThrownBy(() -> new BurstRequest(0, 4, 0, 0, 1, Mode.NAIVE_LOCK, Transport.HTTP, 1, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("orders must be 1..1000000, was 0");
        assertThatThrownBy(() -> new BurstRequest(1, 4, 1.5, 0, 1, Mode.NAIVE_LOCK, Transport.HTTP, 1, false))
                .hasMessageContaining("duplicate rate must be 0..1");
        assertThatThrownBy(() -> new BurstRequest(1, 4, 0, -0.1, 1, Mode.NAIVE_LOCK, Transport.HTTP, 1, false))
                .hasMessageContaining("reorder rate must be 0..1");
        assertThatThrownBy(() -> new BurstRequest(1, 4, 0, 0, 0, Mode.NAIVE_LOCK, Transport.HTTP, 1, false))
                .hasMessageContaining("in-flight must be 1..4096");
        assertThatThrownBy(() -> new BurstRequest(1, 51, 0, 0, 1, Mode.NAIVE_LOCK, Transport.HTTP, 1, false))
                .hasMessageContaining("events per order must be 1..50");
        assertThat(ok.withMode(Mode.UNSAFE).mode()).isEqualTo(Mode.UNSAFE);
        assertThat(ok.events()).isEqualTo(8_000);
    }

    @Test
    void progressOfACompareCoversItsSteps() {
        // firing fills the first half of a run's share: half fired in run 2 of 3 is (1 + 0.25) / 3
        assertThat(new RunProgress(true, BurstRun.Phase.FIRING, Mode.NAIVE_LOCK, 50, 100, 2, 3, "").fraction())
                .isCloseTo(1.25 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(new RunProgress(false, BurstRun.Phase.DONE, Mode.LOCKSTEP, 100, 100, 3, 3, "").fraction()).isEqualTo(1.0);
        assertThat(RunProgress.IDLE.fraction()).isZero();
        assertThat(RunProgress.IDLE.phaseLabel()).isEqualTo("Idle");
    }

    @Test
    void aRunWhoseDeliveriesAreAllAnsweredIsNotCompleteWhileItDrains() {
        RunProgress fired = new RunProgress(true, BurstRun.Phase.FIRING, Mode.LOCKSTEP, 8_932, 8_932, 1, 1, "");
        RunProgress draining = new RunProgress(true, BurstRun.Phase.DRAINING, Mode.LOCKSTEP, 4_000, 8_000, 1, 1, "");
        RunProgress auditing = new RunProgress(true, BurstRun.Phase.AUDITING, Mode.LOCKSTEP, 0, 0, 1, 1, "");
        assertThat(fired.fraction()).isEqualTo(0.5);
        assertThat(draining.fraction()).isGreaterThan(fired.fraction()).isLessThan(auditing.fraction());
        assertThat(auditing.fraction()).isLessThan(1.0);
        assertThat(new RunProgress(false, BurstRun.Phase.STOPPED, Mode.NAIVE_LOCK, 0, 0, 2, 3, "stopped").fraction())
                .isCloseTo(1.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void duplicatesAreGroupedPerEventNewestFirstWithTheOriginalCounted() {
        List<JournalEntry> entries = List.of(
                new JournalEntry(1, "orders/paid#a", "orders/paid", JournalStage.ENQUEUED, "", 0, 100, ""),
                new JournalEntry(1, "orders/paid#a", "orders/paid", JournalStage.DUPLICATE, "", 0, 120, ""),
                new JournalEntry(1, "orders/paid#a", "orders/paid", JournalStage.DUPLICATE, "", 0, 150, ""),
                new JournalEntry(2, "orders/create#b", "orders/create", JournalStage.ENQUEUED, "", 0, 110, ""),
                new JournalEntry(3, "orders/create#c", "orders/create", JournalStage.DUPLICATE, "", 0, 200, ""),
                new JournalEntry(3, "orders/create#c", "orders/create", JournalStage.APPLIED, "w", 1, 300, ""));

        List<DuplicateInfo> dups = DuplicateInfo.fromJournal(entries, 10);

        assertThat(dups).containsExactly(
                new DuplicateInfo("orders/create#c", 3, 200, 200, 2),
                new DuplicateInfo("orders/paid#a", 1, 100, 150, 3));
        assertThat(DuplicateInfo.fromJournal(entries, 1)).hasSize(1);
    }
}
