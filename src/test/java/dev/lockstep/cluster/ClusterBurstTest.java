package dev.lockstep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockstep.audit.Anomalies;
import dev.lockstep.audit.AuditReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.burst.DirectFirer;
import dev.lockstep.embedded.Infrastructure;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.mode.LockstepPipeline;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.runtime.BurstRun;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.testing.OwnRedisCluster;
import dev.lockstep.testing.TestServers;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.worker.JobHandler;
import dev.lockstep.worker.LaneListener;
import dev.lockstep.worker.WorkerPool;
import dev.lockstep.worker.WorkerSettings;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The lockstep pipeline on a real three-master Redis Cluster (docs/DESIGN.md, "Redis Cluster"):
 * workers over every partition, the partitions spread over all masters, a burst audited clean,
 * and the wake-up of a partition reaching a subscriber connected to another master.
 */
@Tag("cluster")
class ClusterBurstTest {
    private static OwnRedisCluster cluster;
    private static UnifiedJedis redis;

    @BeforeAll
    static void startCluster() throws Exception {
        assumeTrue(OwnRedisCluster.available(), OwnRedisCluster.missingMessage());
        cluster = OwnRedisCluster.start();
        redis = Infrastructure.connectRedis(cluster.uri(), 64);
    }

    @AfterAll
    static void stopCluster() {
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static WorkerSettings settings(int threads) {
        return WorkerSettings.defaults().withThreads(threads).withWorkerId("cluster")
                .withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).withIdleWait(Duration.ofMillis(100))
                .withReapInterval(Duration.ofMillis(100));
    }

    /** The masters serving a queue's partitions (by the slot of each partition's hash tag). */
    static Set<Integer> mastersOf(Keys keys) {
        Set<Integer> owners = new TreeSet<>();
        for (int p = 0; p < keys.partitions(); p++) {
            owners.add(cluster.ownerOf(JedisClusterCRC16.getSlot(keys.ready(p))));
        }
        return owners;
    }

    /**
     * A run's reset (every burst and compare purges its queue first) on a cluster: SCAN is routed by
     * the pattern's hash tag, so every partition's keys go, on whichever master holds them — a dedup
     * bucket left behind would swallow the next run's deliveries as duplicates.
     */
    @Test
    void aPurgeRemovesEveryPartitionsKeysOnEveryMaster() {
        Keys keys = new Keys(TestServers.uniqueName("purge"), 16);
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofSeconds(30), Duration.ofMinutes(5));
        for (long order = 1; order <= 200; order++) {
            queue.enqueue(order, "k" + order, "e" + order);
        }
        assertThat(mastersOf(keys)).hasSize(3);
        assertThat(keysOfQueueOnEveryMaster(keys.queue())).isPositive();
        queue.purge();
        assertThat(keysOfQueueOnEveryMaster(keys.queue())).isZero();
        for (long order = 1; order <= 200; order++) {
            assertThat(queue.enqueue(order, "k" + order, "e" + order)).as("order %d after the purge", order)
                    .isNotEqualTo(dev.lockstep.queue.ResultCode.DUPLICATE);
        }
    }

    private static long keysOfQueueOnEveryMaster(String queueName) {
        long n = 0;
        for (int port : cluster.ports()) {
            try (Jedis node = cluster.node(port)) {
                n += node.keys(queueName + ":*").size();
            }
        }
        return n;
    }

    /** I1–I5 (docs/DESIGN.md, "Invariants") on a cluster: every event once, in order, nothing lost. */
    @Test
    void aBurstOverEveryPartitionOnThreeMastersHasNoAnomalies() throws Exception {
        Keys keys = new Keys(TestServers.uniqueName("q"), 16);
        assertThat(mastersOf(keys)).as("partitions spread over every master").hasSize(3);
        var db = TestServers.get().mongo().getDatabase(TestServers.uniqueName("db"));
        FencedOrderStore store = new FencedOrderStore(db);
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofSeconds(10), Duration.ofHours(1));
        AuditReport r;
        try (LockstepPipeline pipeline = new LockstepPipeline(redis, queue, store, EventJournal.DISABLED,
                PausedHolderFault.NONE, settings(8))) {
            r = BurstRun.run(BurstPlan.generate(BurstSpec.of(1000, 0.1, 0.3, 5)), pipeline, store,
                    new DirectFirer(pipeline), 32, Duration.ofSeconds(50), BurstRun.ProgressListener.NONE);
        }
        assertThat(r.accepted()).isGreaterThan(2000);
        assertThat(r.anomalies()).isEqualTo(Anomalies.NONE);
        assertThat(r.handled()).isEqualTo(r.accepted());
        assertThat(r.integrity()).isTrue();
        // every master really holds some of the queue's partitions
        Set<Integer> holding = new TreeSet<>();
        for (int p = 0; p < keys.partitions(); p++) {
            for (int port : cluster.ports()) {
                try (Jedis node = cluster.node(port)) {
                    if (node.clusterCountKeysInSlot(JedisClusterCRC16.getSlot(keys.stats(p))) > 0) {
                        holding.add(port);
                    }
                }
            }
        }
        assertThat(holding).containsExactlyInAnyOrderElementsOf(cluster.ports());
        queue.purge();
    }

    /**
     * An idle worker on the cluster (its next look without a wake-up 50 s away, no reaper pass
     * before a minute) takes an event of every partition within seconds: each partition's wake-up,
     * published on whichever master serves it, reaches the worker's subscription.
     */
    @Test
    void aWakeUpOfEveryPartitionReachesAnIdleWorker() throws Exception {
        Keys keys = new Keys(TestServers.uniqueName("q"), 16);
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofSeconds(60), Duration.ofHours(1));
        BlockingQueue<Long> handled = new LinkedBlockingQueue<>();
        JobHandler handler = (job, lease) -> {
            handled.add(job.orderId());
            return ApplyResult.APPLIED;
        };
        WorkerSettings idle = settings(2).withIdleWait(Duration.ofSeconds(1)).withReapInterval(Duration.ofSeconds(60));
        try (WorkerPool pool = new WorkerPool(redis, queue, handler, new LaneListener() { }, idle, "wake")) {
            pool.start();
            long order = 1;
            for (int p = 0; p < keys.partitions(); p++) {
                while (keys.partitionOf(order) != p) {
                    order++;
                }
                queue.enqueue(order, "shop|orders/create|" + order, "x");
                assertThat(handled.poll(10, TimeUnit.SECONDS)).as("event of partition %d (master %d) handled", p,
                        cluster.ownerOf(JedisClusterCRC16.getSlot(keys.ready(p)))).isEqualTo(order);
                order++;
            }
        } finally {
            queue.purge();
        }
    }
}
