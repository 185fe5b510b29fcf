package dev.lockstep.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.FencedOrderStore;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replica-set URI ({@code ?replicaSet=rs0}) through the real driver, against a MongoDB-wire server
 * that answers {@code hello} as the primary of a one-member replica set, recording the write concern
 * each write command carries: the store's writes reach a replica set with {@code mongo.write.concern}.
 */
class ReplicaSetUriTest {
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify");

    private MongoServer server;
    private String hostPort;
    /** The write concern of the last write command per command name, as the server received it. */
    private final Map<String, Document> writeConcerns = new ConcurrentHashMap<>();
    /** The read preference each find carried ("primary" when none: the driver omits it for primary). */
    private final Map<String, Object> readPreferences = new ConcurrentHashMap<>();

    @BeforeEach
    void startOneMemberReplicaSet() {
        server = new MongoServer(new MemoryBackend() {
            @Override
            public Document handleCommand(Channel channel, String database, String command, Document query) {
                if (command.equals("find")) {
                    Object rp = query.get("$readPreference");
                    readPreferences.put(String.valueOf(query.get("find")),
                            rp instanceof Document d ? d.get("mode") : "primary");
                }
                if (WRITES.contains(command)) {
                    Object wc = query.get("writeConcern");
                    writeConcerns.put(command, wc instanceof Document d ? d : new Document());
                }
                Document answer = super.handleCommand(channel, database, command, query);
                if (command.equalsIgnoreCase("hello") || command.equalsIgnoreCase("isMaster")) {
                    answer.put("setName", "rs0");
                    answer.put("hosts", List.of(hostPort));
                    answer.put("primary", hostPort);
                    answer.put("me", hostPort);
                    answer.put("setVersion", 1);
                }
                return answer;
            }
        });
        var address = server.bind();
        hostPort = "127.0.0.1:" + address.getPort();
    }

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void aReplicaSetUriWritesWithTheConfiguredMajorityWriteConcern() {
        try (MongoClient client = Infrastructure.connectMongo("mongodb://" + hostPort + "/?replicaSet=rs0",
                Duration.ofSeconds(10), Duration.ofSeconds(5), LockstepConfig.WRITE_CONCERN_MAJORITY)) {
            FencedOrderStore store = new FencedOrderStore(client.getDatabase("rs"));
            assertThat(store.apply(create(7), 1, "w")).isEqualTo(ApplyResult.APPLIED);
            assertThat(store.apply(paid(7), 1, "w")).isEqualTo(ApplyResult.APPLIED);
            assertThat(client.getClusterDescription().getType().name()).isEqualTo("REPLICA_SET");
        }
        assertThat(writeConcerns).isNotEmpty();
        writeConcerns.forEach((command, wc) -> {
            assertThat(wc.get("w")).as(command).isEqualTo("majority");
            assertThat(wc.get("j")).as(command).isEqualTo(true);
        });
    }

    @Test
    void aWriteConcernInTheUriWinsOverTheConfiguredOne() {
        try (MongoClient client = Infrastructure.connectMongo("mongodb://" + hostPort + "/?replicaSet=rs0&w=2",
                Duration.ofSeconds(10), Duration.ofSeconds(5), LockstepConfig.WRITE_CONCERN_MAJORITY)) {
            FencedOrderStore store = new FencedOrderStore(client.getDatabase("rs2"));
            assertThat(store.apply(create(8), 1, "w")).isEqualTo(ApplyResult.APPLIED);
        }
        assertThat(writeConcerns).isNotEmpty();
        writeConcerns.forEach((command, wc) -> assertThat(wc.get("w")).as(command).isEqualTo(2));
    }

    @Test
    void readsThatDecideAWriteGoToThePrimaryEvenWhenTheUriPrefersSecondaries() {
        try (MongoClient client = Infrastructure.connectMongo(
                "mongodb://" + hostPort + "/?replicaSet=rs0&readPreference=secondaryPreferred",
                Duration.ofSeconds(10), Duration.ofSeconds(5), LockstepConfig.WRITE_CONCERN_MAJORITY)) {
            FencedOrderStore store = new FencedOrderStore(client.getDatabase("rs3"));
            assertThat(store.apply(create(9), 1, "w")).isEqualTo(ApplyResult.APPLIED);
            store.order(9); // a read of the order outside the holder's cache
            assertThat(store.apply(paid(9), 2, "w2")).isEqualTo(ApplyResult.APPLIED);
        }
        assertThat(readPreferences).isNotEmpty();
        readPreferences.forEach((collection, mode) -> assertThat(mode).as(collection).isEqualTo("primary"));
    }

    private static OrderEvent create(long order) {
        return new OrderEvent("shop.myshopify.com", Topic.CREATE, order, "c" + order, "wc" + order, 1000, "pending", null,
                List.of(new LineItem("A", 1)));
    }

    private static OrderEvent paid(long order) {
        return new OrderEvent("shop.myshopify.com", Topic.PAID, order, "p" + order, "wp" + order, 2000, "paid", null,
                List.of(new LineItem("A", 1)));
    }
}
