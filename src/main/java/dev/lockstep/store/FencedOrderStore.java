package dev.lockstep.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The {@code lockstep} mode's store: fenced (I6), idempotent (I3), order-preserving (I2) writes and
 * exactly-once stock movements (I5), with no sessions or transactions (invariants: docs/DESIGN.md, "Invariants").
 *
 * <p>An order is one document keyed by the order id. A holder applies the run of events its lease
 * gave it ({@link #applyRun}) by ONE compare-and-set replacement of that document: the events are
 * decided one after another on the document as the previous ones left it, each adding its effect id
 * to the applied window and a history entry; the writer's token becomes the fence. A stock movement
 * (the order's lines taken when it is first placed, returned when it is cancelled after that) is part
 * of the same write: {@code take}/{@code ret} = {@code held} says this document holds it, so it
 * happens exactly when the write lands, once, with no window between the order and its stock. A
 * SKU's stock is its initial level plus the movements the orders hold (I5 literally).
 *
 * <p>Documents written by the store before movements moved into the order say {@code pending} or
 * {@code done} there and keep a ledger entry per movement with a unique id
 * ({@code <orderId>:take|ret}): a pending one is done (once, by that id) by whoever writes the order
 * next, and {@link #stock} adds the ledger to what the orders hold.
 *
 * <p>Calls per event: the holder keeps the document it last wrote ({@link #WRITTEN_CACHE} orders)
 * and compares-and-sets against that version instead of reading first; a run that starts with the
 * order's creation tries an insert first. So a new order's run of events costs one insert, and a
 * later run under the same holder one replacement: a guess that is stale (the lane moved to another
 * process meanwhile, or a fence was raised) fails its compare-and-set and is read afresh.
 * {@link #operations()} counts the calls.
 *
 * <p>Bounded documents: an order document keeps the latest {@value #APPLIED_WINDOW} effect ids
 * ({@code applied}) and at most {@value #HISTORY_CHUNK} history entries ({@code recent}); when
 * {@code recent} is full, the next write first stores it as one chunk {@code "<orderId>:<n>"} of the
 * {@code history} collection (idempotent, see {@link #saveChunk}) and its compare-and-set starts
 * {@code recent} afresh and counts {@code chunks}. So applying an order's 1,000th event reads and
 * writes a document of the same size as its 1st, plus one chunk insert every {@value #HISTORY_CHUNK}
 * events; {@link #orders()} and {@link #order(long)} reassemble the whole history for the audit and
 * the timelines. Why a bounded window of effect ids is enough for I3: a re-run or a re-delivery of an
 * event that took effect finds its effect id when it is among the latest {@value #APPLIED_WINDOW}
 * (the lane's head after a crash or a revocation always is: {@link ApplyResult#ALREADY_APPLIED});
 * an older one has an {@code updated_at} no newer than the stored one (updated_at only rises), so the
 * rule below skips it as stale and it changes nothing; and the stock moves are guarded by
 * {@code take}/{@code ret}, not by the window.
 *
 * <p>What an event changes (docs/DESIGN.md, "Invariants", I2), decided on the document read for
 * the compare-and-set. An event is <em>stale</em> when the order is terminal (cancelled) or its
 * source {@code updated_at} is not newer than the stored one: it changes nothing (recorded as
 * {@link ApplyResult#SKIPPED_STALE}). Otherwise it is applied, field by field:
 * <ul>
 *   <li>{@code updatedAt} takes the event's value (every applied event is newer);</li>
 *   <li>{@code state} takes the event's implied state when that is progress
 *       ({@link OrderState#canAdvanceTo}), else stays;</li>
 *   <li>{@code financialStatus} and {@code fulfillmentStatus} are the payload of the order's state:
 *       they take the event's values only when the event's implied state is the state the order has
 *       after it (it advanced the state, or it is newer at the same state). A newer event of lower
 *       rank (say an {@code orders/updated} without a fulfillment status, after {@code orders/fulfilled})
 *       moves {@code updatedAt} only, so a fulfilled order never shows a null fulfillment status;</li>
 *   <li>{@code lines} are the first event's, never changed.</li>
 * </ul>
 * So no field is ever changed by an event older than, or of lower rank than, the event that set it.
 * {@code burst.ExpectedOrder} folds the same rule for {@code state} and {@code updatedAt} (it has no
 * status fields).
 *
 * <p>The compare-and-set filters on {@code cas} = {@code "<orderId>:<fence>:<random>"}, new with
 * every write (so a document never returns to a value a writer saw), one field with a unique index, rather than on {@code _id} and {@code fence}: mongo-java-server (the embedded
 * default) uses an index only when a query's keys equal the index's keys exactly and has no compound
 * indexes, so a two-field filter would scan the whole collection.
 */
public final class FencedOrderStore implements OrderStore {
    private static final int CAS_ATTEMPTS = 100;
    /** Effect ids an order document keeps: its latest ones (see the class comment on why that suffices). */
    static final int APPLIED_WINDOW = 32;
    /** History entries an order document keeps before they move, as one chunk, to {@code history}. */
    static final int HISTORY_CHUNK = 16;
    /** Orders whose last written document this process keeps as its next compare-and-set guess. */
    static final int WRITTEN_CACHE = 4096;
    /** A movement this order document holds: it took effect with the write that recorded it. */
    private static final String HELD = "held";
    /** Earlier stores: a movement recorded, its ledger entry maybe not yet written. */
    private static final String PENDING = "pending";
    /** Earlier stores: a movement whose ledger entry is written. */
    private static final String DONE = "done";

    private final MongoCollection<Document> orders;
    private final MongoCollection<Document> stock;
    private final MongoCollection<Document> ledger;
    private final MongoCollection<Document> history;
    /**
     * The documents as this process last wrote them (or found them), by order: a holder running an
     * order's events one lease after another compares-and-sets against its own last write instead of
     * reading the document first. A guess only: a stale entry fails its compare-and-set and is read
     * afresh. Bounded (least recently used out).
     */
    private final Map<Long, Document> written = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Document> eldest) {
            return size() > WRITTEN_CACHE;
        }
    });
    private final LongAdder operations = new LongAdder();

    public FencedOrderStore(MongoDatabase db) {
        // A read that decides a write (the compare-and-set's guess, the fence) goes to the primary even
        // when the URI prefers secondaries: a secondary's stale copy would only fail compare-and-sets.
        db = db.withReadPreference(com.mongodb.ReadPreference.primary());
        this.orders = db.getCollection("orders");
        this.stock = db.getCollection("stock");
        this.ledger = db.getCollection("ledger");
        this.history = db.getCollection("history");
        createIndexes();
    }

    private void createIndexes() {
        orders.createIndex(Indexes.ascending("cas"), new IndexOptions().unique(true));
    }

    /**
     * A fresh compare-and-set value: the order, its fence, and a random part, so the value changes
     * with every write (also under an unchanged fence) and a document never returns to a value a
     * writer saw before, not even after {@link #reset} and new tokens from a purged queue.
     */
    private static String newCas(long orderId, long fence) {
        return orderId + ":" + fence + ":" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /** Counts one call to the server ({@link #operations()}); returns its argument. */
    private <T> T count(T result) {
        operations.increment();
        return result;
    }

    @Override
    public long operations() {
        return operations.sum();
    }

    @Override
    public ApplyResult apply(OrderEvent event, long token, String worker) {
        return applyRun(List.of(event), token, worker).get(0);
    }

    /**
     * Applies a run of one order's events, in order, in ONE write: the events are folded over the
     * document (each decided as {@link #apply} would, in turn) and the result replaces it by one
     * compare-and-set, so either all of the run's effects land or none; the stock movements it starts
     * follow. Without a cached version it first reads the document, or, for a run that starts with
     * the order's creation, tries to insert it outright.
     */
    @Override
    public List<ApplyResult> applyRun(List<OrderEvent> events, long token, String worker) {
        long orderId = events.get(0).orderId();
        for (OrderEvent e : events) {
            if (e.orderId() != orderId) {
                throw new IllegalArgumentException("a run holds one order's events; got orders " + orderId + " and "
                        + e.orderId());
            }
        }
        boolean mayInsert = events.get(0).topic() == Topic.CREATE;
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            Document cached = written.get(orderId);
            Document doc = cached;
            if (doc == null && !mayInsert) {
                doc = count(orders.find(Filters.eq("_id", orderId)).first());
            }
            if (doc == null) {
                Fold f = fold(new Document("_id", orderId), events, token, worker);
                if (insert(f.doc)) {
                    finishMovements(f.doc);
                    return f.results;
                }
                mayInsert = false; // someone created it meanwhile: decide again on what is there
                continue;
            }
            long fence = fenceOf(doc);
            // A lease's token covers every event its holder runs from the lane, so the same token may
            // write again; only an older one (a revoked holder's) is refused.
            if (token != NO_FENCE && token < fence) {
                return List.of(ApplyResult.REJECTED_FENCE);
            }
            if (cached == null) {
                // movements a crashed or revoked writer left pending: finish them (idempotent), so this
                // write can record them done
                doc = finishMovements(doc);
            }
            Fold f = fold(doc, events, token, worker);
            if (f.doc == doc) {
                return f.results; // every event of the run took effect before: nothing to write
            }
            if (f.spill != null) {
                saveChunk(orderId, chunks(doc), f.spill);
            }
            UpdateResult r = count(orders.replaceOne(Filters.eq("cas", doc.getString("cas")), f.doc));
            if (r.getModifiedCount() == 1) {
                finishMovements(f.doc);
                return f.results;
            }
            written.remove(orderId);
            if (cached != null) {
                attempt--; // a stale guess costs a read, not an attempt
            }
        }
        throw new IllegalStateException("order " + orderId + " kept changing under " + CAS_ATTEMPTS
                + " compare-and-set attempts");
    }

    private static long fenceOf(Document doc) {
        Number n = doc.get("fence", Number.class);
        return n == null ? 0 : n.longValue();
    }

    /**
     * The document after a run of events, decided one by one on the document as the previous ones
     * left it; the same document (not a copy) when none of them changes anything.
     *
     * @param spill the history entries to move to a chunk first (the stored {@code recent}, when full)
     */
    private record Fold(Document doc, List<ApplyResult> results, List<Document> spill) {
    }

    private static Fold fold(Document base, List<OrderEvent> events, long token, String worker) {
        List<ApplyResult> results = new ArrayList<>(events.size());
        Document doc = new Document(base);
        List<String> applied = new ArrayList<>(base.getList("applied", String.class, List.of()));
        List<Document> recent = new ArrayList<>(base.getList("recent", Document.class, List.of()));
        List<Document> spill = null;
        boolean changed = false;
        for (OrderEvent event : events) {
            if (applied.contains(event.effectId())) {
                results.add(ApplyResult.ALREADY_APPLIED);
                continue;
            }
            Decision d = decide(doc, event);
            if (d.outcome == ApplyResult.APPLIED) {
                doc.put("state", d.state.name());
                doc.put("updatedAt", event.updatedAt());
                if (d.fields) {
                    doc.put("financialStatus", event.financialStatus());
                    doc.put("fulfillmentStatus", event.fulfillmentStatus());
                }
                if (!doc.containsKey("lines")) {
                    doc.put("lines", lines(event));
                }
                if (d.take) {
                    doc.put("take", HELD);
                }
                if (d.ret) {
                    doc.put("ret", HELD);
                }
            }
            if (applied.size() >= APPLIED_WINDOW) {
                applied.remove(0);
            }
            applied.add(event.effectId());
            if (!changed && recent.size() >= HISTORY_CHUNK) {
                // only the stored list is spilled: its entries are fixed by a committed write, so whoever
                // spills it (this writer, or one whose compare-and-set wins instead) writes the same chunk
                spill = recent;
                recent = new ArrayList<>();
                doc.put("chunks", chunks(base) + 1);
            }
            recent.add(historyEntry(event, d.outcome, token, worker));
            results.add(d.outcome);
            changed = true;
        }
        if (!changed) {
            return new Fold(base, results, null);
        }
        long fence = fenceOf(base);
        doc.put("fence", token == NO_FENCE ? fence : Math.max(fence, token));
        doc.put("cas", newCas(base.get("_id", Number.class).longValue(), fenceOf(doc)));
        doc.put("applied", applied);
        doc.put("recent", recent);
        if (!doc.containsKey("chunks")) {
            doc.put("chunks", 0);
        }
        return new Fold(doc, results, spill);
    }

    /** The first write of an order inserts its document. @return false when it already existed */
    private boolean insert(Document doc) {
        try {
            count(null);
            orders.insertOne(doc);
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    private static int chunks(Document doc) {
        Number n = doc.get("chunks", Number.class);
        return n == null ? 0 : n.intValue();
    }

    /**
     * Writes a full {@code recent} list as chunk {@code n} of the order's history, before the
     * compare-and-set that empties it. Idempotent: every version of the document with {@code n}
     * chunks and a full {@code recent} holds the same entries (only the write that spills them
     * changes a full list), so a writer whose compare-and-set then fails, or a re-run, writes the
     * same chunk again, or finds it there.
     */
    private void saveChunk(long orderId, int n, List<Document> entries) {
        try {
            count(null);
            history.insertOne(new Document("_id", orderId + ":" + n).append("orderId", orderId).append("n", n)
                    .append("entries", entries));
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    /** What an event does to the stored order: apply or skip as stale, and which stock moves it starts. */
    private static Decision decide(Document doc, OrderEvent event) {
        String stored = doc.getString("state");
        OrderState implied = event.impliedState();
        if (stored == null) {
            // a placeholder made by raiseFence: this is the order's first real event
            return new Decision(ApplyResult.APPLIED, implied, implied != OrderState.CANCELLED, false, true);
        }
        OrderState current = OrderState.valueOf(stored);
        long storedAt = doc.get("updatedAt", Number.class).longValue();
        boolean newer = event.updatedAt() > storedAt;
        if (current.terminal() || !newer) {
            return new Decision(ApplyResult.SKIPPED_STALE, current, false, false, false);
        }
        OrderState next = current.canAdvanceTo(implied) ? implied : current;
        boolean take = next != OrderState.CANCELLED && !doc.containsKey("take");
        boolean ret = next == OrderState.CANCELLED && doc.containsKey("take") && !doc.containsKey("ret");
        // the status fields move only with an event whose payload is at the order's (new) state: a newer
        // event of lower rank moves updated_at and nothing else
        return new Decision(ApplyResult.APPLIED, next, take, ret, next == implied);
    }

    /**
     * @param fields whether {@code financialStatus} and {@code fulfillmentStatus} take the event's values
     */
    private record Decision(ApplyResult outcome, OrderState state, boolean take, boolean ret, boolean fields) {
    }

    /**
     * Does the stock movements a document of an earlier store records as pending, each exactly once
     * (its ledger entry has a unique id), and returns the document as it is once they are done (the
     * next write records that). Documents this store writes hold their movements: nothing to do.
     */
    private Document finishMovements(Document doc) {
        boolean take = PENDING.equals(doc.getString("take"));
        boolean ret = PENDING.equals(doc.getString("ret"));
        long orderId = doc.get("_id", Number.class).longValue();
        Document done = doc;
        if (take || ret) {
            List<Document> lines = doc.getList("lines", Document.class, List.of());
            done = new Document(doc);
            if (take) {
                move(orderId, lines, "take", -1);
                done.put("take", DONE);
            }
            if (ret) {
                move(orderId, lines, "ret", +1);
                done.put("ret", DONE);
            }
        }
        written.put(orderId, done);
        return done;
    }

    /** One movement is one ledger entry holding a delta per line, so it happens whole or not at all. */
    private void move(long orderId, List<Document> lines, String kind, int sign) {
        List<Document> deltas = new ArrayList<>(lines.size());
        for (Document line : lines) {
            deltas.add(new Document("sku", line.getString("sku"))
                    .append("delta", sign * line.get("quantity", Number.class).longValue()));
        }
        try {
            count(null);
            ledger.insertOne(new Document("_id", orderId + ":" + kind).append("orderId", orderId).append("lines", deltas));
        } catch (MongoWriteException e) {
            // the entry exists: this movement was done before
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
        }
    }

    private static List<Document> lines(OrderEvent e) {
        List<Document> out = new ArrayList<>(e.lineItems().size());
        for (LineItem li : e.lineItems()) {
            out.add(new Document("sku", li.sku()).append("quantity", li.quantity()));
        }
        return out;
    }

    private static Document historyEntry(OrderEvent e, ApplyResult outcome, long token, String worker) {
        return new Document("effectId", e.effectId()).append("topic", e.topic().wire())
                .append("updatedAt", e.updatedAt()).append("outcome", outcome.name()).append("token", token)
                .append("worker", worker).append("at", System.currentTimeMillis());
    }

    @Override
    public void raiseFence(long orderId, long token) {
        written.remove(orderId);
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            Document doc = count(orders.find(Filters.eq("_id", orderId)).first());
            if (doc == null) {
                // a placeholder (no state) so the fence holds before the order's first event lands
                try {
                    count(null);
                    orders.insertOne(new Document("_id", orderId).append("fence", token).append("cas", newCas(orderId, token)));
                    return;
                } catch (MongoWriteException e) {
                    if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                        throw e;
                    }
                    continue;
                }
            }
            if (doc.get("fence", Number.class).longValue() >= token) {
                return; // never lowers a fence
            }
            UpdateResult r = count(orders.updateOne(Filters.eq("cas", doc.getString("cas")),
                    Updates.combine(Updates.set("fence", token), Updates.set("cas", newCas(orderId, token)))));
            if (r.getModifiedCount() == 1) {
                return;
            }
        }
        throw new IllegalStateException("fence of order " + orderId + " kept changing while raising it to " + token);
    }

    @Override
    public void seedStock(Map<String, Long> stockBySku) {
        stock.deleteMany(new Document());
        ledger.deleteMany(new Document());
        List<Document> docs = new ArrayList<>();
        stockBySku.forEach((sku, qty) -> docs.add(new Document("_id", sku).append("initial", qty)));
        if (!docs.isEmpty()) {
            stock.insertMany(docs);
        }
    }

    @Override
    public Map<String, Long> stock() {
        Map<String, Long> out = new TreeMap<>();
        for (Document d : stock.find()) {
            out.put(d.getString("_id"), d.get("initial", Number.class).longValue());
        }
        for (Document d : orders.find(Filters.or(Filters.eq("take", HELD), Filters.eq("ret", HELD)))) {
            for (Document line : d.getList("lines", Document.class, List.of())) {
                long qty = line.get("quantity", Number.class).longValue();
                long delta = (HELD.equals(d.getString("take")) ? -qty : 0) + (HELD.equals(d.getString("ret")) ? qty : 0);
                out.merge(line.getString("sku"), delta, Long::sum);
            }
        }
        for (Document d : ledger.find()) { // movements of documents written by earlier stores
            for (Document line : d.getList("lines", Document.class, List.of(d))) {
                if (line.containsKey("sku")) { // entries of a line each, as the first stores wrote them
                    out.merge(line.getString("sku"), line.get("delta", Number.class).longValue(), Long::sum);
                }
            }
        }
        return out;
    }

    @Override
    public List<StoredOrder> orders() {
        Map<Long, Map<Integer, List<Document>>> chunksByOrder = new HashMap<>();
        for (Document c : history.find()) {
            chunksByOrder.computeIfAbsent(c.get("orderId", Number.class).longValue(), k -> new HashMap<>())
                    .put(c.get("n", Number.class).intValue(), c.getList("entries", Document.class));
        }
        List<StoredOrder> out = new ArrayList<>();
        for (Document d : orders.find(Filters.exists("state")).sort(Sorts.ascending("_id"))) {
            out.add(toStored(d, chunksByOrder.getOrDefault(d.get("_id", Number.class).longValue(), Map.of())));
        }
        return out;
    }

    @Override
    public List<StoredOrder> order(long orderId) {
        Document d = orders.find(Filters.eq("_id", orderId)).first();
        if (d == null) {
            return List.of();
        }
        Map<Integer, List<Document>> chunks = new HashMap<>();
        for (int n = 0; n < chunks(d); n++) {
            Document c = history.find(Filters.eq("_id", orderId + ":" + n)).first();
            if (c != null) {
                chunks.put(n, c.getList("entries", Document.class));
            }
        }
        return List.of(toStored(d, chunks));
    }

    /**
     * The stored order with its whole history: entries of documents written before history moved out
     * ({@code history}), then the order's chunks in the {@code history} collection, then {@code recent}.
     */
    private static StoredOrder toStored(Document d, Map<Integer, List<Document>> chunks) {
        long orderId = d.get("_id", Number.class).longValue();
        String state = d.getString("state");
        Number updatedAt = d.get("updatedAt", Number.class);
        Number fence = d.get("fence", Number.class);
        List<Application> history = new ArrayList<>();
        for (Document h : d.getList("history", Document.class, List.of())) {
            history.add(application(h));
        }
        for (int n = 0; n < chunks(d); n++) {
            for (Document h : chunks.getOrDefault(n, List.of())) {
                history.add(application(h));
            }
        }
        for (Document h : d.getList("recent", Document.class, List.of())) {
            history.add(application(h));
        }
        return new StoredOrder(orderId, String.valueOf(orderId), state == null ? OrderState.PENDING : OrderState.valueOf(state),
                updatedAt == null ? 0 : updatedAt.longValue(), fence == null ? 0 : fence.longValue(), history);
    }

    static Application application(Document h) {
        return new Application(h.getString("effectId"), Topic.fromWire(h.getString("topic")).orElseThrow(),
                h.get("updatedAt", Number.class).longValue(), ApplyResult.valueOf(h.getString("outcome")),
                h.get("token", Number.class).longValue(), h.getString("worker"), h.get("at", Number.class).longValue());
    }

    @Override
    public void reset() {
        written.clear();
        orders.deleteMany(new Document());
        stock.deleteMany(new Document());
        ledger.deleteMany(new Document());
        history.deleteMany(new Document());
        createIndexes();
    }
}
