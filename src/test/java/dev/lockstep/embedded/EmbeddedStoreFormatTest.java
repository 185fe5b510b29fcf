package dev.lockstep.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's file format: documents as BSON and typed unique-index keys in files it
 * creates, mongo-java-server's own types in files it did not; both reopen with their data and
 * their unique indexes intact.
 */
class EmbeddedStoreFormatTest {

    private static void fill(MongoCollection<Document> c) {
        c.createIndex(Indexes.ascending("cas"), new IndexOptions().unique(true));
        List<Document> docs = new ArrayList<>();
        for (long i = 1; i <= 500; i++) {
            docs.add(new Document("_id", i).append("cas", i + ":" + (i * 7))
                    .append("nested", new Document("list", List.of("a", i, 2.5, true)).append("n", null))
                    .append("recent", List.of(new Document("at", i), new Document("at", i + 1))));
        }
        c.insertMany(docs);
        c.insertOne(new Document("_id", "text-id").append("cas", "x"));
    }

    private static void check(MongoCollection<Document> c) {
        assertThat(c.countDocuments()).isEqualTo(501);
        Document d = c.find(Filters.eq("cas", "250:1750")).first();
        assertThat(d).isNotNull();
        assertThat(d.get("_id")).isEqualTo(250L);
        assertThat(d.get("nested", Document.class).getList("list", Object.class)).containsExactly("a", 250L, 2.5, true);
        assertThat(d.get("nested", Document.class).containsKey("n")).isTrue();
        assertThat(c.find(Filters.eq("_id", "text-id")).first()).isNotNull();
        assertThat(c.find().sort(Sorts.descending("_id")).limit(1).first()).isNotNull();
        // the unique index still refuses a duplicate, and finds by its key after an update
        assertThatThrownBy(() -> c.insertOne(new Document("_id", 9999L).append("cas", "17:119")))
                .isInstanceOfSatisfying(MongoWriteException.class,
                        e -> assertThat(e.getError().getCategory()).isEqualTo(ErrorCategory.DUPLICATE_KEY));
        assertThat(c.updateOne(Filters.eq("cas", "17:119"), new Document("$set", new Document("cas", "17:new")))
                .getModifiedCount()).isEqualTo(1);
        assertThat(c.find(Filters.eq("cas", "17:new")).first()).isNotNull();
        assertThat(c.find(Filters.eq("cas", "17:119")).first()).isNull();
    }

    @Test
    void aNewFileIsTypedAndReopensWithItsDocumentsAndUniqueIndexes(@TempDir Path dir) {
        try (EmbeddedMongo m = EmbeddedMongo.start(dir); MongoClient client = MongoClients.create(m.uri())) {
            fill(client.getDatabase("t").getCollection("orders"));
        }
        try (EmbeddedMongo m = EmbeddedMongo.start(dir); MongoClient client = MongoClients.create(m.uri())) {
            check(client.getDatabase("t").getCollection("orders"));
        }
        try (MVStore store = new MVStore.Builder().fileName(dir.resolve("lockstep.mv").toString()).readOnly().open()) {
            assertThat(store.hasMap(DurableH2Backend.FORMAT_MAP)).isTrue();
        }
    }

    @Test
    void aFileMongoJavaServerWroteKeepsItsTypesAndItsData(@TempDir Path dir) {
        String file = dir.resolve("lockstep.mv").toString();
        H2Backend plain = new H2Backend(file);
        MongoServer server = new MongoServer(plain);
        try {
            String uri = "mongodb://" + server.bind().getHostString() + ":" + server.getLocalAddress().getPort();
            try (MongoClient client = MongoClients.create(uri)) {
                fill(client.getDatabase("t").getCollection("orders"));
            }
        } finally {
            server.shutdownNow();
        }
        try (EmbeddedMongo m = EmbeddedMongo.start(dir); MongoClient client = MongoClients.create(m.uri())) {
            check(client.getDatabase("t").getCollection("orders"));
        }
        try (MVStore store = new MVStore.Builder().fileName(file).readOnly().open()) {
            assertThat(store.hasMap(DurableH2Backend.FORMAT_MAP)).isFalse();
        }
    }

    /** A damaged store file is named, with what to do, instead of H2's bare exception. */
    @Test
    void aDamagedFileIsRefusedWithItsPathAndWhatToDo(@TempDir Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        byte[] garbage = new byte[20_000];
        new java.util.Random(3).nextBytes(garbage);
        java.nio.file.Files.write(dir.resolve("lockstep.mv"), garbage);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedMongo.start(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.resolve("lockstep.mv").toString())
                .hasMessageContaining("cannot be opened")
                .hasMessageContaining("--data-dir");
    }
}
