package dev.lockstep.bench;

import dev.lockstep.worker.WorkerSettings;
import java.util.UUID;

/**
 * One queue benchmark run: {@code events} events over {@code orders} orders, enqueued by
 * {@code producers} threads while (or, {@code phased}, before) a worker pool with {@code workers}
 * handler threads drains them with a no-op handler. By default each order's events are consecutive
 * (the flash sale: an order's create/paid/updated webhooks arrive together, so they are in its lane
 * at once); {@code roundRobin} spreads them instead (event i goes to order {@code i % orders + 1},
 * an order's events far apart).
 *
 * @param events         events to enqueue and complete
 * @param orders         orders (lanes) the events are spread over
 * @param producers      enqueuing threads; each owns the orders {@code o} with {@code (o - 1) % producers == k},
 *                       so every order's acceptance order is its event order
 * @param workers        handler threads of the worker pool
 * @param lanes          lanes the pool holds at once (the worker's worker.lanes; at least {@code workers})
 * @param partitions     partitions of the lane keyspace
 * @param enqueueBatch   1: one {@code LaneQueue.enqueue} round trip per event; more: the same enqueue
 *                       script pipelined in batches of this size
 * @param phased         enqueue everything first, then start the pool (separates enqueue and drain costs)
 * @param maxContinue    jobs a holder runs from one lane before handing it back
 * @param leaseMs        lease of a claimed lane
 * @param timeoutSeconds longest the drain may take before the run is reported incomplete
 * @param queueName      Redis key prefix of the run (fresh per run)
 * @param roundRobin     event i goes to order {@code i % orders + 1}; otherwise to order
 *                       {@code i * orders / events + 1} (an order's events consecutive)
 */
public record BenchSpec(int events, int orders, int producers, int workers, int lanes, int partitions, int enqueueBatch,
                        boolean phased, int maxContinue, long leaseMs, long timeoutSeconds, String queueName,
                        boolean roundRobin) {

    public static final int DEFAULT_EVENTS = 45_000;
    public static final int DEFAULT_ORDERS = 15_000;
    public static final int DEFAULT_PRODUCERS = 64;
    public static final int DEFAULT_WORKERS = 8;
    /** The packaged worker.lanes. */
    public static final int DEFAULT_LANES = WorkerSettings.defaults().lanes();
    public static final int DEFAULT_PARTITIONS = 16;
    public static final long DEFAULT_LEASE_MS = 10_000;

    public BenchSpec {
        require(events >= 1, "events must be >= 1: " + events);
        require(orders >= 1 && orders <= events, "orders must be 1..events: " + orders);
        require(producers >= 1 && producers <= 256, "producers must be 1..256: " + producers);
        require(workers >= 1 && workers <= 1024, "workers must be 1..1024: " + workers);
        require(lanes >= 1 && lanes <= 4096, "lanes must be 1..4096: " + lanes);
        require(partitions >= 1 && partitions <= 1024, "partitions must be 1..1024: " + partitions);
        require(enqueueBatch >= 1 && enqueueBatch <= 10_000, "enqueue batch must be 1..10000: " + enqueueBatch);
        require(maxContinue >= 1, "maxContinue must be >= 1: " + maxContinue);
        require(leaseMs >= 100, "lease must be >= 100 ms: " + leaseMs);
        require(timeoutSeconds >= 1, "timeout must be >= 1 s: " + timeoutSeconds);
        require(queueName != null && queueName.matches("[A-Za-z0-9_.-]+"),
                "queue name must be letters, digits, '_', '.' or '-': " + queueName);
    }

    /** The defaults: the flash sale, 45k events over 15k orders (3 each, consecutive), 64 producers, 8 handler threads, 16 partitions, group commit. */
    public static BenchSpec defaults() {
        return new BenchSpec(DEFAULT_EVENTS, DEFAULT_ORDERS, DEFAULT_PRODUCERS, DEFAULT_WORKERS, DEFAULT_LANES, DEFAULT_PARTITIONS,
                1, false, WorkerSettings.DEFAULT_MAX_CONTINUE, DEFAULT_LEASE_MS, 600, freshQueueName(), false);
    }

    /** A queue name no other run uses. */
    public static String freshQueueName() {
        return "bench-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    public BenchSpec withEvents(int n, int o) {
        return new BenchSpec(n, o, producers, workers, lanes, partitions, enqueueBatch, phased, maxContinue, leaseMs,
                timeoutSeconds, queueName, roundRobin);
    }

    public BenchSpec withThreads(int producerThreads, int workerThreads) {
        return new BenchSpec(events, orders, producerThreads, workerThreads, lanes, partitions, enqueueBatch, phased,
                maxContinue, leaseMs, timeoutSeconds, queueName, roundRobin);
    }

    public BenchSpec withPartitions(int n) {
        return new BenchSpec(events, orders, producers, workers, lanes, n, enqueueBatch, phased, maxContinue, leaseMs,
                timeoutSeconds, queueName, roundRobin);
    }

    public BenchSpec withEnqueueBatch(int n) {
        return new BenchSpec(events, orders, producers, workers, lanes, partitions, n, phased, maxContinue, leaseMs,
                timeoutSeconds, queueName, roundRobin);
    }

    public BenchSpec withPhased(boolean p) {
        return new BenchSpec(events, orders, producers, workers, lanes, partitions, enqueueBatch, p, maxContinue, leaseMs,
                timeoutSeconds, queueName, roundRobin);
    }

    public BenchSpec withMaxContinue(int n) {
        return new BenchSpec(events, orders, producers, workers, lanes, partitions, enqueueBatch, phased, n, leaseMs,
                timeoutSeconds, queueName, roundRobin);
    }

    public BenchSpec withTimeoutSeconds(long s) {
        return new BenchSpec(events, orders, producers, workers, lanes, partitions, enqueueBatch, phased, maxContinue,
                leaseMs, s, queueName, roundRobin);
    }

    public BenchSpec withQueueName(String name) {
        return new BenchSpec(events, orders, producers, workers, lanes, partitions, enqueueBatch, phased, maxContinue,
                leaseMs, timeoutSeconds, name, roundRobin);
    }

    public BenchSpec withRoundRobin(boolean r) {
        return new BenchSpec(events, orders, producers, workers, lanes, partitions, enqueueBatch, phased, maxContinue,
                leaseMs, timeoutSeconds, queueName, r);
    }

    /** The order of event {@code i} (0-based), ids from 1: see {@link #roundRobin()}. */
    public long orderOf(int i) {
        return roundRobin ? i % orders + 1L : (long) i * orders / events + 1L;
    }

    /** "grouped" or "round-robin", as bench.mjs's --layout takes it. */
    public String layout() {
        return roundRobin ? "round-robin" : "grouped";
    }

    /** The producer that enqueues order {@code orderId}'s events. */
    public int producerOf(long orderId) {
        return (int) ((orderId - 1) % producers);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
