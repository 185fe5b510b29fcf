package dev.lockstep.store;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * The {@code unsafe} and {@code naive-lock} modes' store: the article's handler (docs/DESIGN.md, "The article"), unsafe on
 * purpose. It
 * fetches the order, changes it in memory and writes it back (read-modify-write, no guard); an
 * order it does not find is inserted (no unique index), and stock is read, changed and written
 * back. Parallel handlers therefore duplicate orders, lose inventory updates and let older events
 * overwrite newer ones.
 *
 * <p>So that the audit sees exactly what happened although documents are overwritten, every apply
 * is also recorded in an append-only {@code applications} collection.
 *
 * <p>Documents are spread over {@value #BUCKETS} collections by order id. mongo-java-server (the
 * embedded default) has no non-unique secondary indexes, so a lookup by order id scans its
 * collection; small buckets keep that scan short. It changes nothing about the races.
 */
public final class NaiveOrderStore implements OrderStore {
    static final int BUCKETS = 128;

    private final List<MongoCollection<Document>> orderBuckets = new ArrayList<>(BUCKETS);
    private final List<MongoCollection<Document>> applicationBuckets = new ArrayList<>(BUCKETS);
    private final MongoCollection<Document> stock;

    public NaiveOrderStore(MongoDatabase db) {
        for (int b = 0; b < BUCKETS; b++) {
            orderBuckets.add(db.getCollection(String.format("orders_%03d", b)));
            applicationBuckets.add(db.getCollection(String.format("applications_%03d", b)));
        }
        this.stock = db.getCollection("stock");
    }

    private MongoCollection<Document> orders(long orderId) {
        return orderBuckets.get((int) Math.floorMod(orderId, (long) BUCKETS));
    }

    private MongoCollection<Document> applications(long orderId) {
        return applicationBuckets.get((int) Math.floorMod(orderId, (long) BUCKETS));
    }

    @Override
    public ApplyResult apply(OrderEvent event, long token, String worker) {
        OrderState state = event.impliedState();
        MongoCollection<Document> orders = orders(event.orderId());
        Document doc = orders.find(Filters.eq("orderId", event.orderId())).first();
        if (doc == null) {
            orders.insertOne(new Document("orderId", event.orderId()).append("state", state.name())
                    .append("updatedAt", event.updatedAt()).append("financialStatus", event.financialStatus())
                    .append("fulfillmentStatus", event.fulfillmentStatus()));
            moveStock(event.lineItems(), -1);
        } else {
            boolean wasCancelled = OrderState.CANCELLED.name().equals(doc.getString("state"));
            doc.put("state", state.name());
            doc.put("updatedAt", event.updatedAt());
            doc.put("financialStatus", event.financialStatus());
            doc.put("fulfillmentStatus", event.fulfillmentStatus());
            orders.replaceOne(Filters.eq("_id", doc.getObjectId("_id")), doc);
            if (state == OrderState.CANCELLED && !wasCancelled) {
                moveStock(event.lineItems(), +1);
            }
        }
        applications(event.orderId()).insertOne(new Document("orderId", event.orderId()).append("effectId", event.effectId())
                .append("topic", event.topic().wire()).append("updatedAt", event.updatedAt())
                .append("outcome", ApplyResult.APPLIED.name()).append("token", token).append("worker", worker)
                .append("at", System.currentTimeMillis()));
        return ApplyResult.APPLIED;
    }

    /** Read, change in memory, write back: the lost update when two orders of one SKU run at once. */
    private void moveStock(List<LineItem> lines, int sign) {
        for (LineItem li : lines) {
            Document s = stock.find(Filters.eq("_id", li.sku())).first();
            long qty = s == null ? 0 : s.get("qty", Number.class).longValue();
            stock.replaceOne(Filters.eq("_id", li.sku()), new Document("_id", li.sku()).append("qty", qty + sign * li.quantity()),
                    new ReplaceOptions().upsert(true));
        }
    }

    @Override
    public void raiseFence(long orderId, long token) {
        // no fencing here: that is the point
    }

    @Override
    public void seedStock(Map<String, Long> stockBySku) {
        stock.deleteMany(new Document());
        List<Document> docs = new ArrayList<>();
        stockBySku.forEach((sku, qty) -> docs.add(new Document("_id", sku).append("qty", qty)));
        if (!docs.isEmpty()) {
            stock.insertMany(docs);
        }
    }

    @Override
    public Map<String, Long> stock() {
        Map<String, Long> out = new TreeMap<>();
        for (Document d : stock.find()) {
            out.put(d.getString("_id"), d.get("qty", Number.class).longValue());
        }
        return out;
    }

    @Override
    public List<StoredOrder> orders() {
        List<StoredOrder> out = new ArrayList<>();
        for (int b = 0; b < BUCKETS; b++) {
            Map<Long, List<Application>> history = new LinkedHashMap<>();
            for (Document a : applicationBuckets.get(b).find().sort(Sorts.ascending("at", "_id"))) {
                history.computeIfAbsent(a.get("orderId", Number.class).longValue(), k -> new ArrayList<>())
                        .add(FencedOrderStore.application(a));
            }
            long previous = Long.MIN_VALUE;
            for (Document d : orderBuckets.get(b).find().sort(Sorts.ascending("orderId", "_id"))) {
                long orderId = d.get("orderId", Number.class).longValue();
                // the first document of an order carries its history; duplicates carry none
                List<Application> h = orderId == previous ? List.of() : history.getOrDefault(orderId, List.of());
                out.add(toStored(d, h));
                previous = orderId;
            }
        }
        out.sort(java.util.Comparator.comparingLong(StoredOrder::orderId));
        return out;
    }

    @Override
    public List<StoredOrder> order(long orderId) {
        List<Application> history = new ArrayList<>();
        for (Document a : applications(orderId).find(Filters.eq("orderId", orderId)).sort(Sorts.ascending("at", "_id"))) {
            history.add(FencedOrderStore.application(a));
        }
        List<StoredOrder> out = new ArrayList<>();
        for (Document d : orders(orderId).find(Filters.eq("orderId", orderId)).sort(Sorts.ascending("_id"))) {
            out.add(toStored(d, out.isEmpty() ? history : List.of()));
        }
        return out;
    }

    private static StoredOrder toStored(Document d, List<Application> history) {
        ObjectId id = d.getObjectId("_id");
        return new StoredOrder(d.get("orderId", Number.class).longValue(), id.toHexString(),
                OrderState.valueOf(d.getString("state")), d.get("updatedAt", Number.class).longValue(), 0, history);
    }

    @Override
    public void reset() {
        for (int b = 0; b < BUCKETS; b++) {
            orderBuckets.get(b).deleteMany(new Document());
            applicationBuckets.get(b).deleteMany(new Document());
        }
        stock.deleteMany(new Document());
    }
}
