package dev.lockstep.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.embedded.Infrastructure;
import dev.lockstep.testing.TestServers;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, the journal through a MongoDB outage: entries recorded while MongoDB is unreachable are
 * written once it is back; past the buffer's bound, every entry either lands or is counted dropped.
 */
class MongoEventJournalTest {
    private static final int CAPACITY = 100;
    private static final int BATCH = 20;

    private StallingProxy proxy;
    private MongoClient client;
    private MongoEventJournal journal;
    private MongoDatabase direct;

    @BeforeEach
    void setUp() throws Exception {
        proxy = new StallingProxy(URI.create(TestServers.get().mongoUri()).getPort());
        client = Infrastructure.connectMongo(proxy.uri(), Duration.ofMillis(500), Duration.ofMillis(500),
                LockstepConfig.WRITE_CONCERN_ACKNOWLEDGED);
        String db = TestServers.uniqueName("db");
        journal = new MongoEventJournal(client.getDatabase(db), CAPACITY, BATCH, Duration.ofMillis(20),
                Duration.ofMillis(200));
        direct = TestServers.get().mongo().getDatabase(db); // reads that do not go through the proxy
    }

    @AfterEach
    void tearDown() {
        proxy.resume();
        journal.close();
        client.close();
        proxy.close();
    }

    private void record(long orderId, int n) {
        for (int i = 0; i < n; i++) {
            journal.record(new JournalEntry(orderId, "orders/paid#e" + i, "orders/paid", JournalStage.APPLIED, "w", 1,
                    1_000 + i, ""));
        }
    }

    /** Entries of the order stored in any run's collection, read straight from MongoDB. */
    private long stored(long orderId) {
        long n = 0;
        for (String name : direct.listCollectionNames()) {
            if (name.startsWith(MongoEventJournal.PREFIX)) {
                Document d = direct.getCollection(name).find(new Document("_id", orderId)).first();
                n += d == null ? 0 : d.getList("e", Document.class).size();
            }
        }
        return n;
    }

    @Test
    void eachRunKeepsItsOwnEntriesOfAnOrderAndCanBeDropped() {
        proxy.resume();
        journal.useRun("r-20260101-100000-1");
        record(7, 3);
        journal.useRun("r-20260101-110000-2");
        record(7, 2);
        journal.useRun(null); // between runs: the day's live run
        record(7, 1);
        journal.flush();

        List<JournalEntry> all = journal.forOrder(7);
        assertThat(all).hasSize(6);
        assertThat(all).extracting(JournalEntry::runId).containsOnly("r-20260101-100000-1", "r-20260101-110000-2",
                RunIds.live(System.currentTimeMillis()));
        assertThat(journal.runIds()).contains("r-20260101-100000-1", "r-20260101-110000-2");
        // one document per order and run: reads are _id lookups, entries stay small
        Document doc = direct.getCollection(MongoEventJournal.PREFIX + "r-20260101-100000-1")
                .find(new Document("_id", 7L)).first();
        assertThat(doc).isNotNull();
        assertThat(doc.getList("e", Document.class)).hasSize(3).allSatisfy(e ->
                assertThat(e.keySet()).isSubsetOf("q", "s", "f", "w", "k", "a", "b", "d"));

        journal.dropRuns(List.of("r-20260101-100000-1"));
        assertThat(journal.runIds()).doesNotContain("r-20260101-100000-1");
        assertThat(journal.forOrder(7)).hasSize(3);
        assertThatThrownBy(() -> journal.useRun("not a run")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * An event applied before the thread that enqueued it recorded "enqueued" (the queue's answer
     * reached that thread late) still reads enqueued first: an ingest entry sits at the delivery's
     * arrival, and in the same millisecond before a handler's entry. KeptRunsTest met this in CI.
     */
    @Test
    void anEventReadsEnqueuedBeforeAppliedWhateverTheOrderTheyWereRecordedIn() {
        proxy.resume();
        journal.useRun("r-20260101-120000-3");
        dev.lockstep.order.OrderEvent e = new dev.lockstep.order.OrderEvent("s.myshopify.com",
                dev.lockstep.order.Topic.PAID, 9, "e1", "w1", 1_000, "paid", null, List.of());
        journal.record(new JournalEntry(9, e.effectId(), e.topic().wire(), JournalStage.APPLIED, "w", 1, 5_000, ""));
        journal.record(JournalEntry.accepted(e, JournalStage.ENQUEUED, 4_000, ""));
        dev.lockstep.order.OrderEvent e2 = new dev.lockstep.order.OrderEvent("s.myshopify.com",
                dev.lockstep.order.Topic.UPDATED, 9, "e2", "w2", 1_001, "paid", null, List.of());
        journal.record(new JournalEntry(9, e2.effectId(), e2.topic().wire(), JournalStage.APPLIED, "w", 1, 6_000, ""));
        journal.record(JournalEntry.accepted(e2, JournalStage.ENQUEUED, 6_000, "")); // the same millisecond
        journal.flush();

        assertThat(journal.forOrder(9)).extracting(JournalEntry::stage).containsExactly(
                JournalStage.ENQUEUED, JournalStage.APPLIED, JournalStage.ENQUEUED, JournalStage.APPLIED);
    }

    /** One order's document in one run is bounded: entries past the bound are dropped and counted, the rest flow. */
    @Test
    void anOrdersDocumentInARunIsBoundedAndTheRestIsCounted() {
        proxy.resume();
        journal.close();
        // room in the buffer for all of them: only the per-order bound drops
        journal = new MongoEventJournal(client.getDatabase(direct.getName()), 10_000, 500, Duration.ofMillis(20),
                Duration.ofMillis(200));
        journal.useRun("r-20260101-120000-3");
        int over = 25;
        for (int i = 0; i < MongoEventJournal.MAX_ENTRIES_PER_ORDER + over; i++) {
            journal.record(new JournalEntry(8, "orders/updated#u" + i, "orders/updated", JournalStage.APPLIED, "w", 1,
                    1_000 + i, ""));
        }
        record(9, 3);
        journal.flush();
        assertThat(stored(8)).isEqualTo(MongoEventJournal.MAX_ENTRIES_PER_ORDER);
        assertThat(stored(9)).isEqualTo(3);
        assertThat(journal.droppedCount()).isEqualTo(over);
        assertThat(journal.waitingCount()).isZero();
    }

    @Test
    void theJournalKeptBeforeRunsIsDroppedAtStart() {
        direct.getCollection("journal_07").insertOne(new Document("orderId", 7L).append("stage", "RECEIVED"));
        try (MongoEventJournal fresh = new MongoEventJournal(direct)) {
            fresh.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (String name : direct.listCollectionNames()) {
                    if (name.equals("journal_07")) {
                        return false;
                    }
                }
                return true;
            });
        }
    }

    @Test
    void entriesRecordedDuringAnOutageAppearAfterIt() {
        record(1, 10);
        journal.flush();
        assertThat(journal.forOrder(1)).hasSize(10);

        proxy.cut();
        record(2, 60);
        record(3, 30);
        // the writer keeps failing; nothing is given up while there is room
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> journal.waitingCount() == 90 && journal.droppedCount() == 0);
        assertThat(stored(2) + stored(3)).isZero();

        proxy.resume();
        await().atMost(Duration.ofSeconds(20)).until(() -> stored(2) == 60 && stored(3) == 30);
        assertThat(journal.forOrder(2)).hasSize(60).extracting(JournalEntry::at).isSorted().doesNotHaveDuplicates();
        assertThat(journal.droppedCount()).isZero();
        assertThat(journal.waitingCount()).isZero();
    }

    @Test
    void pastTheBoundTheDroppedCountIsExact() {
        proxy.cut();
        int recorded = 500;
        record(4, recorded);
        assertThat(journal.droppedCount()).isEqualTo(recorded - CAPACITY);
        assertThat(journal.waitingCount()).isEqualTo(CAPACITY);

        proxy.resume();
        journal.flush();
        await().atMost(Duration.ofSeconds(20)).until(() -> journal.waitingCount() == 0);
        assertThat(stored(4)).isEqualTo(CAPACITY);
        assertThat(stored(4) + journal.droppedCount()).isEqualTo(recorded);
        // after the outage, the journal takes entries again
        record(5, 5);
        journal.flush();
        assertThat(stored(5)).isEqualTo(5);
        assertThat(journal.droppedCount()).isEqualTo(recorded - CAPACITY);
    }
}
