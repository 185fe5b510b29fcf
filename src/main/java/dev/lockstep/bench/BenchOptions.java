package dev.lockstep.bench;

import dev.lockstep.worker.WorkerSettings;
import picocli.CommandLine.Option;

/** The workload flags the bench commands share. */
public final class BenchOptions {

    @Option(names = "--events", paramLabel = "N", description = "Events to enqueue and complete (default ${DEFAULT-VALUE}).")
    int events = BenchSpec.DEFAULT_EVENTS;

    @Option(names = "--orders", paramLabel = "N", description = "Orders the events are spread over; each order's events consecutive unless --round-robin (default ${DEFAULT-VALUE}).")
    int orders = BenchSpec.DEFAULT_ORDERS;

    @Option(names = "--round-robin", description = "Event i goes to order (i mod orders) + 1 (an order's events far apart) instead of an order's events one after another.")
    boolean roundRobin;

    @Option(names = "--producers", paramLabel = "N", description = "Enqueuing threads, each enqueuing one event at a time as a webhook does (default ${DEFAULT-VALUE}).")
    int producers = BenchSpec.DEFAULT_PRODUCERS;

    @Option(names = "--workers", paramLabel = "N", description = "Handler threads of the worker pool; BullMQ worker concurrency (default ${DEFAULT-VALUE}).")
    int workers = BenchSpec.DEFAULT_WORKERS;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the lane keyspace (default ${DEFAULT-VALUE}).")
    int partitions = BenchSpec.DEFAULT_PARTITIONS;

    @Option(names = "--enqueue-batch", paramLabel = "N", description = "1 = the webhook path (GroupCommitEnqueuer, one event per call); more = LaneQueue.enqueueAll of this many events per call (default ${DEFAULT-VALUE}).")
    int enqueueBatch = 1;

    @Option(names = "--phased", description = "Enqueue everything first, then drain (separates the two costs).")
    boolean phased;

    @Option(names = "--max-continue", paramLabel = "N", description = "Jobs a holder runs from one lane before handing it back (default ${DEFAULT-VALUE}).")
    int maxContinue = WorkerSettings.DEFAULT_MAX_CONTINUE;

    @Option(names = "--timeout-seconds", paramLabel = "S", description = "Longest a run may take before it is reported incomplete (default ${DEFAULT-VALUE}).")
    long timeoutSeconds = 600;

    @Option(names = "--redis-connections", paramLabel = "N", description = "Jedis pool size; default: workers x 2 + 32, as the worker process sizes it.")
    Integer redisConnections;

    @Option(names = "--warmup", paramLabel = "N", description = "Events of an untimed run first, to warm up the JIT (default ${DEFAULT-VALUE}; 0 = none).")
    int warmup = 20_000;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    /** The workload these flags describe; a bad value gets an IllegalArgumentException naming it. */
    public BenchSpec spec() {
        return new BenchSpec(events, orders, producers, workers, partitions, enqueueBatch, phased, maxContinue,
                BenchSpec.DEFAULT_LEASE_MS, timeoutSeconds, BenchSpec.freshQueueName(), roundRobin);
    }

    public int redisConnections() {
        int n = redisConnections != null ? redisConnections : workers * 2 + 32;
        if (n < 4) {
            throw new IllegalArgumentException("--redis-connections must be >= 4: " + n);
        }
        return n;
    }

    /** A small untimed run of the same shape, or null when switched off. */
    public BenchSpec warmupSpec() {
        if (warmup <= 0) {
            return null;
        }
        int n = Math.min(warmup, events);
        return spec().withEvents(n, Math.max(1, Math.min(orders, n / Math.max(1, events / orders))))
                .withQueueName(BenchSpec.freshQueueName());
    }
}
