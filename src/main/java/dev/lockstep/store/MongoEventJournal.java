package dev.lockstep.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Sorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-event journal in MongoDB ({@code journal_NN} collections of the mode's database, by order
 * id: the embedded mongo-java-server has no secondary indexes, so a timeline read scans one small
 * bucket instead of the whole journal).
 *
 * <p>Recording never blocks the data path: entries go onto a bounded buffer that one daemon thread
 * writes out in batches. Through a MongoDB outage nothing is given up while there is room: a batch
 * that failed is kept and retried with backoff (doubling up to a maximum) while new entries wait in
 * the buffer, and everything appears once MongoDB answers again. Each entry has an {@code _id} of
 * its own (this journal's random prefix and a sequence number), so a retried batch that had partly
 * landed never doubles an entry. Only when the buffer is full is an entry dropped, and every drop is
 * counted ({@link #droppedCount()}): a timeline may miss entries, never silently. Outages and drops
 * are logged once per {@link #LOG_EVERY}, not per batch, and once more when writes resume.
 */
public final class MongoEventJournal implements EventJournal {
    private static final Logger log = LoggerFactory.getLogger(MongoEventJournal.class);
    /** Entries that may wait for MongoDB; past it they are dropped and counted. */
    public static final int DEFAULT_CAPACITY = 200_000;
    private static final int DEFAULT_BATCH = 1000;
    private static final Duration DEFAULT_BACKOFF = Duration.ofMillis(100);
    private static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(5);
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(60);
    static final Duration LOG_EVERY = Duration.ofSeconds(10);

    static final int BUCKETS = 64;

    private final List<MongoCollection<Document>> buckets = new ArrayList<>(BUCKETS);
    private final BlockingQueue<Object> queue;
    private final int capacity;
    private final int batchSize;
    private final long backoffNanos;
    private final long backoffMaxNanos;
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 8) + ":";
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong seq = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - LOG_EVERY.toNanos());

    public MongoEventJournal(MongoDatabase db) {
        this(db, DEFAULT_CAPACITY, DEFAULT_BATCH, DEFAULT_BACKOFF, DEFAULT_BACKOFF_MAX);
    }

    /**
     * @param capacity   entries that may wait (buffered or in a batch being retried) before new ones are dropped
     * @param batchSize  entries written per round trip
     * @param backoff    wait before the first retry of a failed batch; doubles per failure ...
     * @param backoffMax ... up to this
     */
    public MongoEventJournal(MongoDatabase db, int capacity, int batchSize, Duration backoff, Duration backoffMax) {
        if (capacity < 1 || batchSize < 1 || backoff.isNegative() || backoffMax.compareTo(backoff) < 0) {
            throw new IllegalArgumentException("journal capacity and batch must be positive, 0 <= backoff <= backoffMax");
        }
        this.capacity = capacity;
        // room for flush markers beside the entries: the entry bound is kept by the waiting count
        this.queue = new ArrayBlockingQueue<>(capacity + 1024);
        this.batchSize = batchSize;
        this.backoffNanos = backoff.toNanos();
        this.backoffMaxNanos = backoffMax.toNanos();
        for (int b = 0; b < BUCKETS; b++) {
            MongoCollection<Document> c = db.getCollection(String.format("journal_%02d", b));
            c.createIndex(Indexes.ascending("orderId")); // used by a real MongoDB
            buckets.add(c);
        }
        this.writer = new Thread(this::writeLoop, "journal-writer-" + db.getName());
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void record(JournalEntry e) {
        long n = seq.incrementAndGet();
        Document d = new Document("_id", idPrefix + n).append("orderId", e.orderId()).append("effectId", e.effectId())
                .append("topic", e.topic()).append("stage", e.stage().name()).append("worker", e.worker())
                .append("token", e.token()).append("at", e.at()).append("detail", e.detail()).append("seq", n);
        // the bound counts the batch being retried too, so at most capacity entries ever wait
        if (waiting.incrementAndGet() > capacity || !queue.offer(d)) {
            waiting.decrementAndGet();
            long total = dropped.incrementAndGet();
            long now = System.nanoTime();
            long last = lastDropLog.get();
            if (now - last >= LOG_EVERY.toNanos() && lastDropLog.compareAndSet(last, now)) {
                log.warn("journal buffer full ({} entries waiting for MongoDB): {} entries dropped so far; the "
                        + "timelines of their orders miss them", waiting.get(), total);
            }
        }
    }

    /** Entries dropped because the buffer was full (MongoDB down or too slow for too long); never decreases. */
    @Override
    public long droppedCount() {
        return dropped.get();
    }

    /** Entries recorded and not yet written (buffered, or in a batch waiting for a retry). */
    @Override
    public long waitingCount() {
        return waiting.get();
    }

    @Override
    public List<JournalEntry> forOrder(long orderId) {
        List<JournalEntry> out = new ArrayList<>();
        for (Document d : bucket(orderId).find(Filters.eq("orderId", orderId)).sort(Sorts.ascending("at", "seq"))) {
            out.add(toEntry(d));
        }
        return out;
    }

    private static JournalEntry toEntry(Document d) {
        return new JournalEntry(d.get("orderId", Number.class).longValue(), d.getString("effectId"), d.getString("topic"),
                JournalStage.valueOf(d.getString("stage")), d.getString("worker"), d.get("token", Number.class).longValue(),
                d.get("at", Number.class).longValue(), d.getString("detail"));
    }

    /** Waits (up to a minute) until every entry recorded before this call is written or dropped. */
    @Override
    public void flush() {
        if (!writer.isAlive()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        try {
            if (!queue.offer(done, FLUSH_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    || !done.await(FLUSH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("journal flush did not finish within {} s ({} entries still wait for MongoDB)",
                        FLUSH_WAIT.toSeconds(), waiting.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        List<Document> batch = new ArrayList<>(batchSize);
        List<CountDownLatch> markers = new ArrayList<>();
        List<Object> more = new ArrayList<>(batchSize);
        Outage outage = new Outage();
        while (running || !queue.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Object first = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    take(first, batch, markers);
                    queue.drainTo(more, batchSize - 1);
                    more.forEach(o -> take(o, batch, markers));
                    more.clear();
                }
                if (!batch.isEmpty()) {
                    insertByBucket(batch); // removes what landed; throws when some did not
                }
                outage.ended(batch.size());
                markers.forEach(CountDownLatch::countDown);
                markers.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // keep the batch (and its flush markers) and retry it after a backoff
                long wait = outage.failed(e, waiting.get(), dropped.get());
                if (!running) {
                    break; // closing: what still waits is counted as dropped below
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // backoff of the writer thread, not a test's synchronisation
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        // closing (or interrupted) with entries MongoDB never took: they are lost, and counted
        List<Object> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.forEach(o -> take(o, batch, markers));
        if (!batch.isEmpty()) {
            dropped.addAndGet(batch.size());
            waiting.addAndGet(-batch.size());
            log.warn("journal closed with {} entries MongoDB never took: dropped ({} dropped in all)", batch.size(),
                    dropped.get());
        }
        markers.forEach(CountDownLatch::countDown);
    }

    /** When the writer first failed, and when it last said so: one log line per {@link #LOG_EVERY}. */
    private final class Outage {
        private long since;
        private long lastLog;
        private int failures;

        long failed(RuntimeException e, long waitingNow, long droppedNow) {
            long now = System.nanoTime();
            if (failures == 0) {
                since = now;
                lastLog = now;
                log.warn("journal writes fail ({}); entries wait in the buffer (at most {}) and are retried", e.toString(),
                        capacity);
            } else if (now - lastLog >= LOG_EVERY.toNanos()) {
                lastLog = now;
                log.warn("journal writes have failed for {} s ({} attempts; last: {}); {} entries waiting, {} dropped so far",
                        TimeUnit.NANOSECONDS.toSeconds(now - since), failures + 1, e.toString(), waitingNow, droppedNow);
            }
            failures++;
            long wait = backoffNanos << Math.min(failures - 1, 20);
            return Math.min(wait < 0 ? backoffMaxNanos : wait, backoffMaxNanos);
        }

        void ended(int stillInBatch) {
            if (failures > 0 && stillInBatch == 0) {
                log.info("journal writes resumed after {} s and {} failed attempts; {} dropped in all",
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since), failures, dropped.get());
                failures = 0;
            }
        }
    }

    private MongoCollection<Document> bucket(long orderId) {
        return buckets.get((int) Math.floorMod(orderId, (long) BUCKETS));
    }

    /**
     * Inserts a batch, bucket by bucket, and removes from it what MongoDB has (an entry found there
     * already, from an attempt whose answer was lost, counts as written).
     *
     * @throws RuntimeException when some bucket's entries could not be written; they stay in the batch
     */
    private void insertByBucket(List<Document> batch) {
        Map<Integer, List<Document>> byBucket = new HashMap<>();
        for (Document d : batch) {
            byBucket.computeIfAbsent((int) Math.floorMod(d.getLong("orderId"), (long) BUCKETS), k -> new ArrayList<>())
                    .add(d);
        }
        RuntimeException failure = null;
        List<Document> left = new ArrayList<>();
        for (Map.Entry<Integer, List<Document>> e : byBucket.entrySet()) {
            try {
                insert(buckets.get(e.getKey()), e.getValue());
                waiting.addAndGet(-e.getValue().size());
            } catch (RuntimeException ex) {
                failure = ex;
                left.addAll(e.getValue());
            }
        }
        batch.clear();
        batch.addAll(left);
        if (failure != null) {
            throw failure;
        }
    }

    private static void insert(MongoCollection<Document> bucket, List<Document> docs) {
        try {
            bucket.insertMany(docs, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError err : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(err.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            if (e.getWriteConcernError() != null) {
                throw e;
            }
        }
    }

    private static void take(Object o, List<Document> batch, List<CountDownLatch> markers) {
        if (o instanceof Document d) {
            batch.add(d);
        } else {
            markers.add((CountDownLatch) o);
        }
    }

    @Override
    public void close() {
        flush();
        running = false;
        try {
            writer.join(TimeUnit.NANOSECONDS.toMillis(backoffMaxNanos) + 5000);
            if (writer.isAlive()) {
                writer.interrupt(); // a write still hanging: what MongoDB never took is counted as dropped
                writer.join(2000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
