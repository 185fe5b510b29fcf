package dev.lockstep.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.embedded.Infrastructure;
import dev.lockstep.testing.TestServers;
import java.net.URI;
import java.time.Duration;
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

    private long stored(long orderId) {
        return direct.getCollection(String.format("journal_%02d", Math.floorMod(orderId, MongoEventJournal.BUCKETS)))
                .countDocuments(new Document("orderId", orderId));
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
