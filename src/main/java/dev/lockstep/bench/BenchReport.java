package dev.lockstep.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a {@link BenchResult}: a few readable lines, or one JSON object. */
public final class BenchReport {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private BenchReport() {
    }

    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write the benchmark result as JSON", e);
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String text(BenchResult r, int redisConnections) {
        BenchSpec s = r.spec();
        MachineInfo m = r.machine();
        BenchResult.Timing t = r.timing();
        BenchResult.RedisUsage u = r.redis();
        BenchResult.ClientUsage c = r.client();
        BenchResult.Correctness k = r.correctness();
        StringBuilder b = new StringBuilder();
        b.append(f("Lockstep lane queue benchmark (no-op handler)%n"));
        b.append(f("  workload  %,d events over %,d orders (%d each, %s), payload %d B; %d producer(s)%s, "
                        + "%d handler threads holding up to %d lanes, %d partitions, maxContinue %d, %s, Redis pool %d%n",
                s.events(), s.orders(), s.events() / s.orders(), s.roundRobin() ? "round-robin" : "consecutive",
                r.payloadBytes(), s.producers(),
                s.enqueueBatch() > 1 ? " calling enqueueAll with " + s.enqueueBatch() + " events"
                        : " each enqueuing one event at a time through the group commit",
                s.workers(), Math.max(s.workers(), s.lanes()), s.partitions(), s.maxContinue(), s.phased() ? "phased (enqueue all, then drain)"
                        : "concurrent (drain while enqueuing)", redisConnections));
        b.append(f("  machine   %d cores (%s), %s, %s, Redis %s, load average %.2f at start%n", m.cores(),
                m.cpuModel(), m.jvm(), m.os(), m.redisVersion(), m.loadAverage()));
        b.append(f("  end to end  %,.0f events/s  (%.2f s first enqueue -> last completion)%n", t.eventsPerSecond(),
                t.wallSeconds()));
        b.append(f("  enqueue     %,.0f events/s  (%.2f s)%s%n", t.enqueuePerSecond(), t.enqueueSeconds(),
                s.phased() ? "" : " while draining"));
        if (s.phased()) {
            b.append(f("  drain       %,.0f events/s  (%.2f s)%n", t.drainPerSecond(), t.drainSeconds()));
        }
        b.append(usage("Redis", u));
        if (r.enqueuePhase() != null) {
            b.append(usage("  enqueue", r.enqueuePhase()));
            b.append(usage("  drain", r.drainPhase()));
        }
        b.append(f("  JVM         %.1f us CPU/event (%.1f sys; %.2f cores), GC %d ms, lane claims/event %.3f%n",
                c.jvmCpuMicrosPerEvent(), c.jvmSysMicrosPerEvent(), c.jvmCpuUtilization(), c.gcMillis(), c.laneRunsPerEvent()));
        BenchResult.MemoryUsage mem = r.memory();
        if (mem != null) {
            b.append(f("  memory      %.1f B retained per event after the drained run (used_memory %,d -> %,d); "
                            + "dedup buckets %.1f B/event (%d keys, %,d B by MEMORY USAGE); per-order keys left %d; keys left %s%n",
                    mem.retainedBytesPerEvent(), mem.usedMemoryBefore(), mem.usedMemoryAfter(), mem.dedupBytesPerEvent(),
                    mem.dedupKeys(), mem.dedupBytes(), mem.perOrderKeysLeft(), mem.keysLeftByKind()));
        }
        b.append(f("  checks      %s: completed %,d, missing %d, duplicates %d, out of order %d, overlaps %d, "
                        + "lease trouble %d, not queued %d, left: waiting %d, lanes %d, lane keys %d, job keys %d%n",
                r.passed() ? "PASSED" : "FAILED", k.completed(), k.missing(), k.duplicates(), k.outOfOrder(),
                k.overlaps(), k.leaseTrouble(), k.notQueued(), k.waitingLeft(), k.lanesLeft(), k.laneKeysLeft(),
                k.jobKeysLeft()));
        return b.toString();
    }

    private static String usage(String label, BenchResult.RedisUsage u) {
        String top = u.callsPerEventByCommand().entrySet().stream().limit(10)
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue()))
                .collect(Collectors.joining(", "));
        return f("  %-11s %.2f commands/event (%.2f EVALSHA = round trips, %.3f beyond the data path), "
                        + "%.1f us CPU/event (%.1f sys; %.2f cores; %.1f us in scripts), %.0f B in / %.0f B out per event%n"
                        + "              by command per event: %s%n",
                label, u.commandsPerEvent(), u.evalshaPerEvent(), u.otherEvalshaPerEvent(), u.cpuMicrosPerEvent(),
                u.sysMicrosPerEvent(), u.cpuUtilization(), u.scriptMicrosPerEvent(), u.netInBytesPerEvent(), u.netOutBytesPerEvent(), top);
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Command counts as a compact map for tables. */
    static String commands(Map<String, Double> byCommand, int limit) {
        return byCommand.entrySet().stream().limit(limit)
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.2f", e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
