package dev.lockstep.cli;

import dev.lockstep.ingest.HealthProbe;
import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.QueueUnavailableException;
import dev.lockstep.pipeline.RunCounters;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What a worker's ingest serves before its runtime is up: it starts while the worker still waits
 * up to {@code wait.seconds} for an external Redis/MongoDB, so {@code /health} answers 503 naming the
 * server it waits for (instead of the port refusing connections) and a webhook is answered 503 (the
 * provider retries it). Once {@link #ready} hands it the pipeline and the runtime's probe, it forwards
 * to them.
 */
final class StartingIngest implements Pipeline, HealthProbe, Consumer<String> {
    private final Mode mode;
    private volatile Pipeline pipeline;
    private volatile HealthProbe health;
    /** Past the wait for Redis: the runtime waits for Redis first, then MongoDB. */
    private volatile boolean redisAnswered;
    private volatile String waitingFor = "starting";

    StartingIngest(Mode mode) {
        this.mode = mode;
    }

    /** The runtime's start steps ("waiting for MongoDB at …"): what the answers say it waits for. */
    @Override
    public void accept(String step) {
        waitingFor = step;
        if (step.startsWith("waiting for MongoDB")) {
            redisAnswered = true;
        }
    }

    /** The runtime is up: forward to its pipeline and its servers' health from now on. */
    void ready(Pipeline started, HealthProbe probe) {
        health = probe;
        pipeline = started;
    }

    @Override
    public boolean redisUp() {
        HealthProbe h = health;
        return h != null ? h.redisUp() : redisAnswered;
    }

    @Override
    public boolean mongoUp() {
        HealthProbe h = health;
        return h != null && h.mongoUp();
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public void start() {
        // the real pipeline is started by the worker
    }

    @Override
    public AcceptResult accept(Delivery delivery) {
        Pipeline p = pipeline;
        if (p == null) {
            throw new QueueUnavailableException("the worker is starting (" + waitingFor + ")", null);
        }
        return p.accept(delivery);
    }

    @Override
    public java.util.concurrent.CompletableFuture<AcceptResult> acceptAsync(Delivery delivery) {
        Pipeline p = pipeline;
        if (p == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new QueueUnavailableException("the worker is starting (" + waitingFor + ")", null));
        }
        return p.acceptAsync(delivery);
    }

    @Override
    public RunCounters counters() {
        Pipeline p = pipeline;
        return p != null ? p.counters() : new RunCounters();
    }

    @Override
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        Pipeline p = pipeline;
        return p == null || p.awaitDrained(timeout);
    }

    @Override
    public void close() {
        // the worker closes the real pipeline
    }
}
