package dev.lockstep.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.testing.OwnRedisServer;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;

/** The group commit's futures: one answer per event, a bounded wait list, nothing left hanging at close. */
class GroupCommitEnqueuerTest {

    @Test
    void eachEventGetsItsOwnAnswer() throws Exception {
        LaneQueue queue = new LaneQueue(TestServers.get().redis(), new Keys(TestServers.uniqueName("q"), 4),
                Duration.ofSeconds(30), Duration.ofMinutes(5));
        try (GroupCommitEnqueuer enqueuer = new GroupCommitEnqueuer(queue, 1, 10_000, "gc-test")) {
            List<CompletableFuture<ResultCode>> answers = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                answers.add(enqueuer.enqueueAsync(1 + i % 50, "d" + (i % 200), "p" + i));
            }
            long queued = 0;
            for (CompletableFuture<ResultCode> a : answers) {
                queued += a.get(10, TimeUnit.SECONDS) == ResultCode.QUEUED ? 1 : 0;
            }
            assertThat(queued).isEqualTo(200);
            assertThat(enqueuer.enqueue(1, "d0", "again")).as("the same order and dedup key").isEqualTo(ResultCode.DUPLICATE);
        } finally {
            queue.purge();
        }
    }

    /**
     * While Redis does not answer, at most MAX_WAITING events wait; the next is refused at once (the
     * webhook gets 503 and its provider sends it again) and the waiting ones are all answered later.
     */
    @Test
    void theWaitListIsBoundedWhileRedisDoesNotAnswer() throws Exception {
        assumeTrue(OwnRedisServer.available(), "needs " + OwnRedisServer.BINARY);
        try (OwnRedisServer server = OwnRedisServer.start();
             JedisPooled redis = new JedisPooled(new HostAndPort("127.0.0.1", server.port()));
             Jedis admin = new Jedis("127.0.0.1", server.port())) {
            LaneQueue queue = new LaneQueue(redis, new Keys("gc-bound", 4), Duration.ofSeconds(30), Duration.ofMinutes(5));
            queue.enqueue(1, "warm", "p"); // the script is loaded before the pause
            try (GroupCommitEnqueuer enqueuer = new GroupCommitEnqueuer(queue, 1, 30_000, "gc-bound")) {
                admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "1500", "ALL"); // ends by itself
                List<CompletableFuture<ResultCode>> waiting = new ArrayList<>();
                CompletableFuture<ResultCode> first = enqueuer.enqueueAsync(2, "first", "p");
                // the first batch is on the wire, held by the pause: the rest wait for the next one
                await().atMost(Duration.ofSeconds(2)).until(() -> enqueuer.waitingCount() == 0);
                for (int i = 0; i < GroupCommitEnqueuer.MAX_WAITING; i++) {
                    waiting.add(enqueuer.enqueueAsync(10 + i, "w" + i, "p"));
                }
                CompletableFuture<ResultCode> refused = enqueuer.enqueueAsync(5, "one-too-many", "p");
                assertThat(refused).isCompletedExceptionally();
                assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(GroupCommitEnqueuer.QueueWriteException.class)
                        .hasMessageContaining("already wait");
                assertThat(first).isNotDone();

                assertThat(first.get(20, TimeUnit.SECONDS)).isEqualTo(ResultCode.QUEUED);
                for (CompletableFuture<ResultCode> w : waiting) {
                    assertThat(w.get(20, TimeUnit.SECONDS)).isEqualTo(ResultCode.QUEUED);
                }
            }
        }
    }

    @Test
    void anEnqueueAfterCloseIsRefusedNotLeftWaiting() {
        LaneQueue queue = new LaneQueue(TestServers.get().redis(), new Keys(TestServers.uniqueName("q"), 2),
                Duration.ofSeconds(30), Duration.ofMinutes(5));
        GroupCommitEnqueuer enqueuer = new GroupCommitEnqueuer(queue, 1, 10_000, "gc-closed");
        enqueuer.close();
        CompletableFuture<ResultCode> late = enqueuer.enqueueAsync(1, "late", "p");
        assertThat(late).isCompletedExceptionally();
        assertThatThrownBy(() -> enqueuer.enqueue(1, "late", "p")).isInstanceOf(GroupCommitEnqueuer.QueueWriteException.class);
    }
}
