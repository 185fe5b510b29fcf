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

    /** {@code <queue>:{p}:}, the prefix scripts use to reach lane and job keys of the partition. */
    public String prefix(int p) {
        return prefixes[p];
    }

    public String ready(int p) {
        return prefixes[p] + "ready";
    }

    public String lane(int p, long orderId) {
        return prefixes[p] + "lane:" + orderId;
    }

    public String job(int p, String jobId) {
        return prefixes[p] + "job:" + jobId;
    }

    public String leases(int p) {
        return prefixes[p] + "leases";
    }

    public String holders(int p) {
        return prefixes[p] + "holders";
    }

    public String fences(int p) {
        return prefixes[p] + "fences";
    }

    public String delayed(int p) {
        return prefixes[p] + "delayed";
    }

    public String parked(int p) {
        return prefixes[p] + "parked";
    }

    public String stats(int p) {
        return prefixes[p] + "stats";
    }

    /** The latest duplicate hits of the partition, newest first (bounded by the enqueue script). */
    public String recentDuplicates(int p) {
        return prefixes[p] + "dups";
    }

    public String dedup(int p, String dedupKey) {
        return prefixes[p] + "dedup:" + dedupKey;
    }

    /** Pub/sub channel on which scripts announce a partition that just got ready lanes. */
    public String wakeChannel() {
        return queue + ":wake";
    }
}
