package dev.lockstep.fleet;

import java.util.Objects;

/**
 * One process's heartbeat: what the Workers view and {@code lockstep admin workers} show of it.
 *
 * @param id              the worker id, {@code host:pid}; the prefix of its lease holders' names
 *                        ({@code host:pid/threadName})
 * @param kind            {@code worker} (headless) or {@code console} (a console running workers)
 * @param host            the machine's name
 * @param pid             the process id on that machine
 * @param version         Lockstep's version in that process
 * @param mode            the processing mode its workers run (unsafe, naive-lock, lockstep)
 * @param threads         its handler threads
 * @param lanesHeld       lanes its handlers hold at the beat
 * @param handled         events it handled (applied or skipped as stale) since it started
 * @param eventsPerSecond events it handled per second over the last beat interval
 * @param ingestUrl       its webhook ingest's base URL, or empty when it serves none
 * @param startedAtMs     when it started (epoch ms, its clock)
 * @param beatAtMs        when it wrote this beat (epoch ms, its clock)
 */
public record WorkerInfo(String id, String kind, String host, long pid, String version, String mode, int threads,
                         int lanesHeld, long handled, double eventsPerSecond, String ingestUrl, long startedAtMs,
                         long beatAtMs) {
    public WorkerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(ingestUrl, "ingestUrl");
        if (id.isBlank()) {
            throw new IllegalArgumentException("worker id is blank");
        }
    }

    /** Whether a lease holder's name ({@code host:pid/thread}) is one of this process's threads. */
    public boolean holds(String holder) {
        return holder != null && holder.startsWith(id + "/");
    }

    /** The worker id of a lease holder's name ({@code host:pid/thread} → {@code host:pid}). */
    public static String processOf(String holder) {
        if (holder == null) {
            return "";
        }
        int slash = holder.indexOf('/');
        return slash < 0 ? holder : holder.substring(0, slash);
    }
}
