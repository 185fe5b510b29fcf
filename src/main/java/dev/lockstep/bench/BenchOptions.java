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

    @Option(names = "--producers", paramLabel = "N", description = "Producers, each like one connection of the ingest: one event at a time, the next once the answer is in (default ${DEFAULT-VALUE}).")
    int producers = BenchSpec.DEFAULT_PRODUCERS;

    @Option(names = "--workers", paramLabel = "N", description = "Handler threads of the worker pool (default ${DEFAULT-VALUE}, the worker's worker.threads); bench-compare runs BullMQ at --bullmq-concurrency.")
    int workers = BenchSpec.DEFAULT_WORKERS;

    @Option(names = "--lanes", paramLabel = "N", description = "Lanes the worker pool holds at once, claimed ahead of its threads (default ${DEFAULT-VALUE}, the worker's worker.lanes; at least --workers).")
    int lanes = BenchSpec.DEFAULT_LANES;

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

    @Option(names = "--warmup", paramLabel = "N", description = "Events of each of two untimed runs first, to warm up the JIT; bench-compare warms BullMQ's node the same way (default ${DEFAULT-VALUE}; 0 = none).")
    int warmup = 150_000;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    /** The workload these flags describe; a bad value gets an IllegalArgumentException naming it. */
    public BenchSpec spec() {
        return new BenchSpec(events, orders, producers, workers, lanes, partitions, enqueueBatch, phased, maxContinue,
                BenchSpec.DEFAULT_LEASE_MS, timeoutSeconds, BenchSpec.freshQueueName(), roundRobin);
    }

    public int redisConnections() {
        int n = redisConnections != null ? redisConnections : workers * 2 + 32;
        if (n < 4) {
            throw new IllegalArgumentException("--redis-connections must be >= 4: " + n);
        }
        return n;
    }

    /**
     * Untimed runs of the same shape ({@code warmup} events each, as many per order), none when
     * switched off. Two, because the JIT's code from one run meets branches at the next run's
     * start (a new queue's first calls) that it had not seen, throws it away and compiles the hot
     * methods again: with one warm-up that recompilation (about 1.3 CPU-seconds of C2) fell inside
     * the timed run, which a long-running worker pays once, not per run.
     */
    public java.util.List<BenchSpec> warmupSpecs() {
        if (warmup <= 0) {
            return java.util.List.of();
        }
        int perOrder = Math.max(1, events / orders);
        java.util.List<BenchSpec> runs = new java.util.ArrayList<>();
        for (int i = 0; i < WARMUP_RUNS; i++) {
            runs.add(spec().withEvents(warmup, Math.max(1, warmup / perOrder)).withQueueName(BenchSpec.freshQueueName()));
        }
        return runs;
    }

    static final int WARMUP_RUNS = 2;
}
