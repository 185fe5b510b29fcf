package dev.lockstep.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** Heartbeats on a real Redis: listed while they live, gone when they lapse or leave, index bounded. */
class WorkerRegistryTest {
    private final UnifiedJedis redis = TestServers.get().redis();

    private static WorkerInfo info(String id, int held) {
        return new WorkerInfo(id, "worker", "host", 42, "test", "lockstep", 8, held, 100, 12.5, "", 1L,
                System.currentTimeMillis());
    }

    @Test
    void aBeatIsListedWithWhatItSaidAndTheLatestBeatWins() {
        WorkerRegistry registry = new WorkerRegistry(redis, TestServers.uniqueName("q"), Duration.ofSeconds(30));
        registry.beat(info("b:2", 1));
        registry.beat(info("a:1", 3));
        registry.beat(info("b:2", 5));
        List<WorkerInfo> workers = registry.list();
        assertThat(workers).extracting(WorkerInfo::id).containsExactly("a:1", "b:2");
        assertThat(workers.get(1).lanesHeld()).isEqualTo(5);
        assertThat(workers.get(1).eventsPerSecond()).isEqualTo(12.5);
        assertThat(registry.beatInterval()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void aProcessThatStopsBeatingIsGoneWithinItsTimeToLiveAndTheIndexForgetsIt() {
        String queue = TestServers.uniqueName("q");
        WorkerRegistry registry = new WorkerRegistry(redis, queue, Duration.ofMillis(300));
        registry.beat(info("gone:1", 0));
        new WorkerRegistry(redis, queue, Duration.ofSeconds(30)).beat(info("alive:2", 0));
        assertThat(registry.list()).extracting(WorkerInfo::id).containsExactly("alive:2", "gone:1");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(registry.list()).extracting(WorkerInfo::id).containsExactly("alive:2"));
        assertThat(redis.zrange("{" + queue + ":fleet}:ids", 0, -1)).containsExactly("alive:2");
    }

    @Test
    void leavingIsVisibleAtOnce() {
        WorkerRegistry registry = new WorkerRegistry(redis, TestServers.uniqueName("q"), Duration.ofSeconds(30));
        registry.beat(info("x:1", 0));
        registry.leave("x:1");
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void aStrayOrUnreadableBeatIsNotShownAndQueuesDoNotSeeEachOther() {
        String queue = TestServers.uniqueName("q");
        WorkerRegistry registry = new WorkerRegistry(redis, queue, Duration.ofSeconds(30));
        redis.set("{" + queue + ":fleet}:w:junk:1", "not json");
        redis.zadd("{" + queue + ":fleet}:ids", System.currentTimeMillis() + 30_000, "junk:1");
        registry.beat(info("ok:1", 0));
        new WorkerRegistry(redis, TestServers.uniqueName("other"), Duration.ofSeconds(30)).beat(info("elsewhere:9", 0));
        assertThat(registry.list()).extracting(WorkerInfo::id).containsExactly("ok:1");
    }

    @Test
    void aHolderNameLinksToItsProcess() {
        WorkerInfo w = info("vm:4242", 0);
        assertThat(w.holds("vm:4242/lockstep-3")).isTrue();
        assertThat(w.holds("vm:42424/lockstep-3")).isFalse();
        assertThat(WorkerInfo.processOf("vm:4242/lockstep-3")).isEqualTo("vm:4242");
    }
}
