package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.QueueStats;
import dev.lockstep.queue.ResultCode;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The pipelined path leaves exactly the state {@code LaneQueue.enqueue} leaves, event for event. */
class PipelinedEnqueuerTest {
    private final UnifiedJedis redis = TestServers.get().redis();
    private final Keys plainKeys = new Keys(TestServers.uniqueName("q"), 4);
    private final Keys pipedKeys = new Keys(TestServers.uniqueName("q"), 4);
    private final LaneQueue plain = new LaneQueue(redis, plainKeys, Duration.ofSeconds(30), Duration.ofMinutes(5));
    private final LaneQueue piped = new LaneQueue(redis, pipedKeys, Duration.ofSeconds(30), Duration.ofMinutes(5));
    private final PipelinedEnqueuer enqueuer = new PipelinedEnqueuer(redis, pipedKeys, 300);

    @AfterEach
    void tearDown() {
        plain.purge();
        piped.purge();
    }

    @Test
    void sameResultsCountersLanesAndPayloadsAsOneByOne() {
        List<PipelinedEnqueuer.Event> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long order = i % 7 + 1;
            events.add(new PipelinedEnqueuer.Event(order, "d" + i, BenchPayload.json(i, order)));
        }
        events.add(new PipelinedEnqueuer.Event(6, "d5", "a redelivery of event 5 (order 6)"));

        List<ResultCode> plainResults = new ArrayList<>();
        for (PipelinedEnqueuer.Event e : events) {
            plainResults.add(plain.enqueue(e.orderId(), e.dedupKey(), e.payload()));
        }
        List<ResultCode> pipedResults = enqueuer.enqueueAll(events);

        assertThat(pipedResults).isEqualTo(plainResults);
        assertThat(pipedResults.get(60)).isEqualTo(ResultCode.DUPLICATE);
        assertThat(piped.stats()).isEqualTo(plain.stats());
        for (int p = 0; p < 4; p++) {
            assertThat(redis.lrange(pipedKeys.ready(p), 0, -1)).isEqualTo(redis.lrange(plainKeys.ready(p), 0, -1));
            assertThat(redis.hgetAll(pipedKeys.stats(p))).isEqualTo(redis.hgetAll(plainKeys.stats(p)));
        }
        for (long order = 1; order <= 7; order++) {
            assertThat(payloadsOfLane(piped, pipedKeys, order)).isEqualTo(payloadsOfLane(plain, plainKeys, order));
            int p = pipedKeys.partitionOf(order);
            assertThat(redis.ttl(pipedKeys.dedup(p, "d" + (order - 1)))).isBetween(1L, 300L);
        }
    }

    @Test
    void pipelinedEventsAreClaimedAndCompletedLikeAnyOther() {
        QueueStats before = piped.stats();
        assertThat(enqueuer.enqueueAll(List.of(new PipelinedEnqueuer.Event(42, "x1", "first"),
                new PipelinedEnqueuer.Event(42, "x2", "second")))).containsOnly(ResultCode.QUEUED);
        int p = pipedKeys.partitionOf(42);
        ClaimedJob head = piped.claim(p, "w/t", 10).jobs().get(0);
        assertThat(head.payload()).isEqualTo("first");
        LaneQueue.Completion c = piped.complete(head, "w/t", true);
        assertThat(c.code()).isEqualTo(ResultCode.CONTINUE);
        assertThat(c.next().payload()).isEqualTo("second");
        assertThat(piped.complete(c.next(), "w/t", true).code()).isEqualTo(ResultCode.DONE);
        assertThat(piped.stats().completed()).isEqualTo(before.completed() + 2);
        assertThat(piped.stats().waiting()).isZero();
    }

    @Test
    void aFlushedScriptCacheIsReloadedAndNothingIsLostOrDoubled() {
        redis.scriptFlush();
        List<ResultCode> r = enqueuer.enqueueAll(List.of(new PipelinedEnqueuer.Event(9, "y1", "a"),
                new PipelinedEnqueuer.Event(9, "y2", "b")));
        assertThat(r).containsExactly(ResultCode.QUEUED, ResultCode.QUEUED);
        assertThat(redis.llen(pipedKeys.lane(pipedKeys.partitionOf(9), 9))).isEqualTo(2);
    }

    /** The payloads of a lane's jobs, head first, drained through the queue's own scripts. */
    private static List<String> payloadsOfLane(LaneQueue q, Keys keys, long order) {
        List<String> out = new ArrayList<>();
        int p = keys.partitionOf(order);
        for (String jobId : TestServers.get().redis().lrange(keys.lane(p, order), 0, -1)) {
            Map<String, String> job = TestServers.get().redis().hgetAll(keys.job(p, jobId));
            assertThat(job).containsKeys("p", "a", "t");
            assertThat(job.get("a")).isEqualTo("0");
            out.add(job.get("p"));
        }
        return out;
    }
}
