package dev.lockstep.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.testing.TestServers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lockstep store on the real MongoDB-wire server through the real driver. */
class FencedOrderStoreTest {
    private static final List<LineItem> LINES = List.of(new LineItem("A", 2), new LineItem("B", 1));
    private FencedOrderStore store;
    private String dbName;

    @BeforeEach
    void setUp() {
        dbName = TestServers.uniqueName("db");
        store = new FencedOrderStore(TestServers.get().mongo().getDatabase(dbName));
        store.reset();
        store.seedStock(Map.of("A", 100L, "B", 100L));
    }

    private static OrderEvent ev(long order, Topic topic, int n, long updatedAt) {
        String fin = topic == Topic.CREATE ? "pending" : "paid";
        String ful = topic == Topic.FULFILLED ? "fulfilled" : null;
        return new OrderEvent("shop", topic, order, "evt-" + order + "-" + n, "", updatedAt, fin, ful, LINES);
    }

    @Test
    void appliesALifecycleAndMovesStockOnce() {
        assertThat(store.apply(ev(1, Topic.CREATE, 1, 100), 1, "w")).isEqualTo(ApplyResult.APPLIED);
        assertThat(store.apply(ev(1, Topic.PAID, 2, 200), 2, "w")).isEqualTo(ApplyResult.APPLIED);
        assertThat(store.apply(ev(1, Topic.UPDATED, 3, 300), 3, "w")).isEqualTo(ApplyResult.APPLIED);
        assertThat(store.apply(ev(1, Topic.FULFILLED, 4, 400), 4, "w")).isEqualTo(ApplyResult.APPLIED);
        StoredOrder o = store.order(1).get(0);
        assertThat(o.state()).isEqualTo(OrderState.FULFILLED);
        assertThat(o.updatedAt()).isEqualTo(400);
        assertThat(o.fence()).isEqualTo(4);
        assertThat(o.history()).extracting(Application::outcome).containsOnly(ApplyResult.APPLIED).hasSize(4);
        assertThat(store.stock()).containsEntry("A", 98L).containsEntry("B", 99L);
    }

    @Test
    void aRepeatedEffectIsAlreadyAppliedAndChangesNothing() {
        store.apply(ev(1, Topic.CREATE, 1, 100), 1, "w");
        assertThat(store.apply(ev(1, Topic.CREATE, 1, 100), 2, "w")).isEqualTo(ApplyResult.ALREADY_APPLIED);
        assertThat(store.stock()).containsEntry("A", 98L);
        assertThat(store.order(1).get(0).history()).hasSize(1);
    }

    @Test
    void anOlderEventIsSkippedAndNeverRegressesTheOrder() {
        store.apply(ev(1, Topic.CREATE, 1, 100), 1, "w");
        store.apply(ev(1, Topic.FULFILLED, 3, 300), 2, "w");
        assertThat(store.apply(ev(1, Topic.PAID, 2, 200), 3, "w")).isEqualTo(ApplyResult.SKIPPED_STALE);
        StoredOrder o = store.order(1).get(0);
        assertThat(o.state()).isEqualTo(OrderState.FULFILLED);
        assertThat(o.updatedAt()).isEqualTo(300);
        assertThat(o.history()).extracting(Application::outcome)
                .containsExactly(ApplyResult.APPLIED, ApplyResult.APPLIED, ApplyResult.SKIPPED_STALE);
    }

    private Document raw(long orderId) {
        return TestServers.get().mongo().getDatabase(dbName).getCollection("orders").find(new Document("_id", orderId))
                .first();
    }

    private static OrderEvent ev(long order, Topic topic, int n, long updatedAt, String fin, String ful) {
        return new OrderEvent("shop", topic, order, "evt-" + order + "-" + n, "", updatedAt, fin, ful, LINES);
    }

    /** Issue 9: a newer event of lower rank moves updated_at only; no status field regresses. */
    @Test
    void aNewerLowerRankEventMovesOnlyUpdatedAtAndNoFieldRegresses() {
        store.apply(ev(1, Topic.CREATE, 1, 100, "pending", null), 1, "w");
        store.apply(ev(1, Topic.FULFILLED, 2, 200, "paid", "fulfilled"), 1, "w");
        // newer, but its payload implies only CREATED (no financial or fulfillment status)
        assertThat(store.apply(ev(1, Topic.UPDATED, 3, 300, null, null), 1, "w")).isEqualTo(ApplyResult.APPLIED);
        Document d = raw(1);
        assertThat(d.getString("state")).isEqualTo("FULFILLED");
        assertThat(d.get("updatedAt", Number.class).longValue()).isEqualTo(300);
        assertThat(d.getString("financialStatus")).isEqualTo("paid");
        assertThat(d.getString("fulfillmentStatus")).isEqualTo("fulfilled");
    }

    @Test
    void aStaleEventChangesNoField() {
        store.apply(ev(1, Topic.CREATE, 1, 100, "pending", null), 1, "w");
        store.apply(ev(1, Topic.PAID, 3, 300, "paid", null), 1, "w");
        assertThat(store.apply(ev(1, Topic.FULFILLED, 2, 200, "paid", "fulfilled"), 1, "w"))
                .isEqualTo(ApplyResult.SKIPPED_STALE);
        Document d = raw(1);
        assertThat(d.getString("state")).isEqualTo("PAID");
        assertThat(d.get("updatedAt", Number.class).longValue()).isEqualTo(300);
        assertThat(d.getString("financialStatus")).isEqualTo("paid");
        assertThat(d.getString("fulfillmentStatus")).isNull();
    }

    /** An event newer for the fields (same or higher rank) does move them. */
    @Test
    void aNewerEventOfTheSameRankMovesTheFields() {
        store.apply(ev(1, Topic.CREATE, 1, 100, "pending", null), 1, "w");
        store.apply(ev(1, Topic.PAID, 2, 200, "authorized", null), 1, "w");
        store.apply(ev(1, Topic.UPDATED, 3, 300, "paid", null), 1, "w");
        Document d = raw(1);
        assertThat(d.getString("state")).isEqualTo("PAID");
        assertThat(d.getString("financialStatus")).isEqualTo("paid");
        // a later lower-rank update between two higher ones: the fields stay with the higher event
        store.apply(ev(1, Topic.FULFILLED, 4, 400, "paid", "fulfilled"), 1, "w");
        store.apply(ev(1, Topic.UPDATED, 5, 500, "pending", null), 1, "w");
        store.apply(ev(1, Topic.UPDATED, 6, 600, "partially_refunded", "fulfilled"), 1, "w");
        d = raw(1);
        assertThat(d.getString("state")).isEqualTo("FULFILLED");
        assertThat(d.get("updatedAt", Number.class).longValue()).isEqualTo(600);
        assertThat(d.getString("financialStatus")).isEqualTo("partially_refunded");
        assertThat(d.getString("fulfillmentStatus")).isEqualTo("fulfilled");
    }

    private int bsonSize(long orderId) {
        return new org.bson.RawBsonDocument(raw(orderId), new org.bson.codecs.DocumentCodec()).getByteBuffer().remaining();
    }

    /**
     * Issue 9, bounded documents: 1,000 events on one order leave a document no bigger than after a
     * few dozen, the whole history is still read back in order, a re-delivered recent effect is
     * refused as already applied and a re-delivered old one changes nothing.
     */
    @Test
    void aThousandEventsKeepTheOrderDocumentBoundedAndTheHistoryWhole() {
        int n = 1000;
        store.apply(ev(1, Topic.CREATE, 0, 1_000, "pending", null), 1, "w");
        // the largest the document gets early on (once the applied window is full) ...
        int early = FencedOrderStore.APPLIED_WINDOW + FencedOrderStore.HISTORY_CHUNK;
        int largestEarly = 0;
        int largestLate = 0;
        for (int i = 1; i < n; i++) {
            Topic topic = i == 1 ? Topic.PAID : Topic.UPDATED;
            assertThat(store.apply(ev(1, topic, i, 1_000 + i, "paid", null), 1, "w")).isEqualTo(ApplyResult.APPLIED);
            if (i >= early && i < early + FencedOrderStore.HISTORY_CHUNK) {
                largestEarly = Math.max(largestEarly, bsonSize(1));
            } else if (i >= n - FencedOrderStore.HISTORY_CHUNK) {
                largestLate = Math.max(largestLate, bsonSize(1));
            }
        }
        // ... is the largest it gets after 1,000 (event ids grow by a digit: a few bytes each)
        assertThat(largestLate).as("order document bytes near %d events", n).isLessThan(6 * 1024)
                .isLessThanOrEqualTo(largestEarly + 256);
        assertThat(raw(1).getList("applied", String.class)).hasSize(FencedOrderStore.APPLIED_WINDOW);

        // a recent effect re-delivered: refused as applied; an old one: stale, changes nothing
        assertThat(store.apply(ev(1, Topic.UPDATED, n - 2, 1_000 + n - 2, "paid", null), 2, "re-run"))
                .isEqualTo(ApplyResult.ALREADY_APPLIED);
        assertThat(store.apply(ev(1, Topic.UPDATED, 5, 1_005, "pending", null), 2, "late"))
                .isEqualTo(ApplyResult.SKIPPED_STALE);
        Document d = raw(1);
        assertThat(d.get("updatedAt", Number.class).longValue()).isEqualTo(1_000 + n - 1);
        assertThat(d.getString("financialStatus")).isEqualTo("paid");
        assertThat(store.stock()).containsEntry("A", 98L).containsEntry("B", 99L);

        StoredOrder o = store.order(1).get(0);
        assertThat(o.history()).hasSize(n + 1);
        assertThat(o.history().subList(0, n)).extracting(Application::updatedAt)
                .isSorted().doesNotHaveDuplicates();
        assertThat(o.history().get(n).outcome()).isEqualTo(ApplyResult.SKIPPED_STALE);
        assertThat(store.orders()).singleElement().satisfies(all -> assertThat(all.history()).isEqualTo(o.history()));
    }

    @Test
    void cancelledStaysTerminalAndReturnsStock() {
        store.apply(ev(1, Topic.CREATE, 1, 100), 1, "w");
        store.apply(ev(1, Topic.CANCELLED, 2, 200), 2, "w");
        assertThat(store.apply(ev(1, Topic.UPDATED, 3, 300), 3, "w")).isEqualTo(ApplyResult.SKIPPED_STALE);
        assertThat(store.order(1).get(0).state()).isEqualTo(OrderState.CANCELLED);
        assertThat(store.stock()).containsEntry("A", 100L).containsEntry("B", 100L);
    }

    @Test
    void cancelledBeforeCreatedNeverMovesStock() {
        store.apply(ev(1, Topic.CANCELLED, 2, 200), 1, "w");
        assertThat(store.apply(ev(1, Topic.CREATE, 1, 100), 2, "w")).isEqualTo(ApplyResult.SKIPPED_STALE);
        assertThat(store.order(1).get(0).state()).isEqualTo(OrderState.CANCELLED);
        assertThat(store.stock()).containsEntry("A", 100L).containsEntry("B", 100L);
    }

    @Test
    void anUpdateCarriesThePaidStateOfItsPayload() {
        store.apply(ev(1, Topic.CREATE, 1, 100), 1, "w");
        // an update sent after payment arrives before the (older) paid event
        store.apply(ev(1, Topic.UPDATED, 3, 300), 2, "w");
        assertThat(store.apply(ev(1, Topic.PAID, 2, 200), 3, "w")).isEqualTo(ApplyResult.SKIPPED_STALE);
        assertThat(store.order(1).get(0).state()).isEqualTo(OrderState.PAID);
    }

    @Test
    void aTokenBelowTheFenceIsRejectedAndChangesNothing() {
        store.apply(ev(1, Topic.CREATE, 1, 100), 5, "w");
        assertThat(store.apply(ev(1, Topic.PAID, 2, 200), 4, "old")).isEqualTo(ApplyResult.REJECTED_FENCE);
        StoredOrder o = store.order(1).get(0);
        assertThat(o.state()).isEqualTo(OrderState.CREATED);
        assertThat(o.history()).hasSize(1);
    }

    /** One lease runs several events of its lane under one token: each of them writes. */
    @Test
    void theHolderOfATokenWritesAgainUnderIt() {
        store.apply(ev(1, Topic.CREATE, 1, 100), 5, "w");
        assertThat(store.apply(ev(1, Topic.PAID, 2, 200), 5, "w")).isEqualTo(ApplyResult.APPLIED);
        assertThat(store.apply(ev(1, Topic.PAID, 2, 200), 5, "w")).isEqualTo(ApplyResult.ALREADY_APPLIED);
        store.raiseFence(1, 6);
        assertThat(store.apply(ev(1, Topic.FULFILLED, 3, 300), 5, "revoked")).isEqualTo(ApplyResult.REJECTED_FENCE);
        assertThat(store.order(1).get(0).state()).isEqualTo(OrderState.PAID);
    }

    @Test
    void aRaisedFenceRefusesTheRevokedHolderBeforeAnyNewerHolderWrote() {
        store.apply(ev(1, Topic.CREATE, 1, 100), 1, "w");
        store.raiseFence(1, 3);
        assertThat(store.apply(ev(1, Topic.PAID, 2, 200), 2, "revoked")).isEqualTo(ApplyResult.REJECTED_FENCE);
        assertThat(store.apply(ev(1, Topic.PAID, 2, 200), 4, "new")).isEqualTo(ApplyResult.APPLIED);
        store.raiseFence(1, 2);
        assertThat(store.order(1).get(0).fence()).isEqualTo(4);
    }

    @Test
    void aRaisedFenceOnAnUnseenOrderIsAPlaceholderNotAnOrder() {
        store.raiseFence(9, 3);
        assertThat(store.orders()).isEmpty();
        assertThat(store.apply(ev(9, Topic.CREATE, 1, 100), 2, "revoked")).isEqualTo(ApplyResult.REJECTED_FENCE);
        assertThat(store.apply(ev(9, Topic.CREATE, 1, 100), 4, "new")).isEqualTo(ApplyResult.APPLIED);
        assertThat(store.orders()).singleElement().satisfies(o -> assertThat(o.state()).isEqualTo(OrderState.CREATED));
        assertThat(store.stock()).containsEntry("A", 98L);
    }

    @Test
    void aCrashBetweenTheOrderWriteAndTheStockMoveHealsOnTheReRun() {
        store.apply(ev(1, Topic.CREATE, 1, 100), 1, "w");
        // simulate the crash: the order write landed with the take pending, its ledger entries did not
        var db = TestServers.get().mongo().getDatabase(dbName);
        db.getCollection("ledger").deleteMany(new Document("orderId", 1L));
        db.getCollection("orders").updateOne(new Document("_id", 1L), new Document("$set", new Document("take", "pending")));
        assertThat(store.stock()).containsEntry("A", 100L);

        // the re-run is another process: it knows nothing of the crashed one's writes
        FencedOrderStore rerun = new FencedOrderStore(db);
        assertThat(rerun.apply(ev(1, Topic.CREATE, 1, 100), 2, "re-run")).isEqualTo(ApplyResult.ALREADY_APPLIED);
        assertThat(rerun.stock()).containsEntry("A", 98L).containsEntry("B", 99L);
        assertThat(new FencedOrderStore(db).apply(ev(1, Topic.CREATE, 1, 100), 3, "re-run"))
                .isEqualTo(ApplyResult.ALREADY_APPLIED);
        assertThat(rerun.stock()).containsEntry("A", 98L);
    }

    /**
     * I5 and I3 (docs/DESIGN.md, "Invariants") under concurrency: orders share few SKUs and run in parallel, each order's events one at
     * a time with rising tokens, while "revoked holders" replay random events with stale tokens.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void stockIsConservedAndEachEffectAppliesOnceUnderConcurrency(long seed) throws Exception {
        int orders = 150;
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Long, List<OrderEvent>> byOrder = new HashMap<>();
        Map<Long, List<LineItem>> linesOf = new HashMap<>();
        long expectedA = 1000;
        long expectedB = 1000;
        store.seedStock(Map.of("A", 1000L, "B", 1000L));
        for (long o = 1; o <= orders; o++) {
            List<LineItem> lines = List.of(new LineItem("A", 1 + rnd.nextInt(3)), new LineItem("B", 1 + rnd.nextInt(3)));
            linesOf.put(o, lines);
            List<OrderEvent> evs = new ArrayList<>();
            evs.add(new OrderEvent("s", Topic.CREATE, o, "c" + o, "", 100, "pending", null, lines));
            evs.add(new OrderEvent("s", Topic.PAID, o, "p" + o, "", 200, "paid", null, lines));
            boolean cancel = rnd.nextInt(4) == 0;
            if (cancel) {
                evs.add(new OrderEvent("s", Topic.CANCELLED, o, "x" + o, "", 300, "paid", null, lines));
            } else {
                expectedA -= lines.get(0).quantity();
                expectedB -= lines.get(1).quantity();
            }
            Collections.shuffle(evs, new java.util.Random(rnd.nextLong()));
            byOrder.put(o, evs);
        }
        AtomicLong tokens = new AtomicLong(1000);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> fs = new ArrayList<>();
        for (long o = 1; o <= orders; o++) {
            long order = o;
            fs.add(pool.submit(() -> {
                long last = 0;
                for (OrderEvent e : byOrder.get(order)) {
                    last = tokens.incrementAndGet();
                    store.apply(e, last, "holder");
                }
                return last;
            }));
            // a revoked holder replays an event of the same order with a stale token, concurrently
            OrderEvent replay = byOrder.get(o).get(rnd.nextInt(byOrder.get(o).size()));
            fs.add(pool.submit(() -> store.apply(replay, 1, "revoked")));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        assertThat(store.stock()).containsEntry("A", expectedA).containsEntry("B", expectedB);
        for (StoredOrder o : store.orders()) {
            List<String> effects = o.history().stream().map(Application::effectId).toList();
            assertThat(effects).as("order %d", o.orderId()).doesNotHaveDuplicates();
            assertThat(effects).as("order %d", o.orderId()).hasSameSizeAs(byOrder.get(o.orderId()));
        }
        assertThat(store.orders()).hasSize(orders);
    }

    @Test
    void aNewOrdersRunIsOneInsertHoldingItsStockWithEachEventDecidedInTurn() {
        long before = store.operations();
        List<ApplyResult> r = store.applyRun(List.of(ev(1, Topic.CREATE, 1, 100), ev(1, Topic.PAID, 2, 200),
                ev(1, Topic.PAID, 2, 200), ev(1, Topic.UPDATED, 3, 150), ev(1, Topic.FULFILLED, 4, 400)), 5, "w");
        assertThat(r).containsExactly(ApplyResult.APPLIED, ApplyResult.APPLIED, ApplyResult.ALREADY_APPLIED,
                ApplyResult.SKIPPED_STALE, ApplyResult.APPLIED);
        assertThat(store.operations() - before).as("server calls for the run").isEqualTo(1);
        StoredOrder o = store.order(1).get(0);
        assertThat(o.state()).isEqualTo(OrderState.FULFILLED);
        assertThat(o.fence()).isEqualTo(5);
        assertThat(o.history()).extracting(Application::outcome).containsExactly(ApplyResult.APPLIED,
                ApplyResult.APPLIED, ApplyResult.SKIPPED_STALE, ApplyResult.APPLIED);
        assertThat(raw(1).getString("fulfillmentStatus")).isEqualTo("fulfilled");
        assertThat(store.stock()).containsEntry("A", 98L).containsEntry("B", 99L);
    }

    @Test
    void theHolderOfALaneWritesItsNextRunWithoutReadingFirst() {
        store.applyRun(List.of(ev(1, Topic.CREATE, 1, 100)), 3, "w");
        long before = store.operations();
        assertThat(store.applyRun(List.of(ev(1, Topic.PAID, 2, 200), ev(1, Topic.CANCELLED, 3, 300)), 3, "w"))
                .containsExactly(ApplyResult.APPLIED, ApplyResult.APPLIED);
        // one compare-and-set, the returned stock in it
        assertThat(store.operations() - before).isEqualTo(1);
        assertThat(store.stock()).containsEntry("A", 100L).containsEntry("B", 100L);
        assertThat(store.order(1).get(0).state()).isEqualTo(OrderState.CANCELLED);
    }

    @Test
    void aStaleGuessIsReadAfreshAndAnotherProcesssWriteIsKept() {
        var db = TestServers.get().mongo().getDatabase(dbName);
        FencedOrderStore other = new FencedOrderStore(db);
        store.apply(ev(1, Topic.CREATE, 1, 100), 1, "here");
        // the lane moved to another process, which wrote under a newer token
        assertThat(other.apply(ev(1, Topic.PAID, 2, 200), 2, "there")).isEqualTo(ApplyResult.APPLIED);
        // this process's guess (its own last write) is stale: the old token is refused, a newer one applies
        assertThat(store.apply(ev(1, Topic.FULFILLED, 3, 300), 1, "here")).isEqualTo(ApplyResult.REJECTED_FENCE);
        assertThat(store.apply(ev(1, Topic.FULFILLED, 3, 300), 4, "here")).isEqualTo(ApplyResult.APPLIED);
        assertThat(store.order(1).get(0).history()).extracting(Application::updatedAt)
                .containsExactly(100L, 200L, 300L);
        // and a fence raised elsewhere refuses the cached holder at once
        other.raiseFence(1, 9);
        assertThat(store.apply(ev(1, Topic.UPDATED, 4, 400), 4, "here")).isEqualTo(ApplyResult.REJECTED_FENCE);
        assertThat(store.stock()).containsEntry("A", 98L);
    }

    @Test
    void anOrdersThousandthEventCostsWhatItsFirstDid() {
        store.apply(ev(1, Topic.CREATE, 0, 1_000, "pending", null), 1, "w");
        long[] cost = new long[1000];
        for (int i = 1; i < cost.length; i++) {
            long before = store.operations();
            store.apply(ev(1, i == 1 ? Topic.PAID : Topic.UPDATED, i, 1_000 + i, "paid", null), 1, "w");
            cost[i] = store.operations() - before;
        }
        // one compare-and-set per event, plus a history chunk insert every HISTORY_CHUNK events
        for (int i = 2; i < cost.length; i++) {
            assertThat(cost[i]).as("server calls for event %d", i).isBetween(1L, 2L);
        }
        long chunkWrites = java.util.Arrays.stream(cost).filter(c -> c == 2).count();
        assertThat(chunkWrites).isLessThanOrEqualTo(cost.length / FencedOrderStore.HISTORY_CHUNK + 1);
    }

    /** A run written at once ends as the same events applied one by one do, whatever the run holds. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aRunEndsAsItsEventsOneByOneDo(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        FencedOrderStore oneByOne = new FencedOrderStore(TestServers.get().mongo().getDatabase(dbName + "x"));
        oneByOne.reset();
        oneByOne.seedStock(Map.of("A", 100L, "B", 100L));
        Topic[] topics = Topic.values();
        for (long order = 1; order <= 30; order++) {
            List<OrderEvent> all = new ArrayList<>();
            for (int i = 0; i < 1 + rnd.nextInt(8); i++) {
                Topic t = topics[rnd.nextInt(topics.length)];
                int n = rnd.nextInt(6);
                all.add(ev(order, t, n, 100L * n + (t == Topic.UPDATED ? 1 : 0)));
            }
            long token = 1;
            int at = 0;
            while (at < all.size()) {
                int len = 1 + rnd.nextInt(all.size() - at);
                List<OrderEvent> run = all.subList(at, at + len);
                List<ApplyResult> expected = new ArrayList<>();
                for (OrderEvent e : run) {
                    expected.add(oneByOne.apply(e, token, "w"));
                }
                assertThat(store.applyRun(run, token, "w")).as("order %d, run %s", order, run).isEqualTo(expected);
                at += len;
                token += rnd.nextInt(2);
            }
            Document a = raw(order);
            StoredOrder ours = store.order(order).get(0);
            StoredOrder theirs = oneByOne.order(order).get(0);
            assertThat(ours.state()).isEqualTo(theirs.state());
            assertThat(ours.updatedAt()).isEqualTo(theirs.updatedAt());
            assertThat(ours.history()).extracting(Application::effectId, Application::outcome)
                    .isEqualTo(theirs.history().stream().map(h -> org.assertj.core.groups.Tuple.tuple(h.effectId(),
                            h.outcome())).toList());
            assertThat(a.getString("financialStatus")).isEqualTo(rawIn(dbName + "x", order).getString("financialStatus"));
            assertThat(a.getString("fulfillmentStatus")).isEqualTo(rawIn(dbName + "x", order).getString("fulfillmentStatus"));
        }
        assertThat(store.stock()).isEqualTo(oneByOne.stock());
    }

    /** A document an earlier store wrote (its take in the ledger) keeps its stock; a cancel now returns it once. */
    @Test
    void anOrderAnEarlierStoreWroteKeepsItsLedgerAndACancelReturnsItOnce() {
        var db = TestServers.get().mongo().getDatabase(dbName);
        db.getCollection("orders").insertOne(new Document("_id", 5L).append("state", "PAID").append("updatedAt", 200L)
                .append("fence", 1L).append("cas", "5:1").append("lines", List.of(new Document("sku", "A").append("quantity", 2)))
                .append("applied", List.of("orders/create#evt-5-1", "orders/paid#evt-5-2")).append("recent", List.of())
                .append("chunks", 0).append("take", "done"));
        db.getCollection("ledger").insertOne(new Document("_id", "5:take").append("orderId", 5L)
                .append("lines", List.of(new Document("sku", "A").append("delta", -2L))));
        assertThat(store.stock()).containsEntry("A", 98L);

        assertThat(store.apply(ev(5, Topic.CANCELLED, 3, 300), 2, "w")).isEqualTo(ApplyResult.APPLIED);
        assertThat(store.apply(ev(5, Topic.CANCELLED, 3, 300), 3, "w")).isEqualTo(ApplyResult.ALREADY_APPLIED);
        assertThat(store.stock()).containsEntry("A", 100L);
    }

    private static Document rawIn(String db, long orderId) {
        return TestServers.get().mongo().getDatabase(db).getCollection("orders").find(new Document("_id", orderId)).first();
    }
}
