package dev.lockstep.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * An operator's Pause on a running worker pool (docs/DESIGN.md, "Glossary", a lane's states): the
 * holder finishes the event it is on, the lane is not continued or claimed again while paused, and
 * after Resume its events run on, in order, once each.
 */
class PausedLaneWorkerTest {
    private final UnifiedJedis redis = TestServers.get().redis();

    @Test
    void aPausedLaneStopsAfterItsHoldersEventAndRunsOnInOrderAfterResume() throws Exception {
        Keys keys = new Keys(TestServers.uniqueName("q"), 2);
        // one entry per claim, so "the events it has taken" is exactly the one being handled
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofSeconds(10), Duration.ofMinutes(5), 1);
        List<String> applied = new CopyOnWriteArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch letFirstFinish = new CountDownLatch(1);
        JobHandler handler = (job, lease) -> {
            if (job.payload().equals("7:1")) {
                firstStarted.countDown();
                letFirstFinish.await(10, TimeUnit.SECONDS);
            }
            applied.add(job.payload());
            return ApplyResult.APPLIED;
        };
        List<String> completed = new CopyOnWriteArrayList<>();
        LaneListener listener = new LaneListener() {
            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completed.add(job.payload());
            }
        };
        WorkerSettings settings = WorkerSettings.defaults().withThreads(3).withWorkerId("p")
                .withIdleWait(Duration.ofMillis(100)).withReapInterval(Duration.ofMillis(50));
        try (WorkerPool pool = new WorkerPool(redis, queue, handler, listener, settings, "p")) {
            for (int seq = 1; seq <= 4; seq++) {
                queue.enqueue(7, "7-" + seq, "7:" + seq);
            }
            pool.start();
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            queue.pause(7);
            letFirstFinish.countDown();

            // the holder's event is recorded, and the lane goes no further while paused
            await().atMost(Duration.ofSeconds(10)).until(() -> completed.contains("7:1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> queue.stats().leasedLanes() == 0
                    && queue.paused(10).get(0).heldBack());
            // other orders keep flowing meanwhile; the paused one does not move
            queue.enqueue(8, "8-1", "8:1");
            await().atMost(Duration.ofSeconds(10)).until(() -> completed.contains("8:1"));
            assertThat(applied).filteredOn(p -> p.startsWith("7:")).containsExactly("7:1");
            assertThat(queue.paused(10)).singleElement().satisfies(l -> assertThat(l.depth()).isEqualTo(3));

            assertThat(queue.resume(7)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> completed.size() == 5);
        }
        assertThat(applied).filteredOn(p -> p.startsWith("7:")).containsExactly("7:1", "7:2", "7:3", "7:4");
        assertThat(queue.stats().waiting()).isZero();
        assertThat(queue.paused(10)).isEmpty();
        queue.purge();
    }
}
