package dev.lockstep.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * A Redis that lost its scripts (restarted, or SCRIPT FLUSH) refuses EVALSHA with NOSCRIPT: the
 * runner loads the script and the call runs once, single or pipelined. (On Redis Cluster the load
 * reaches every master; ClusterSlotMigrationTest covers a call redirected to one that never ran it.)
 */
class ScriptRunnerNoScriptTest {

    @Test
    void callsAfterTheScriptsWereFlushedRunOnce() {
        UnifiedJedis redis = TestServers.get().redis();
        Keys keys = new Keys(TestServers.uniqueName("q"), 2);
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofSeconds(30), Duration.ofMinutes(5));

        redis.scriptFlush();
        assertThat(queue.enqueue(1, "d1", "p1")).isEqualTo(ResultCode.QUEUED);
        redis.scriptFlush();
        assertThat(queue.enqueueAll(List.of(
                new LaneQueue.Enqueue(1, "d2", "p2"),
                new LaneQueue.Enqueue(2, "d3", "p3"),
                new LaneQueue.Enqueue(1, "d2", "p2"))))
                .containsExactly(ResultCode.QUEUED, ResultCode.QUEUED, ResultCode.DUPLICATE);

        assertThat(redis.llen(keys.lane(keys.partitionOf(1), 1))).isEqualTo(2);
        assertThat(redis.llen(keys.lane(keys.partitionOf(2), 2))).isEqualTo(1);
        queue.purge();
    }
}
