package dev.lockstep.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

    @Test
    void theDefaultsAreThePackagedConfigurationsWithIdleWaitAndLaneRunOfTheWorker() {
        WorkerSettings d = WorkerSettings.defaults();
        assertThat(d).isEqualTo(WorkerSettings.from(ConfigLoader.load(null, Map.of(), Map.of())));
        assertThat(d.workerId()).isEqualTo(WorkerSettings.processId());
        assertThat(d.idleWait()).isEqualTo(Duration.ofMillis(200));
        assertThat(d.maxContinue()).isEqualTo(WorkerSettings.DEFAULT_MAX_CONTINUE);
    }

    @Test
    void eachWithChangesOnlyItsOwnField() {
        WorkerSettings d = WorkerSettings.defaults();
        WorkerSettings s = d.withThreads(3).withWorkerId("w").withMaxAttempts(7)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(9)).withIdleWait(Duration.ofMillis(5))
                .withReapInterval(Duration.ofMillis(6)).withMaxContinue(2);
        assertThat(s).isEqualTo(new WorkerSettings(3, d.lanes(), "w", 7, Duration.ofMillis(1), Duration.ofMillis(9),
                Duration.ofMillis(5), Duration.ofMillis(6), 2, d.handlerDeadline()));
        assertThat(d.withThreads(3)).isEqualTo(new WorkerSettings(3, d.lanes(), d.workerId(), d.maxAttempts(), d.backoff(),
                d.backoffMax(), d.idleWait(), d.reapInterval(), d.maxContinue(), d.handlerDeadline()));
    }

    @Test
    void lanesAreNeverFewerThanThreads() {
        WorkerSettings d = WorkerSettings.defaults().withThreads(4).withLanes(32);
        assertThat(d.lanes()).isEqualTo(32);
        assertThat(d.withLanes(2).lanes()).isEqualTo(4);
        assertThat(d.withThreads(100).lanes()).isEqualTo(100);
        assertThat(new WorkerSettings(4, 1, d.workerId(), d.maxAttempts(), d.backoff(), d.backoffMax(), d.idleWait(),
                d.reapInterval(), d.maxContinue(), d.handlerDeadline()).lanes()).isEqualTo(4);
    }

    @Test
    void theReapIntervalIsAQuarterOfTheLeaseWithin20MsAnd1s() {
        WorkerSettings d = WorkerSettings.defaults();
        assertThat(d.withReapIntervalFor(Duration.ofMillis(400)).reapInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.withReapIntervalFor(Duration.ofMillis(40)).reapInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(d.withReapIntervalFor(Duration.ofSeconds(30)).reapInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void backoffDoublesPerAttemptUpToItsCap() {
        WorkerSettings s = WorkerSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(350));
        assertThat(s.backoffFor(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(s.backoffFor(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(s.backoffFor(3)).isEqualTo(Duration.ofMillis(350));
    }
}
