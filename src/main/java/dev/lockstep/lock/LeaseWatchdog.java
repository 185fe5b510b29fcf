package dev.lockstep.lock;

import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.LaneQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redisson-style lease renewal: while a handler runs, every lease/3 the leases this process holds
 * are extended, one owner-checked script call per partition. A lease that is no longer ours is
 * marked lost so its holder stops (its writes would be fenced anyway).
 */
public final class LeaseWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseWatchdog.class);

    private final LaneQueue queue;
    private final Map<Long, HeldLease> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    public LeaseWatchdog(LaneQueue queue, String name) {
        this.queue = queue;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, queue.leaseMs() / 3);
        timer.scheduleAtFixedRate(this::renewSafely, period, period, TimeUnit.MILLISECONDS);
    }

    /** Starts watching a freshly claimed lane. */
    public HeldLease watch(ClaimedJob job) {
        HeldLease lease = new HeldLease(job);
        held.put(job.orderId(), lease);
        return lease;
    }

    /** The lane continues with its next job under a new token. */
    public void moveTo(HeldLease lease, ClaimedJob next) {
        lease.moveTo(next);
    }

    public void forget(HeldLease lease) {
        held.remove(lease.job().orderId(), lease);
    }

    /** Leases held right now by this process. */
    public int size() {
        return held.size();
    }

    /** Renews every held lease now (the timer does this every lease/3). */
    public void renew() {
        Map<Integer, List<ClaimedJob>> byPartition = new HashMap<>();
        Map<Long, HeldLease> snapshot = new HashMap<>();
        for (HeldLease l : held.values()) {
            if (!l.frozen() && !l.lost()) {
                ClaimedJob j = l.job();
                byPartition.computeIfAbsent(j.partition(), k -> new ArrayList<>()).add(j);
                snapshot.put(j.orderId(), l);
            }
        }
        for (Map.Entry<Integer, List<ClaimedJob>> e : byPartition.entrySet()) {
            for (Long lostOrder : queue.extend(e.getKey(), e.getValue())) {
                HeldLease l = snapshot.get(lostOrder);
                ClaimedJob checked = checkedJob(e.getValue(), lostOrder);
                // only if the lease still is on the token we checked: the lane may have moved on to
                // its next job (a fresh token) or finished while the renewal was under way
                if (l != null && held.get(lostOrder) == l && checked != null && l.markLostIfStill(checked)) {
                    log.info("lease on order {} lost (released or expired); its writes will be fenced", lostOrder);
                }
            }
        }
    }

    private static ClaimedJob checkedJob(List<ClaimedJob> checked, long orderId) {
        for (ClaimedJob j : checked) {
            if (j.orderId() == orderId) {
                return j;
            }
        }
        return null;
    }

    private void renewSafely() {
        try {
            renew();
        } catch (RuntimeException e) {
            log.warn("lease renewal failed; will retry in {} ms", Duration.ofMillis(queue.leaseMs() / 3).toMillis(), e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
