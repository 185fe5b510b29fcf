package dev.lockstep.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one queue benchmark run measured.
 *
 * @param spec          the workload
 * @param machine       where it ran
 * @param payloadBytes  mean payload size
 * @param timing        wall times and rates
 * @param redis         Redis work over the whole timed window, per event
 * @param enqueuePhase  phased runs: Redis work while enqueuing only (else null)
 * @param drainPhase    phased runs: Redis work while draining only (else null)
 * @param client        this JVM's side
 * @param correctness   the checks made during and after the run
 * @param memory        what the drained run left in Redis (null when not measured)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BenchResult(BenchSpec spec, MachineInfo machine, int payloadBytes, Timing timing, RedisUsage redis,
                          RedisUsage enqueuePhase, RedisUsage drainPhase, ClientUsage client,
                          Correctness correctness, MemoryUsage memory) {

    /**
     * Redis memory the drained run left behind, before its keys are deleted.
     *
     * @param usedMemoryBefore          INFO used_memory just before the timed run
     * @param usedMemoryAfter           INFO used_memory after the last completion, the pool stopped
     * @param retainedBytesPerEvent     (after - before) / events: with the queue drained, the dedup
     *                                  buckets should be the only per-event state left
     * @param dedupKeys                 dedup bucket keys ({@code <queue>:{p}:d:<n>})
     * @param dedupBytes                sum of MEMORY USAGE (SAMPLES 0) of those keys
     * @param dedupBytesPerEvent        dedupBytes / events
     * @param perOrderKeysLeft          keys left other than the per-partition ones (lanes, anything per order or per job)
     * @param keysLeftByKind            every key left, by kind (d, s, n, l, ...)
     */
    public record MemoryUsage(long usedMemoryBefore, long usedMemoryAfter, double retainedBytesPerEvent,
                              long dedupKeys, long dedupBytes, double dedupBytesPerEvent, long perOrderKeysLeft,
                              Map<String, Long> keysLeftByKind) {
    }

    /** The same result without a memory reading. */
    public BenchResult(BenchSpec spec, MachineInfo machine, int payloadBytes, Timing timing, RedisUsage redis,
                       RedisUsage enqueuePhase, RedisUsage drainPhase, ClientUsage client, Correctness correctness) {
        this(spec, machine, payloadBytes, timing, redis, enqueuePhase, drainPhase, client, correctness, null);
    }

    /**
     * @param wallSeconds      first enqueue to last completion
     * @param eventsPerSecond  events / wallSeconds, end to end
     * @param enqueueSeconds   first enqueue to the last enqueue's answer
     * @param enqueuePerSecond events / enqueueSeconds (concurrent runs: while workers drain too)
     * @param drainSeconds     phased: pool start to last completion; concurrent: same as wallSeconds
     * @param drainPerSecond   events / drainSeconds
     */
    public record Timing(double wallSeconds, double eventsPerSecond, double enqueueSeconds, double enqueuePerSecond,
                         double drainSeconds, double drainPerSecond) {
    }

    /**
     * Redis work per event, from {@code INFO} deltas.
     *
     * @param commandsPerEvent       every command Redis executed (script calls included) / events
     * @param evalshaPerEvent        EVALSHA calls / events: the client round trips of the data path
     * @param otherEvalshaPerEvent   EVALSHA beyond the data path (one enqueue and one complete per event; one of them in a phase): claims,
     *                               lease renewals, reaper passes / events
     * @param publishPerEvent        wake-ups published / events
     * @param cpuMicrosPerEvent      server CPU (user + sys) / events
     * @param sysMicrosPerEvent      of which system time (socket syscalls, mostly) / events
     * @param cpuUtilization         server CPU seconds / wall seconds (1.0 = one core busy)
     * @param scriptMicrosPerEvent   time inside EVALSHA (script body and its calls) / events; the rest of
     *                               the CPU is protocol, networking and the event loop
     * @param netInBytesPerEvent     bytes Redis received / events
     * @param netOutBytesPerEvent    bytes Redis sent / events
     * @param callsPerEventByCommand commands per event, most frequent first
     */
    public record RedisUsage(double commandsPerEvent, double evalshaPerEvent, double otherEvalshaPerEvent,
                             double publishPerEvent, double cpuMicrosPerEvent, double sysMicrosPerEvent,
                             double cpuUtilization,
                             double scriptMicrosPerEvent, double netInBytesPerEvent, double netOutBytesPerEvent,
                             Map<String, Double> callsPerEventByCommand) {

        /** @param dataPathScriptsPerEvent EVALSHAs per event the window's data path needs at least (enqueue, complete) */
        static RedisUsage of(RedisCounters.Delta d, long events, double seconds, int dataPathScriptsPerEvent) {
            double n = Math.max(1, events);
            Map<String, Double> byCommand = new LinkedHashMap<>();
            d.calls().entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                    .forEach(e -> byCommand.put(e.getKey(), round(e.getValue() / n)));
            long evalsha = d.calls("evalsha");
            return new RedisUsage(round(d.totalCalls() / n), round(evalsha / n),
                    round((evalsha - (double) dataPathScriptsPerEvent * events) / n), round(d.calls("publish") / n),
                    round(d.cpuSeconds() * 1e6 / n), round(d.sysSeconds() * 1e6 / n),
                    round(seconds > 0 ? d.cpuSeconds() / seconds : 0),
                    round(d.usec("evalsha") / n), round(d.netInBytes() / n), round(d.netOutBytes() / n), byCommand);
        }
    }

    /**
     * @param jvmCpuMicrosPerEvent CPU of this whole JVM (producers, dispatcher, handlers, Jedis) / events
     * @param jvmSysMicrosPerEvent of which system time (socket syscalls, thread wake-ups) / events; -1 off Linux
     * @param jvmCpuUtilization    JVM CPU seconds / wall seconds
     * @param gcMillis             collector time during the window
     * @param laneRunsPerEvent     lanes claimed by the dispatcher / events (the rest ran as continuations)
     */
    public record ClientUsage(double jvmCpuMicrosPerEvent, double jvmSysMicrosPerEvent, double jvmCpuUtilization,
                              long gcMillis,
                              double laneRunsPerEvent) {
    }

    /**
     * @param completed       completions counted by the listener
     * @param missing         events never completed
     * @param duplicates      extra completions of an event
     * @param outOfOrder      completions of an order's event after a later one of the same order
     * @param overlaps        times two handlers ran one order at once
     * @param leaseTrouble    fenced, lost, retried, parked or reaped lanes (none expected)
     * @param notQueued       enqueues answered other than QUEUED
     * @param statsEnqueued   the queue's own enqueued counter
     * @param statsCompleted  the queue's own completed counter
     * @param waitingLeft     jobs still waiting at the end
     * @param lanesLeft       ready + leased + delayed + parked lanes at the end
     * @param laneKeysLeft    lane lists still in Redis at the end
     * @param jobKeysLeft     job hashes still in Redis at the end
     */
    public record Correctness(long completed, long missing, long duplicates, long outOfOrder, long overlaps,
                              long leaseTrouble, long notQueued, long statsEnqueued, long statsCompleted,
                              long waitingLeft, long lanesLeft, long laneKeysLeft, long jobKeysLeft) {

        /** Every event completed exactly once, in order per order, one holder at a time, queue empty. */
        public boolean passed(long events) {
            return completed == events && missing == 0 && duplicates == 0 && outOfOrder == 0 && overlaps == 0
                    && notQueued == 0 && statsEnqueued == events && statsCompleted == events && waitingLeft == 0
                    && lanesLeft == 0 && laneKeysLeft == 0 && jobKeysLeft == 0;
        }
    }

    /** See {@link Correctness#passed}. */
    @JsonProperty("passed")
    public boolean passed() {
        return correctness.passed(spec.events());
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
