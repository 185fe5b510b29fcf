package dev.lockstep.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One process's metrics (docs/DESIGN.md, "Metrics"). Counters the process already keeps (the
 * pipeline's, the queue's) are bound as functions read at scrape time, so the hot path pays nothing
 * for them; the two latency histograms are recorded where the latency ends. Every series carries a
 * {@code process} tag (the worker id), so a Prometheus scraping several workers keeps them apart.
 */
public final class ProcessMetrics {
    /** The content type of {@link #scrape()}: Prometheus' text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /**
     * Bucket bounds of the latency histograms: a fixed, short list (14 series per histogram, not
     * Micrometer's ~70), with the bounds an SLO is written against (250 ms for an acknowledgement).
     */
    private static final Duration[] BUCKETS = java.util.stream.LongStream.of(
                    1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000)
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    /** Slow readers (queue depth is one Redis round trip) are read at most this often, not once per gauge. */
    private static final long READ_CACHE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final PrometheusMeterRegistry registry;
    private final String process;
    private final Timer ack;
    private final Timer claimToComplete;
    private final ConcurrentHashMap<Integer, Counter> responses = new ConcurrentHashMap<>();

    public ProcessMetrics(String process) {
        this.process = Objects.requireNonNull(process, "process");
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("process", process);
        // what an operator reads first when a worker misbehaves: its heap, threads, CPU and uptime
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.ack = latency("lockstep.webhook.ack", "From a webhook request's arrival to its 2xx answer (durably enqueued)");
        this.claimToComplete = latency("lockstep.job.claim.to.complete",
                "From a job's claim by a handler to its result committed in the store");
    }

    private Timer latency(String name, String help) {
        return Timer.builder(name).description(help)
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** The {@code process} tag of every series. */
    public String process() {
        return process;
    }

    /** A webhook was answered 2xx this long after it arrived. */
    public void acknowledged(long nanos) {
        ack.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** A webhook request was answered with {@code status} (200, 400, 401, 413, 503, ...). */
    public void answered(int status) {
        responses.computeIfAbsent(status, s -> Counter.builder("lockstep.webhook.responses")
                .description("Webhook requests answered, by HTTP status")
                .tags(Tags.of("status", Integer.toString(s)))
                .register(registry)).increment();
    }

    /** A job left its lane this long after its claim. */
    public void claimToComplete(long millis) {
        claimToComplete.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /**
     * A monotonic count this process already keeps, read when scraped. Registering the same name
     * and tags again replaces nothing (Micrometer keeps the first), so bind a source once.
     */
    public <T> void bindCounter(String name, String help, T source, ToDoubleFunction<T> count, String... tags) {
        FunctionCounter.builder(name, source, count).description(help).tags(tags).register(registry);
    }

    /** A level this process can read (lanes held, queue depth), read when scraped. */
    public <T> void bindGauge(String name, String help, T source, ToDoubleFunction<T> value, String... tags) {
        Gauge.builder(name, source, value).description(help).tags(tags).strongReference(true).register(registry);
    }

    /**
     * Wraps a reader that costs a round trip, so that the several gauges and counters bound to its
     * one reading share it within a scrape. A reader that throws yields its last good value (or
     * {@code fallback}): a scrape during a Redis outage still answers.
     */
    public static <T> Supplier<T> readAtMostTwicePerSecond(Supplier<T> reader, T fallback) {
        return new Supplier<>() {
            private long readAt;
            private T last = fallback;

            @Override
            public synchronized T get() {
                long now = System.nanoTime();
                if (readAt == 0 || now - readAt > READ_CACHE_NANOS) {
                    readAt = now;
                    try {
                        last = reader.get();
                    } catch (RuntimeException e) {
                        // keep the last reading; the scrape must not fail because Redis is down
                    }
                }
                return last;
            }
        };
    }

    /** Every series in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }
}
