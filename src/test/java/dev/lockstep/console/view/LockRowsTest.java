package dev.lockstep.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.queue.PausedLane;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Locks view's rows without a window: what an operator acts on comes first. */
class LockRowsTest {
    private static final long NOW = 1_000_000;
    private static final long LEASE = 10_000;

    private static LeaseInfo lease(long orderId, long heldFor) {
        long since = NOW - heldFor;
        return new LeaseInfo(orderId, "w/t" + orderId, orderId, since, NOW + 3_000, LEASE);
    }

    @Test
    void stuckLocksComeFirstOldestFirstThenPausedLanesThenTheRest() {
        List<LeaseInfo> leases = List.of(
                lease(1, 40),                                   // a normal lock, fresh
                lease(2, LocksPanel.STUCK_AFTER_MILLIS + 1),    // stuck by age
                lease(3, 120),
                lease(4, LeaseInfo.STUCK_AFTER_LEASES * LEASE + 1), // stuck by the engine's three leases
                lease(5, 200));                                  // held, and paused: finishing what it took
        List<PausedLane> paused = List.of(new PausedLane(5, NOW - 50, false, 2), new PausedLane(9, NOW - 900, true, 4));

        List<LocksPanel.LockRow> rows = LocksPanel.rows(leases, paused, NOW);

        assertThat(rows).extracting(LocksPanel.LockRow::orderId).containsExactly(4L, 2L, 9L, 5L, 3L, 1L);
        assertThat(rows).extracting(r -> r.state(NOW))
                .containsExactly("stuck", "stuck", "paused", "paused", "running", "running");
        assertThat(rows.get(2).lease()).as("a held-back paused lane has no holder").isNull();
        assertThat(rows.get(3).lease()).as("one row per order: its lease and its pause").isNotNull();
    }

    @Test
    void aLockIsStuckByAgeEvenBeforeThreeLeases() {
        LeaseInfo young = lease(1, LocksPanel.STUCK_AFTER_MILLIS - 1);
        LeaseInfo old = lease(2, LocksPanel.STUCK_AFTER_MILLIS + 1);
        assertThat(old.stuck(NOW)).as("the engine's mark alone").isFalse();
        assertThat(new LocksPanel.LockRow(2, old, null).stuck(NOW)).isTrue();
        assertThat(new LocksPanel.LockRow(1, young, null).stuck(NOW)).isFalse();
    }

    /** "Held for" read "0.0 ms" beside "14 ms": whole milliseconds in one style, seconds above one. */
    @Test
    void durationsAreWholeMillisecondsInOneStyle() {
        assertThat(Format.duration(0)).isEqualTo("0 ms");
        assertThat(Format.duration(7)).isEqualTo("7 ms");
        assertThat(Format.duration(14)).isEqualTo("14 ms");
        assertThat(Format.duration(999)).isEqualTo("999 ms");
        assertThat(Format.duration(4_200)).isEqualTo("4.2 s");
        assertThat(Format.duration(185_000)).isEqualTo("3 min 05 s");
        assertThat(Format.duration(-1)).isEqualTo("—");
    }
}
