package dev.lockstep.embedded;

import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.h2.H2UniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 backend with group commit: a write is on disk before it is answered.
 *
 * <p>The MVStore is opened with its background auto-commit off ({@link MVStore.Builder#autoCommitDisabled()}),
 * so nothing is written behind our back on a timer. Every OP_MSG command (the only way MongoDB
 * drivers 3.6+ send commands; mongo-java-server answers it in {@code handleMessage}) that may change data (anything
 * not on the short list of known read commands, so an unknown command counts as a write) runs
 * under the shared side of a read-write lock and takes a ticket from a counter before it runs.
 * After it has run, it waits until the group-commit thread reports its ticket durable. That
 * thread takes the exclusive side of the lock (so no write is half done), notes the last ticket
 * issued, calls {@link MVStore#commit()} (which writes the chunk synchronously when auto-commit is
 * off), releases the lock, calls {@link MVStore#sync()} ({@code FileChannel.force(true)}) and then
 * wakes every writer whose ticket it covered: one commit and one fsync for all writers waiting.
 *
 * <p>A read needs no commit of its own, but it may have seen a write that is not yet on disk (MVStore
 * shows changes before they are committed). So a read, after it has run, waits until every ticket
 * issued before it finished is durable; if none is pending it returns at once. Nothing a client
 * reads can vanish in a crash, so no decision is taken on data that is later lost.
 *
 * <p>What each {@link Durability} can lose when the process dies (SIGKILL, out of memory, power
 * loss): {@code COMMIT} loses nothing that was acknowledged (writes in flight, not yet answered, may
 * or may not survive, as with any database); {@code BACKGROUND} is mongo-java-server's own
 * behaviour, MVStore committing about once a second in the background, and loses up to the last
 * second or so of acknowledged writes.
 */
public final class DurableH2Backend extends H2Backend {
    private static final Logger log = LoggerFactory.getLogger(DurableH2Backend.class);

    /** Commands that never change data; everything else is treated as a write. Lower case. */
    private static final Set<String> READS = Set.of("find", "getmore", "count", "distinct", "aggregate",
            "listcollections", "listindexes", "listdatabases", "ismaster", "hello", "ping", "buildinfo",
            "serverstatus", "whatsmyuri", "killcursors", "endsessions", "getlasterror", "dbstats", "collstats",
            "connectionstatus", "getparameter", "getlog", "hostinfo", "getcmdlineopts", "getfreemonitoringstatus",
            "explain", "validate", "currentop");

    /** Where a store's writes are put on disk. */
    public enum Durability {
        /** Every acknowledged write is committed and fsynced before its answer. */
        COMMIT,
        /** MVStore's background auto-commit (about 1 s): a crash loses the last acknowledged writes. */
        BACKGROUND;

        public static Durability parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final MVStore store;
    /** Writers run on the shared side; the committer takes the exclusive side to commit a whole version. */
    private final ReentrantReadWriteLock writeGate = new ReentrantReadWriteLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition done = lock.newCondition();
    /** Last ticket handed to a write (guarded by {@link #lock}). */
    private long issued;
    /** Every ticket up to this one is on disk (guarded by {@link #lock}). */
    private long durable;
    private RuntimeException failure;
    private boolean closing;
    private long commits;
    private final Thread committer;
    /** Background auto-commit also compacted the file; with it off the group-commit thread does. */
    private long lastCompaction = System.nanoTime();
    private static final int RETENTION_MS = 1_000;
    /** Present in files whose maps use {@link BsonDocumentType} and {@link KeyValueType}. */
    static final String FORMAT_MAP = "lockstep.format";
    private static final long COMPACT_EVERY_NANOS = 1_000_000_000L;
    private static final int COMPACT_FILL_RATE = 50;
    private static final int COMPACT_WRITE_BYTES = 4 * 1024 * 1024;

    private DurableH2Backend(MVStore store) {
        super(store);
        this.store = store;
        this.committer = new Thread(this::commitLoop, "mongo-group-commit");
        committer.setDaemon(true);
        committer.start();
    }

    /** Opens (or creates) the MVStore file with background auto-commit off and starts the group-commit thread. */
    public static DurableH2Backend open(String fileName) {
        MVStore store;
        try {
            store = new MVStore.Builder().fileName(fileName).autoCommitDisabled().pageSplitSize(4096).open();
        } catch (org.h2.mvstore.MVStoreException e) {
            throw new IllegalStateException("the embedded MongoDB store " + fileName + " cannot be opened ("
                    + e.getMessage() + "): move its data directory aside, or start with another --data-dir", e);
        }
        if (!store.hasMap(FORMAT_MAP) && store.getMapNames().stream().noneMatch(n -> n.startsWith("databases."))) {
            // a new file: its maps get the typed codecs (a file with data but no marker keeps the defaults)
            store.openMap(FORMAT_MAP).put("types", "bson-documents, typed-index-keys");
            store.commit();
        }
        // Space of dead chunks is reused after this long (default 45 s). Every commit here is fsynced
        // before the next one starts, so a chunk is only overwritten after the versions that
        // replaced it are on disk.
        store.setRetentionTime(RETENTION_MS);
        log.info("opened MVStore {} with background commit off; every write is committed and synced before its answer",
                fileName);
        return new DurableH2Backend(store);
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        Document query = message.getDocument();
        String command = query.keySet().iterator().next();
        if (READS.contains(command.toLowerCase(Locale.ROOT)) && !writesByAggregate(command, query)) {
            Document answer = super.handleMessage(message);
            awaitDurable(issuedSoFar());
            return answer;
        }
        long ticket;
        Document answer;
        writeGate.readLock().lock();
        try {
            ticket = nextTicket();
            answer = super.handleMessage(message);
        } finally {
            writeGate.readLock().unlock();
        }
        awaitDurable(ticket);
        return answer;
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        QueryResult result = super.handleQuery(query);
        awaitDurable(issuedSoFar());
        return result;
    }

    /** Commits done so far (for tests and logs). */
    public long commits() {
        lock.lock();
        try {
            return commits;
        } finally {
            lock.unlock();
        }
    }

    private static boolean writesByAggregate(String command, Document query) {
        if (!command.equalsIgnoreCase("aggregate")) {
            return false;
        }
        Object pipeline = query.get("pipeline");
        if (pipeline instanceof Iterable<?> stages) {
            for (Object stage : stages) {
                if (stage instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private long nextTicket() {
        lock.lock();
        try {
            return ++issued;
        } finally {
            lock.unlock();
        }
    }

    private long issuedSoFar() {
        lock.lock();
        try {
            return issued;
        } finally {
            lock.unlock();
        }
    }

    private void awaitDurable(long ticket) {
        lock.lock();
        try {
            if (durable >= ticket) {
                return;
            }
            work.signal();
            boolean interrupted = false;
            while (durable < ticket) {
                if (failure != null) {
                    throw new IllegalStateException("the embedded MongoDB store could not commit: " + failure.getMessage(),
                            failure);
                }
                if (closing && !committer.isAlive()) {
                    throw new IllegalStateException("the embedded MongoDB store is closed");
                }
                try {
                    done.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    private void commitLoop() {
        while (true) {
            lock.lock();
            try {
                while (durable == issued && !closing) {
                    work.awaitUninterruptibly();
                }
                if (durable == issued && closing) {
                    done.signalAll();
                    return;
                }
            } finally {
                lock.unlock();
            }
            long target;
            try {
                writeGate.writeLock().lock();
                try {
                    target = issuedSoFar();
                    store.commit();
                } finally {
                    writeGate.writeLock().unlock();
                }
                // a write may also have been stored by MVStore itself (memory pressure) without a sync: always force
                store.sync();
                compactNowAndThen();
            } catch (RuntimeException e) {
                log.error("embedded MongoDB store: commit failed; writes are refused from now on", e);
                lock.lock();
                try {
                    failure = e;
                    done.signalAll();
                } finally {
                    lock.unlock();
                }
                return;
            }
            lock.lock();
            try {
                durable = target;
                commits++;
                done.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Rewrites live pages out of mostly-dead chunks (as MVStore's background thread would), so dead
     * chunks can be reused and the file does not grow with every commit. The rewritten pages are
     * ordinary changes: the next group commit stores and syncs them.
     */
    private void compactNowAndThen() {
        long now = System.nanoTime();
        if (now - lastCompaction < COMPACT_EVERY_NANOS) {
            return;
        }
        lastCompaction = now;
        try {
            store.compact(COMPACT_FILL_RATE, COMPACT_WRITE_BYTES);
        } catch (RuntimeException e) {
            log.warn("embedded MongoDB store: compaction failed (the data is unaffected)", e);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            committer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.close();
    }

    /**
     * Databases whose maps use {@link BsonDocumentType} and {@link KeyValueType}, in a file this
     * backend created; a file mongo-java-server's own H2 backend wrote keeps its default types.
     */
    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return getMvStore().hasMap(FORMAT_MAP) ? new TypedDatabase(databaseName) : super.openOrCreateDatabase(databaseName);
    }

    /** mongo-java-server's H2 database with typed maps for documents and unique-index keys. */
    private final class TypedDatabase extends H2Database {
        TypedDatabase(String databaseName) {
            // getMvStore(), not our field: H2Backend opens the stored databases from its constructor
            super(databaseName, getMvStore(), getCursorRegistry());
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            String fullName = getFullCollectionNamespace(collectionName);
            // the map names mongo-java-server uses
            MVMap<Object, Document> data = getMvStore().openMap("databases." + fullName,
                    new MVMap.Builder<Object, Document>().valueType(BsonDocumentType.INSTANCE));
            MVMap<String, Object> meta = getMvStore().openMap("meta." + fullName);
            return new H2Collection(this, collectionName, options, data, meta, cursorRegistry);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                                                        boolean sparse) {
            MVMap<KeyValue, Object> map = getMvStore().openMap(getFullCollectionNamespace(collectionName) + "._index_"
                    + indexName, new MVMap.Builder<KeyValue, Object>().keyType(KeyValueType.INSTANCE));
            try {
                return UNIQUE_INDEX.newInstance(map, indexName, keys, sparse);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot open unique index " + indexName + " of " + collectionName, e);
            }
        }
    }

    /** H2UniqueIndex's constructor is package-private; this is the one way to give it a typed map. */
    private static final Constructor<H2UniqueIndex> UNIQUE_INDEX = uniqueIndexConstructor();

    private static Constructor<H2UniqueIndex> uniqueIndexConstructor() {
        try {
            Constructor<H2UniqueIndex> c = H2UniqueIndex.class.getDeclaredConstructor(MVMap.class, String.class,
                    List.class, boolean.class);
            c.setAccessible(true);
            return c;
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
