package dev.lockstep.mode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Drain;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.QueueUnavailableException;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.queue.KeyPurge;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.OrderStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.SetParams;

/**
 * The {@code naive-lock} mode: the article's patterns (docs/DESIGN.md, "The article") exactly as written, unsafe
 * on purpose.
 * <ul>
 *   <li>Pattern 1: one global FIFO list; job id {@code order-<id>-<Date.now()>} (never deduplicates).</li>
 *   <li>Pattern 2: per-order lock {@code SET lock:order:<id> <jobId> EX 10 NX}; a busy lock throws
 *       "Order is locked, retry later", which re-queues the job at the BACK (reordering); {@code DEL}
 *       in {@code finally} (deletes the next holder's lock when the first outlived its TTL).</li>
 *   <li>Pattern 3: dedup by {@code GETDEL webhook:<md5>} then {@code SETEX} (check-then-act: two
 *       simultaneous copies both pass; the second copy's GETDEL deletes the marker, so a third passes).</li>
 * </ul>
 * The handler is the article's read-modify-write one ({@link OrderStore} of the naive-lock database).
 */
public final class NaiveLockPipeline implements Pipeline {
    private static final Logger log = LoggerFactory.getLogger(NaiveLockPipeline.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnifiedJedis redis;
    private final OrderStore store;
    private final EventJournal journal;
    private final PausedHolderFault fault;
    private final String queueName;
    private final String prefix;
    private final String jobsKey;
    private final int lockTtlSeconds;
    private final int threads;
    private final RunCounters counters = new RunCounters();
    private final OverlapGuard guard = new OverlapGuard(counters);
    private final AtomicLong busy = new AtomicLong();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param queueName     the configured queue name; naive-lock keys live under {@code <queueName>:naive-lock:}
     * @param lockTtl       the lock's EX (the article uses 10 s)
     * @param threads       worker threads (Bull's concurrency)
     */
    public NaiveLockPipeline(UnifiedJedis redis, String queueName, OrderStore store, EventJournal journal,
                        PausedHolderFault fault, Duration lockTtl, int threads) {
        this.redis = redis;
        this.store = store;
        this.journal = journal;
        this.fault = fault;
        this.queueName = queueName;
        this.prefix = prefixOf(queueName);
        this.jobsKey = prefix + "jobs";
        this.lockTtlSeconds = (int) Math.max(1, lockTtl.toSeconds());
        this.threads = threads;
    }

    @Override
    public Mode mode() {
        return Mode.NAIVE_LOCK;
    }

    /** Deletes the naive-lock mode's keys (its list, locks and dedup markers). */
    public void purge() {
        purge(redis, queueName);
    }

    /** Deletes the naive-lock mode's keys of a queue name, without a pipeline. */
    public static void purge(UnifiedJedis redis, String queueName) {
        KeyPurge.deleteMatching(redis, KeyPurge.literal(prefixOf(queueName)) + "*");
    }

    private static String prefixOf(String queueName) {
        return queueName + ":naive-lock:";
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::workLoop, "naive-lock-worker-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    @Override
    @SuppressWarnings("deprecation") // SETEX, exactly as the article writes it
    public AcceptResult accept(Delivery delivery) {
        OrderEvent e = delivery.event();
        long received = System.currentTimeMillis();
        try {
            // Pattern 3, as written: const isDuplicate = await redis.getdel(`webhook:${eventHash}`);
            String marker = prefix + "webhook:" + md5(delivery.dedupKey());
            if (redis.getDel(marker) != null) {
                counters.duplicateDropped();
                journal.record(JournalEntry.accepted(e, JournalStage.DUPLICATE, received, delivery.dedupKey()));
                return AcceptResult.DUPLICATE;
            }
            redis.setex(marker, 86_400, "1");
            // Pattern 1: jobId: `order-${id}-${Date.now()}`
            String jobId = "order-" + e.orderId() + "-" + System.currentTimeMillis();
            redis.rpush(jobsKey, JSON.writeValueAsString(Map.of("id", jobId, "event", OrderEventCodec.encode(e))));
        } catch (JedisConnectionException ex) {
            throw new QueueUnavailableException("Redis unreachable: " + ex.getMessage(), ex);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode naive-lock job", ex);
        }
        counters.accepted();
        journal.record(JournalEntry.accepted(e, JournalStage.ENQUEUED, received, ""));
        return AcceptResult.QUEUED;
    }

    private void workLoop() {
        String worker = "naive-lock/" + Thread.currentThread().getName();
        while (running) {
            List<String> popped;
            try {
                popped = redis.blpop(1, jobsKey);
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("naive-lock worker could not pop a job", e);
                }
                continue;
            }
            if (popped == null || popped.size() < 2) {
                continue;
            }
            busy.incrementAndGet();
            try {
                process(popped.get(1), worker);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void process(String raw, String worker) {
        long popped = System.currentTimeMillis();
        Map<String, String> job;
        OrderEvent e;
        try {
            job = JSON.readValue(raw, Map.class);
            e = OrderEventCodec.decode(job.get("event"));
        } catch (JsonProcessingException | RuntimeException ex) {
            log.warn("naive-lock worker dropped an undecodable job", ex);
            return;
        }
        // Pattern 2, as written
        String lockKey = prefix + "lock:order:" + e.orderId();
        String ok = redis.set(lockKey, job.get("id"), new SetParams().nx().ex(lockTtlSeconds));
        if (ok == null) {
            // throw new Error('Order is locked, retry later') -> the job goes to the back of the queue
            redis.rpush(jobsKey, raw);
            journal.record(JournalEntry.of(e, JournalStage.RETRIED, worker, 0, popped,
                    "Order is locked, retry later (re-queued at the back)"));
            return;
        }
        long locked = System.currentTimeMillis();
        guard.enter(e.orderId());
        try {
            if (fault.next()) {
                pausePastTheLock(e, lockKey, job.get("id"));
            }
            store.apply(e, OrderStore.NO_FENCE, worker);
            counters.applied();
            journal.record(JournalEntry.of(e, JournalStage.APPLIED, worker, 0, locked, "lock " + job.get("id")));
        } catch (RuntimeException ex) {
            log.warn("naive-lock handler for order {} failed; the job is lost", e.orderId(), ex);
        } finally {
            guard.exit(e.orderId());
            redis.del(lockKey);
        }
    }

    /**
     * The paused-holder fault: the handler stalls past the lock's TTL while it holds it, until the
     * lock has expired and another handler of the order has taken it (or three TTLs pass). Then it
     * resumes as if nothing happened: both handlers now run at once, and its {@code DEL} in
     * {@code finally} will delete the other handler's lock.
     */
    private void pausePastTheLock(OrderEvent e, String lockKey, String myJobId) {
        log.info("fault: naive-lock holder of order {} pauses past its {} s lock", e.orderId(), lockTtlSeconds);
        long deadline = System.nanoTime() + Duration.ofSeconds(3L * lockTtlSeconds).toNanos();
        try {
            Thread.sleep(lockTtlSeconds * 1000L);
            while (System.nanoTime() < deadline) {
                String holder = redis.get(lockKey);
                if (holder != null && !holder.equals(myJobId)) {
                    log.info("fault: lock of order {} taken over by {} while its first holder was paused", e.orderId(), holder);
                    return;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    @Override
    public RunCounters counters() {
        return counters;
    }

    @Override
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        // two quiet readings in a row: a job re-queued between LLEN and busy would be missed by one
        int[] quiet = {0};
        boolean drained = Drain.await(timeout, () -> {
            quiet[0] = redis.llen(jobsKey) == 0 && busy.get() == 0 ? quiet[0] + 1 : 0;
            return quiet[0] >= 2;
        });
        journal.flush();
        return drained;
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : workers) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        journal.flush();
    }
}
