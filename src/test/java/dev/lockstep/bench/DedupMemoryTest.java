package dev.lockstep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.queue.KeyPurge;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ResultCode;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * What dedup costs in Redis: after 100,000 accepted events with unique dedup keys, the dedup
 * buckets ({@code <queue>:{p}:d:<n>}) hold at most 100 bytes per event by MEMORY USAGE. The
 * benchmark prints the same figure for its runs (BenchResult.MemoryUsage).
 */
class DedupMemoryTest {
    private static final int EVENTS = 100_000;
    private static final int BATCH = 2_000;
    static final double MAX_DEDUP_BYTES_PER_EVENT = 100;

    private final UnifiedJedis redis = TestServers.get().redis();

    @Test
    void dedupStateCostsAtMostOneHundredBytesPerAcceptedEvent() {
        String name = TestServers.uniqueName("dedupmem");
        Keys keys = new Keys(name, 16);
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofSeconds(10), Duration.ofHours(24));
        try {
            long queued = 0;
            for (int from = 0; from < EVENTS; from += BATCH) {
                List<LaneQueue.Enqueue> batch = new ArrayList<>(BATCH);
                for (int i = from; i < from + BATCH; i++) {
                    batch.add(new LaneQueue.Enqueue(i % 5_000 + 1, BenchPayload.dedupKey(i), "x"));
                }
                queued += queue.enqueueAll(batch).stream().filter(r -> r == ResultCode.QUEUED).count();
            }
            assertThat(queued).isEqualTo(EVENTS);

            long bytes = 0;
            int buckets = 0;
            ScanParams match = new ScanParams().match(KeyPurge.literal(name + ":") + "*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, match);
                for (String key : page.getResult()) {
                    if ("d".equals(QueueBench.kindOf(key))) {
                        bytes += redis.memoryUsage(key, 0);
                        buckets++;
                    }
                }
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));

            double perEvent = (double) bytes / queued;
            System.out.printf("dedup: %d buckets, %,d B, %.1f B per accepted event%n", buckets, bytes, perEvent);
            assertThat(buckets).isBetween(16, 32);
            assertThat(perEvent).as("dedup bytes per accepted event").isLessThanOrEqualTo(MAX_DEDUP_BYTES_PER_EVENT);
        } finally {
            KeyPurge.deleteMatching(redis, KeyPurge.literal(name + ":") + "*");
        }
    }
}
