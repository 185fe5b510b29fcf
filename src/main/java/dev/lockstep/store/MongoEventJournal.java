package dev.lockstep.store;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-event journal in MongoDB, by run (docs/DESIGN.md, "Runs and the journal"): one collection
 * per run ({@code journal.<runId>} in the mode's database) holding one document per order,
 * {@code {_id: orderId, e: [entries]}}. A timeline's read of one order in one run is a lookup by
 * {@code _id}, the one index the embedded mongo-java-server uses for it (it has no non-unique
 * secondary indexes); dropping a run is dropping its collection. Entries use short field names
 * ({@code q} sequence, {@code s} stage code, {@code f} effect id, {@code w} worker, {@code k} token,
 * {@code a} started at, {@code b} at, {@code d} detail, {@code o} operator), and fields at their default
 * are left out.
 *
 * <p>Recording never blocks the data path: entries go onto a bounded buffer that one daemon thread
 * writes out in batches, one {@code $addToSet} upsert per order and run. Through a MongoDB outage
 * nothing is given up while there is room: a batch that failed is kept and retried with backoff
 * (doubling up to a maximum) while new entries wait in the buffer, and everything appears once
 * MongoDB answers again. Each entry carries this journal's sequence number, so a retried batch that
 * had partly landed never doubles an entry ({@code $addToSet} finds it there). Only when the buffer
 * is full is an entry dropped, and every drop is counted ({@link #droppedCount()}): a timeline may
 * miss entries, never silently. Outages and drops are logged once per {@link #LOG_EVERY}, not per
 * batch, and once more when writes resume.
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

    /** Run collections are {@code journal.<runId>}. */
    static final String PREFIX = "journal.";
    /**
     * Entries one order keeps in one run (its document): beyond it they are dropped and counted, so a
     * document stays far below MongoDB's 16 MB and one order of a busy live run cannot stall the writer.
     */
    static final int MAX_ENTRIES_PER_ORDER = 2_000;
    /** (run, order) pairs whose entry count is remembered for that bound; least recently used out. */
    private static final int COUNTED_ORDERS = 100_000;
    /** The journal before runs: 64 bucket collections of one document per entry, dropped at start. */
    private static final Pattern LEGACY = Pattern.compile("journal_\\d\\d");

    private final MongoDatabase db;
    private final BlockingQueue<Object> queue;
    private final int capacity;
    private final int batchSize;
    private final long backoffNanos;
    private final long backoffMaxNanos;
    private volatile String run;
    private final AtomicLong dropped = new AtomicLong();
    /** Entries written per "run|order", for {@link #MAX_ENTRIES_PER_ORDER}; touched by the writer thread only. */
    private final Map<String, Integer> perOrder = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > COUNTED_ORDERS;
        }
    };
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong seq = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - LOG_EVERY.toNanos());

    public MongoEventJournal(MongoDatabase db) {
        this(db, DEFAULT_CAPACITY);
    }

    /** @param capacity entries that may wait for MongoDB ({@code journal.buffer}) */
    public MongoEventJournal(MongoDatabase db, int capacity) {
        this(db, capacity, DEFAULT_BATCH, DEFAULT_BACKOFF, DEFAULT_BACKOFF_MAX);
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
        this.db = db;
        this.writer = new Thread(this::writeLoop, "journal-writer-" + db.getName());
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void record(JournalEntry e) {
        long n = seq.incrementAndGet();
        String runId = e.runId().isEmpty() ? currentRun() : e.runId();
        Document d = new Document("q", n).append("s", e.stage().code());
        if (!e.effectId().isEmpty()) {
            d.append("f", e.effectId());
        }
        if (!e.worker().isEmpty()) {
            d.append("w", e.worker());
        }
        if (e.token() != 0) {
            d.append("k", e.token());
        }
        if (e.startedAt() != e.at()) {
            d.append("a", e.startedAt());
        }
        d.append("b", e.at());
        if (!e.detail().isEmpty()) {
            d.append("d", e.detail());
        }
        if (!e.operator().isEmpty()) {
            d.append("o", e.operator());
        }
        Pending p = new Pending(runId, e.orderId(), d);
        // the bound counts the batch being retried too, so at most capacity entries ever wait
        if (waiting.incrementAndGet() > capacity || !queue.offer(p)) {
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

    /** An entry on its way to run {@code runId}'s collection. */
    private record Pending(String runId, long orderId, Document entry) {
    }

    @Override
    public void useRun(String runId) {
        if (runId != null && !RunIds.valid(runId)) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        run = runId;
    }

    @Override
    public String currentRun() {
        String r = run;
        return r != null ? r : RunIds.live(System.currentTimeMillis());
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

    /** An entry as read, with its recording sequence (the one field the entry itself does not keep). */
    private record Recorded(JournalEntry entry, long seq) {
    }

    /** By time, then an ingest entry before a handler's in the same millisecond, then recording order. */
    private static final Comparator<Recorded> READING_ORDER = Comparator
            .<Recorded>comparingLong(r -> r.entry().at())
            .thenComparing(r -> r.entry().stage().handlerOutcome())
            .thenComparingLong(Recorded::seq);

    @Override
    public List<JournalEntry> forOrder(long orderId) {
        List<Recorded> read = new ArrayList<>();
        for (String runId : runIds()) {
            Document doc = db.getCollection(PREFIX + runId).find(Filters.eq("_id", orderId)).first();
            if (doc == null) {
                continue;
            }
            for (Document d : doc.getList("e", Document.class, List.of())) {
                read.add(new Recorded(toEntry(runId, orderId, d), number(d, "q", 0)));
            }
        }
        read.sort(READING_ORDER);
        return read.stream().map(Recorded::entry).toList();
    }

    @Override
    public List<String> runIds() {
        List<String> ids = new ArrayList<>();
        for (String name : db.listCollectionNames()) {
            if (name.startsWith(PREFIX) && RunIds.valid(name.substring(PREFIX.length()))) {
                ids.add(name.substring(PREFIX.length()));
            }
        }
        ids.sort(RunIds.NEWEST_FIRST);
        return ids;
    }

    @Override
    public void dropRuns(Collection<String> runIds) {
        for (String id : runIds) {
            if (RunIds.valid(id)) {
                db.getCollection(PREFIX + id).drop();
            }
        }
    }

    private static JournalEntry toEntry(String runId, long orderId, Document d) {
        String effect = d.getString("f") == null ? "" : d.getString("f");
        long at = number(d, "b", 0);
        return new JournalEntry(runId, orderId, effect, JournalEntry.topicOf(effect), JournalStage.ofCode(d.getString("s")),
                d.getString("w"), number(d, "k", 0), number(d, "a", at), at, d.getString("d"), d.getString("o"));
    }

    private static long number(Document d, String key, long otherwise) {
        Object v = d.get(key);
        return v instanceof Number n ? n.longValue() : otherwise;
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
        dropLegacyCollections();
        List<Pending> batch = new ArrayList<>(batchSize);
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
                    writeByRun(batch); // removes what landed; throws when some did not
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

    /** The journal before runs had no run to show an entry in; its space is reused once dropped. */
    private void dropLegacyCollections() {
        try {
            for (String name : db.listCollectionNames()) {
                if (LEGACY.matcher(name).matches()) {
                    db.getCollection(name).drop();
                    log.info("dropped {}.{}: a journal kept before runs", db.getName(), name);
                }
            }
        } catch (RuntimeException e) {
            log.warn("could not drop the journal collections kept before runs in {}: {}", db.getName(), e.toString());
        }
    }

    /**
     * Writes a batch, run by run: one upsert per order adding its entries to the set of its document
     * ({@code $addToSet}: an entry found there already, from an attempt whose answer was lost, is not
     * added again). Removes from the batch what MongoDB has.
     *
     * @throws RuntimeException when some run's entries could not be written; they stay in the batch
     */
    private void writeByRun(List<Pending> batch) {
        Map<String, Map<Long, List<Pending>>> byRun = new LinkedHashMap<>();
        for (Pending p : batch) {
            byRun.computeIfAbsent(p.runId(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(p.orderId(), k -> new ArrayList<>()).add(p);
        }
        RuntimeException failure = null;
        List<Pending> left = new ArrayList<>();
        for (Map.Entry<String, Map<Long, List<Pending>>> r : byRun.entrySet()) {
            List<WriteModel<Document>> writes = new ArrayList<>(r.getValue().size());
            Map<String, Integer> added = new HashMap<>();
            int entries = 0;
            for (Map.Entry<Long, List<Pending>> o : r.getValue().entrySet()) {
                List<Document> docs = new ArrayList<>(o.getValue().size());
                o.getValue().forEach(p -> docs.add(p.entry()));
                entries += docs.size();
                String key = r.getKey() + "|" + o.getKey();
                int room = Math.max(0, MAX_ENTRIES_PER_ORDER - perOrder.getOrDefault(key, 0));
                if (docs.size() > room) {
                    dropped.addAndGet(docs.size() - room);
                    docs.subList(room, docs.size()).clear();
                }
                if (docs.isEmpty()) {
                    continue;
                }
                added.merge(key, docs.size(), Integer::sum);
                writes.add(new UpdateOneModel<>(Filters.eq("_id", o.getKey()), Updates.addEachToSet("e", docs),
                        new UpdateOptions().upsert(true)));
            }
            try {
                if (!writes.isEmpty()) {
                    db.getCollection(PREFIX + r.getKey()).bulkWrite(writes, new BulkWriteOptions().ordered(false));
                }
                added.forEach((k, n) -> perOrder.merge(k, n, Integer::sum));
                waiting.addAndGet(-entries);
            } catch (RuntimeException ex) {
                failure = ex;
                r.getValue().values().forEach(left::addAll);
            }
        }
        batch.clear();
        batch.addAll(left);
        if (failure != null) {
            throw failure;
        }
    }

    private static void take(Object o, List<Pending> batch, List<CountDownLatch> markers) {
        if (o instanceof Pending p) {
            batch.add(p);
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
