package dev.lockstep.lock;

import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.LaneQueue;
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
 * Redisson-style lease renewal: every lease/3 the leases this process holds are extended, one
 * owner-checked script call per partition. A lease found gone while its holder still works on it is
 * marked lost, so the holder stops (its writes would be fenced anyway).
 */
public final class LeaseWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseWatchdog.class);

    private final LaneQueue queue;
    private final Map<String, HeldLease> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private volatile long lastFailureLog;

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
    public HeldLease watch(ClaimedJob first) {
        HeldLease lease = new HeldLease(first);
        held.put(lease.member(), lease);
        return lease;
    }

    public void forget(HeldLease lease) {
        held.remove(lease.member(), lease);
    }

    /** Leases held right now by this process. */
    public int size() {
        return held.size();
    }

    /** The leases held right now (a copy). */
    public List<HeldLease> held() {
        return new ArrayList<>(held.values());
    }

    /** Renews every held lease now (the timer does this every lease/3). */
    public void renew() {
        Map<Integer, List<String>> byPartition = new HashMap<>();
        for (HeldLease l : held.values()) {
            if (!l.frozen() && !l.lost()) {
                byPartition.computeIfAbsent(l.partition(), k -> new ArrayList<>()).add(l.member());
            }
        }
        for (Map.Entry<Integer, List<String>> e : byPartition.entrySet()) {
            long sent = System.nanoTime();
            List<String> lost = queue.extend(e.getKey(), e.getValue());
            for (String member : e.getValue()) {
                HeldLease l = held.get(member);
                if (l != null && !lost.contains(member)) {
                    l.renewed(sent);
                }
            }
            for (String member : lost) {
                HeldLease l = held.get(member);
                // a completion on its way may end the lease in the same instant: that is no loss
                if (l != null && !l.finishing() && !l.lost()) {
                    l.markLost();
                    log.info("lease on order {} lost (released or expired); its writes will be fenced", l.orderId());
                }
            }
        }
    }

    private void renewSafely() {
        try {
            renew();
        } catch (RuntimeException e) {
            long now = System.currentTimeMillis();
            if (now - lastFailureLog > 10_000) {
                lastFailureLog = now;
                log.warn("lease renewal failed ({}); will retry every {} ms", e.toString(), queue.leaseMs() / 3);
            }
        }
    }

    @Override
    public void close() {
        // no interrupt: a renewal or pass under way finishes its Redis call, then the timer stops
        timer.shutdown();
    }
}
