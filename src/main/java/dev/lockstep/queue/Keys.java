package dev.lockstep.queue;

/**
 * Every Redis key and channel of one queue, built in one place. Keys of partition {@code p} carry
 * the hash tag {@code {p}} so each script touches one slot and runs unchanged on Redis Cluster:
 * {@code <queue>:{<p>}:<what>}.
 */
public final class Keys {
    private final String queue;
    private final int partitions;
    private final String[] prefixes;

    public Keys(String queue, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1");
        }
        this.queue = queue;
        this.partitions = partitions;
        this.prefixes = new String[partitions];
        for (int p = 0; p < partitions; p++) {
            prefixes[p] = queue + ":{" + p + "}:";
        }
    }

    public String queue() {
        return queue;
    }

    public int partitions() {
        return partitions;
    }

    /**
     * The partition of an order: a stable 64-bit mix (the SplitMix64 finalizer) of the id, modulo
     * the partition count, so every process and language maps an order to the same partition.
     */
    public int partitionOf(long orderId) {
        long z = orderId + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (int) Long.remainderUnsigned(z, partitions);
    }

    /**
     * {@code <queue>:{p}:}, the prefix scripts build the partition's other keys from (same hash tag,
     * so one slot). Short names on purpose: every byte is sent and stored per event.
     */
    public String prefix(int p) {
        return prefixes[p];
    }

    /** List of order ids whose lane waits for a worker. */
    public String ready(int p) {
        return prefixes[p] + "r";
    }

    /** An order's lane: entries {@code <jobId>|<attempts>|<payload>}, oldest first. */
    public String lane(int p, long orderId) {
        return prefixes[p] + "l:" + orderId;
    }

    /** Zset of lease members {@code <orderId>|<token>|<holder>|<since>} by deadline (ms). */
    public String leases(int p) {
        return prefixes[p] + "k";
    }

    /** Zset of revocations {@code <orderId>|<fence>|<due>} waiting for the store's fence, by deadline. */
    public String revoked(int p) {
        return prefixes[p] + "v";
    }

    /** The partition's fencing-token sequence (INCR): no per-order fence state in Redis. */
    public String tokens(int p) {
        return prefixes[p] + "n";
    }

    /** Zset of lanes waiting out a retry backoff, by due time (ms). */
    public String delayed(int p) {
        return prefixes[p] + "y";
    }

    /** Zset of parked lanes, by the time they were parked (ms). */
    public String parked(int p) {
        return prefixes[p] + "z";
    }

    /**
     * Zset of lanes an operator paused: order id -> paused at (ms), negated once a claim or a
     * completion held the lane back out of the ready list (so a resume knows to put it back).
     */
    public String paused(int p) {
        return prefixes[p] + "h";
    }

    /** Hash: job id -> last error, for heads that failed at least once. */
    public String failures(int p) {
        return prefixes[p] + "f";
    }

    /** Hash of monotonic counters (gauges are derived from list and zset sizes when read). */
    public String stats(int p) {
        return prefixes[p] + "s";
    }

    /** The latest duplicate hits of the partition, newest first (bounded by the enqueue script). */
    public String recentDuplicates(int p) {
        return prefixes[p] + "u";
    }

    /** A dedup bucket: hash of dedup-key hashes first seen in bucket {@code n}, expiring whole. */
    public String dedupBucket(int p, long n) {
        return prefixes[p] + "d:" + n;
    }

    /** The reaper's SCAN cursor for its sweep of lanes in no state (reap-1.lua). */
    public String sweepCursor(int p) {
        return prefixes[p] + "o";
    }

    /** SCAN MATCH pattern of the partition's lanes: the prefix taken literally, then {@code l:*}. */
    public String lanePattern(int p) {
        return KeyPurge.literal(prefixes[p]) + "l:*";
    }

    /** The partition count the queue was created with: a queue's, not a process's. */
    public String partitionCount() {
        return queue + ":partitions";
    }

    /** Pub/sub channel on which scripts announce a partition that just got ready lanes. */
    public String wakeChannel() {
        return queue + ":wake";
    }
}
