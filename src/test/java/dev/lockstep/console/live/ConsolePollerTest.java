package dev.lockstep.console.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.console.FakeConsoleBackend;
import dev.lockstep.console.backend.EnvironmentInfo;
import dev.lockstep.pipeline.RunCounters;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsolePollerTest {
    private final FakeConsoleBackend backend = new FakeConsoleBackend();
    private final EdtStallMonitor edt = new EdtStallMonitor();

    @AfterEach
    void close() {
        backend.close();
        edt.close();
    }

    private static ConsoleSnapshot withCounters(long at, long accepted, long dups, long applied) {
        ConsoleSnapshot e = ConsoleSnapshot.empty();
        return new ConsoleSnapshot(at, e.env(), e.queue(), new RunCounters.Snapshot(accepted, dups, applied, 0, 0, 0, 0, 0),
                e.rates(), List.of(), List.of(), List.of(), e.holdTimes(), List.of(), e.progress(), List.of(), e.edt(), e.fleet(), "");
    }

    @Test
    void ratesComeFromTheChangeOfTheCountersSinceThePreviousReading() {
        ConsoleSnapshot before = withCounters(10_000, 100, 10, 50);
        ConsoleSnapshot.Rates r = ConsolePoller.rates(before, new RunCounters.Snapshot(300, 30, 550, 0, 0, 0, 0, 0),
                10_500);
        assertThat(r.acceptedPerSecond()).isEqualTo(400);
        assertThat(r.dedupHitsPerSecond()).isEqualTo(40);
        assertThat(r.appliedPerSecond()).isEqualTo(1000);
    }

    @Test
    void countersThatStartOverForANewRunGiveNoNegativeRate() {
        ConsoleSnapshot before = withCounters(10_000, 1000, 100, 900);
        ConsoleSnapshot.Rates r = ConsolePoller.rates(before, new RunCounters.Snapshot(5, 0, 2, 0, 0, 0, 0, 0), 10_250);
        assertThat(r.acceptedPerSecond()).isZero();
        assertThat(r.appliedPerSecond()).isZero();
    }

    @Test
    void anUnreachableBackendKeepsThePreviousDataAndSaysWhy() {
        ConsolePoller poller = new ConsolePoller(backend, edt, Duration.ofMillis(250), s -> { });
        ConsoleSnapshot good = poller.read(ConsoleSnapshot.empty(), System.currentTimeMillis(), true);
        assertThat(good.failed()).isFalse();
        assertThat(good.leases()).extracting(l -> l.orderId()).contains(FakeConsoleBackend.STUCK_ORDER);
        assertThat(good.env()).isNotEqualTo(EnvironmentInfo.UNKNOWN);

        backend.setFailing(true);
        ConsoleSnapshot bad = poller.read(good, good.takenAt() + 250, true);
        assertThat(bad.failed()).isTrue();
        assertThat(bad.error()).contains("Connection refused");
        assertThat(bad.leases()).isEqualTo(good.leases());
        assertThat(bad.env()).isEqualTo(good.env());
        poller.close();
    }

    @Test
    void snapshotsArriveOnTheEdtAndStopAfterClose() {
        List<Boolean> onEdt = new CopyOnWriteArrayList<>();
        ConsolePoller poller = new ConsolePoller(backend, edt, Duration.ofMillis(20),
                s -> onEdt.add(SwingUtilities.isEventDispatchThread()));
        poller.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> onEdt.size() >= 5);
        poller.close();
        assertThat(onEdt).containsOnly(true);
    }
}
