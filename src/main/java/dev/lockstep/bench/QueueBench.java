package dev.lockstep.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.lockstep.queue.GroupCommitEnqueuer;
import dev.lockstep.queue.KeyPurge;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.QueueStats;
import dev.lockstep.worker.WorkerPool;
import dev.lockstep.worker.WorkerSettings;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Throughput of the lane queue end to end: producers enqueue {@link BenchSpec#events()} events
 * while a {@link WorkerPool} with a no-op handler drains them; measures wall time, rates, Redis
 * commands, round trips and CPU per event, and checks every event completed exactly once, in
 * order per order, and that the queue is empty afterwards. Needs a standalone Redis (the INFO
 * figures are one server's).
 */
public final class QueueBench {
    private static final Logger log = LoggerFactory.getLogger(QueueBench.class);
    private static final Duration DEDUP_TTL = Duration.ofHours(1);

    private QueueBench() {
    }

    /** Runs one benchmark on {@code redis} and deletes the run's keys afterwards. */
    public static BenchResult run(BenchSpec spec, UnifiedJedis redis) {
        MachineInfo machine = MachineInfo.of(redis);
        Keys keys = new Keys(spec.queueName(), spec.partitions());
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofMillis(spec.leaseMs()), DEDUP_TTL);
        List<ProducerWork> work = ProducerWork.plan(spec);
        CompletionTally tally = new CompletionTally(spec.events(), spec.orders());
        GroupCommitEnqueuer groupCommit = new GroupCommitEnqueuer(queue, 1, 30_000, spec.queueName());
        Enqueuer enqueuer = spec.enqueueBatch() > 1
                ? new Enqueuer.Bulk(queue, spec.enqueueBatch())
                : new Enqueuer.GroupCommit(groupCommit);
        AtomicLong notQueued = new AtomicLong();
        WorkerSettings settings = WorkerSettings.defaults().withThreads(spec.workers())
                .withReapIntervalFor(Duration.ofMillis(spec.leaseMs())).withMaxContinue(spec.maxContinue())
                .withLanes(spec.lanes());
        try {
            Window w;
            long usedBefore = usedMemory(redis);
            try (WorkerPool pool = new WorkerPool(redis, queue, tally.handler(), tally, settings, spec.queueName())) {
                w = timedRun(spec, redis, pool, work, enqueuer, tally, notQueued);
            }
            QueueLeft left = verifyEmpty(redis, queue, spec);
            BenchResult.MemoryUsage memory = memory(redis, spec, usedBefore, left);
            return result(spec, machine, work, tally, notQueued.get(), w, left, memory);
        } finally {
            groupCommit.close();
            KeyPurge.deleteMatching(redis, KeyPurge.literal(spec.queueName() + ":") + "*");
        }
    }

    /** The counters and clocks of one timed run. */
    private record Window(long t0, long enqueueDone, long drainStart, long end, RedisCounters before,
                          RedisCounters afterEnqueue, RedisCounters after, long jvmCpuNanos, long jvmSysNanos,
                          long gcMillis, boolean finished) {
    }

    private static Window timedRun(BenchSpec spec, UnifiedJedis redis, WorkerPool pool, List<ProducerWork> work,
                                   Enqueuer enqueuer, CompletionTally tally, AtomicLong notQueued) {
        if (!spec.phased()) {
            pool.start();
        }
        ExecutorService producers = Executors.newFixedThreadPool(spec.producers(), r -> {
            Thread t = new Thread(r, spec.queueName() + "-producer");
            t.setDaemon(true);
            return t;
        });
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (ProducerWork pw : work) {
                running.add(producers.submit(() -> {
                    go.await();
                    pw.enqueue(enqueuer, notQueued);
                    return null;
                }));
            }
            RedisCounters before = RedisCounters.read(redis);
            long cpu0 = jvmCpuNanos();
            long sys0 = ProcessTimes.sysNanos();
            long gc0 = gcMillis();
            long t0 = System.nanoTime();
            go.countDown();
            for (Future<?> f : running) {
                f.get();
            }
            long enqueueDone = System.nanoTime();
            RedisCounters afterEnqueue = spec.phased() ? RedisCounters.read(redis) : null;
            long drainStart = spec.phased() ? System.nanoTime() : t0;
            if (spec.phased()) {
                pool.start();
            }
            boolean finished = tally.awaitAll(spec.timeoutSeconds(), TimeUnit.SECONDS);
            // a worker can complete the last event before its producer thread wakes up from the enqueue
            // answer: the run ends when both the last completion and the last enqueue answer are in
            long end = finished ? Math.max(tally.lastCompletionNanos(), enqueueDone) : System.nanoTime();
            RedisCounters after = RedisCounters.read(redis);
            long cpu = jvmCpuNanos() - cpu0;
            long sys = sys0 < 0 ? -1 : ProcessTimes.sysNanos() - sys0;
            long gc = gcMillis() - gc0;
            if (!finished) {
                log.warn("{}: only {} of {} events completed within {} s", spec.queueName(), tally.completed(),
                        spec.events(), spec.timeoutSeconds());
            }
            return new Window(t0, enqueueDone, drainStart, end, before, afterEnqueue, after, cpu, sys, gc, finished);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("benchmark interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a producer failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            producers.shutdownNow();
        }
    }

    private static BenchResult result(BenchSpec spec, MachineInfo machine, List<ProducerWork> work,
                                      CompletionTally tally, long notQueued, Window w, QueueLeft left,
                                      BenchResult.MemoryUsage memory) {
        long n = spec.events();
        double wall = (w.end - w.t0) / 1e9;
        double enqueue = (w.enqueueDone - w.t0) / 1e9;
        double drain = (w.end - w.drainStart) / 1e9;
        BenchResult.Timing timing = new BenchResult.Timing(BenchResult.round(wall), rate(n, wall),
                BenchResult.round(enqueue), rate(n, enqueue), BenchResult.round(drain), rate(n, drain));
        BenchResult.RedisUsage whole = BenchResult.RedisUsage.of(w.after.since(w.before), n, wall, 2);
        BenchResult.RedisUsage enqueuePhase = null;
        BenchResult.RedisUsage drainPhase = null;
        if (w.afterEnqueue != null) {
            enqueuePhase = BenchResult.RedisUsage.of(w.afterEnqueue.since(w.before), n, enqueue, 1);
            drainPhase = BenchResult.RedisUsage.of(w.after.since(w.afterEnqueue), n, drain, 1);
        }
        BenchResult.ClientUsage client = new BenchResult.ClientUsage(BenchResult.round(w.jvmCpuNanos / 1e3 / n),
                w.jvmSysNanos < 0 ? -1 : BenchResult.round(w.jvmSysNanos / 1e3 / n), BenchResult.round(wall > 0 ? w.jvmCpuNanos / 1e9 / wall : 0), w.gcMillis,
                BenchResult.round((double) tally.laneRuns() / n));
        BenchResult.Correctness correctness = new BenchResult.Correctness(tally.completed(), tally.missing(),
                tally.duplicates(), tally.outOfOrder(), tally.overlaps(), tally.leaseTrouble(), notQueued,
                left.stats.enqueued(), left.stats.completed(), left.stats.waiting(),
                left.stats.readyLanes() + left.stats.leasedLanes() + left.stats.delayedLanes()
                        + left.stats.parkedLanes(),
                left.laneKeys, left.jobKeys);
        return new BenchResult(spec, machine, ProducerWork.meanPayloadBytes(work), timing, whole, enqueuePhase,
                drainPhase, client, correctness, memory);
    }

    private static double rate(long n, double seconds) {
        return seconds > 0 ? Math.round(n / seconds) : 0;
    }

    /**
     * What the run left in Redis.
     *
     * @param keysByKind key count by kind: the part after {@code }:} up to the next ':' (d = dedup
     *                   bucket, l = lane, s = stats, n = token sequence, ...), "queue" for keys
     *                   outside the partitions
     * @param dedupKeys  the dedup bucket keys
     */
    private record QueueLeft(QueueStats stats, long laneKeys, long jobKeys, Map<String, Long> keysByKind,
                             List<String> dedupKeys) {
    }

    private static QueueLeft verifyEmpty(UnifiedJedis redis, LaneQueue queue, BenchSpec spec) {
        long lanes = 0;
        long jobs = 0;
        Map<String, Long> kinds = new TreeMap<>();
        List<String> dedup = new ArrayList<>();
        ScanParams params = new ScanParams().match(KeyPurge.literal(spec.queueName() + ":") + "*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = redis.scan(cursor, params);
            for (String key : page.getResult()) {
                String kind = kindOf(key);
                kinds.merge(kind, 1L, Long::sum);
                switch (kind) {
                    case "l" -> lanes++;
                    case "job" -> jobs++;
                    case "d" -> dedup.add(key);
                    default -> {
                    }
                }
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return new QueueLeft(queue.stats(), lanes, jobs, kinds, dedup);
    }

    /** {@code <q>:{p}:l:42} -> "l", {@code <q>:{p}:s} -> "s", {@code <q>:partitions} -> "queue". */
    static String kindOf(String key) {
        int at = key.indexOf("}:");
        if (at < 0) {
            return "queue";
        }
        String rest = key.substring(at + 2);
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    /** used_memory after the drained run minus before it, and the dedup buckets' own MEMORY USAGE. */
    private static BenchResult.MemoryUsage memory(UnifiedJedis redis, BenchSpec spec, long usedBefore, QueueLeft left) {
        long usedAfter = usedMemory(redis);
        long dedupBytes = 0;
        for (String key : left.dedupKeys()) {
            Long b = redis.memoryUsage(key, 0);
            dedupBytes += b == null ? 0 : b;
        }
        long perOrderKeys = left.keysByKind().entrySet().stream()
                .filter(e -> !PARTITION_KEY_KINDS.contains(e.getKey()) && !"queue".equals(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        double n = spec.events();
        return new BenchResult.MemoryUsage(usedBefore, usedAfter, BenchResult.round((usedAfter - usedBefore) / n),
                left.dedupKeys().size(), dedupBytes, BenchResult.round(dedupBytes / n), perOrderKeys, left.keysByKind());
    }

    /**
     * Kinds of key of which a partition has at most one (d: buckets are a few per partition; o: the
     * reaper's sweep cursor; h: paused lanes).
     */
    private static final java.util.Set<String> PARTITION_KEY_KINDS =
            java.util.Set.of("d", "r", "k", "v", "n", "y", "z", "f", "s", "u", "o", "h");

    static long usedMemory(UnifiedJedis redis) {
        for (String line : redis.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        return -1;
    }

    private static long jvmCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }
}
