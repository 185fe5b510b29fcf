package dev.lockstep.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.List;
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
 * bucket instead of the whole journal). Recording
 * never blocks the data path: entries go onto a bounded queue that one daemon thread writes out
 * with {@code insertMany}; when the queue is full an entry is dropped and counted (the journal
 * observes, it is not the record of truth).
 */
public final class MongoEventJournal implements EventJournal {
    private static final Logger log = LoggerFactory.getLogger(MongoEventJournal.class);
    private static final int CAPACITY = 200_000;
    private static final int BATCH = 1000;
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    static final int BUCKETS = 64;

    private final List<MongoCollection<Document>> buckets = new ArrayList<>(BUCKETS);
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong seq = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile long lastWarn;

    public MongoEventJournal(MongoDatabase db) {
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
        Document d = new Document("orderId", e.orderId()).append("effectId", e.effectId()).append("topic", e.topic())
                .append("stage", e.stage().name()).append("worker", e.worker()).append("token", e.token())
                .append("at", e.at()).append("detail", e.detail()).append("seq", seq.incrementAndGet());
        if (!queue.offer(d)) {
            long n = dropped.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastWarn > WARN_EVERY_NANOS) {
                lastWarn = now;
                log.warn("journal queue full: {} entries dropped so far (timelines will miss them)", n);
            }
        }
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

    @Override
    public void flush() {
        if (!writer.isAlive()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        try {
            queue.put(done);
            if (!done.await(60, TimeUnit.SECONDS)) {
                log.warn("journal flush did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        List<Document> batch = new ArrayList<>(BATCH);
        List<CountDownLatch> markers = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Object first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                take(first, batch, markers);
                List<Object> more = new ArrayList<>(BATCH);
                queue.drainTo(more, BATCH - 1);
                for (Object o : more) {
                    take(o, batch, markers);
                }
                if (!batch.isEmpty()) {
                    insertByBucket(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("journal write of {} entries failed; they are dropped", batch.size(), e);
                dropped.addAndGet(batch.size());
            } finally {
                batch.clear();
                markers.forEach(CountDownLatch::countDown);
                markers.clear();
            }
        }
    }

    private MongoCollection<Document> bucket(long orderId) {
        return buckets.get((int) Math.floorMod(orderId, (long) BUCKETS));
    }

    private void insertByBucket(List<Document> batch) {
        java.util.Map<Integer, List<Document>> byBucket = new java.util.HashMap<>();
        for (Document d : batch) {
            byBucket.computeIfAbsent((int) Math.floorMod(d.getLong("orderId"), (long) BUCKETS), k -> new ArrayList<>())
                    .add(d);
        }
        byBucket.forEach((b, docs) -> buckets.get(b).insertMany(docs));
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
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
