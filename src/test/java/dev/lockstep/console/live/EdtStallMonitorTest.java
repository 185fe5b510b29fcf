package dev.lockstep.console.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;

class EdtStallMonitorTest {

    @Test
    void aBlockedEdtShowsUpAsTheLongestStall() throws Exception {
        try (EdtStallMonitor monitor = new EdtStallMonitor().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.probes() >= 3);
            CountDownLatch blocking = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            SwingUtilities.invokeLater(() -> {
                blocking.countDown();
                try {
                    // the injected stall: the EDT is held until the test has seen a probe wait behind it
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
            long blockedAt = System.nanoTime();
            // wait until at least 300 ms have passed with the EDT held, then let it go
            await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() - blockedAt > 300_000_000L);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.maxMillis() >= 200);
            assertThat(monitor.p99Millis()).isPositive();

            monitor.reset();
            assertThat(monitor.maxMillis()).isZero();
        }
    }

    @Test
    void theRecentLongestStallForgetsAStallOlderThanAMinute() {
        try (EdtStallMonitor monitor = new EdtStallMonitor()) {
            long start = TimeUnit.HOURS.toNanos(5);
            monitor.recordRecent(start, TimeUnit.MILLISECONDS.toNanos(500)); // start-up's stall
            monitor.recordRecent(start + TimeUnit.SECONDS.toNanos(30), TimeUnit.MILLISECONDS.toNanos(20));
            assertThat(monitor.recentMaxMillis(start + TimeUnit.SECONDS.toNanos(45))).isEqualTo(500.0);
            // 70 s on, the start-up stall is out of the window; the later one is still in it
            assertThat(monitor.recentMaxMillis(start + TimeUnit.SECONDS.toNanos(70))).isEqualTo(20.0);
            // and two minutes on nothing is left, though the slot of the old stall comes round again
            assertThat(monitor.recentMaxMillis(start + TimeUnit.SECONDS.toNanos(120))).isZero();
            monitor.recordRecent(start + TimeUnit.SECONDS.toNanos(121), TimeUnit.MILLISECONDS.toNanos(7));
            assertThat(monitor.recentMaxMillis(start + TimeUnit.SECONDS.toNanos(125))).isEqualTo(7.0);
        }
    }
}
