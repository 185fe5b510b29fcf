package dev.lockstep.testing;

import com.mongodb.client.MongoClient;
import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.embedded.EmbeddedMongo;
import dev.lockstep.embedded.EmbeddedRedis;
import dev.lockstep.embedded.Infrastructure;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;

/**
 * One real Redis server and one in-memory MongoDB-wire server per test JVM, started on free loopback
 * ports by the tests themselves (never a server they did not start). Tests isolate themselves with
 * a fresh queue name and database name each ({@link #uniqueName}).
 */
public final class TestServers {
    private static volatile TestServers instance;

    private final EmbeddedRedis redisServer;
    private final EmbeddedMongo mongoServer;
    private final UnifiedJedis redis;
    private final MongoClient mongo;

    private TestServers() {
        redisServer = EmbeddedRedis.start(null, "no");
        mongoServer = EmbeddedMongo.start(null);
        redis = Infrastructure.connectRedis(redisServer.uri(), 128);
        mongo = Infrastructure.connectMongo(mongoServer.uri());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mongo.close();
            redis.close();
            mongoServer.close();
            redisServer.close();
        }, "test-servers-shutdown"));
    }

    public static TestServers get() {
        TestServers s = instance;
        if (s == null) {
            synchronized (TestServers.class) {
                s = instance;
                if (s == null) {
                    s = new TestServers();
                    instance = s;
                }
            }
        }
        return s;
    }

    /** A shared client of the test Redis. */
    public UnifiedJedis redis() {
        return redis;
    }

    /** A shared client of the test MongoDB. */
    public MongoClient mongo() {
        return mongo;
    }

    public String redisUri() {
        return redisServer.uri();
    }

    public String mongoUri() {
        return mongoServer.uri();
    }

    /** A fresh name for a queue or a database: letters and digits only. */
    public static String uniqueName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /**
     * A config pointing at these servers, with a fresh queue name and database, plus overrides
     * (config keys, e.g. {@code "lease.ms" -> "500"}).
     */
    public LockstepConfig config(Map<String, String> overrides) {
        var o = new java.util.HashMap<String, String>();
        o.put("redis.uri", redisUri());
        o.put("mongo.uri", mongoUri());
        o.put("queue.name", uniqueName("q"));
        o.put("mongo.database", uniqueName("db"));
        o.put("http.port", "0");
        o.put("data.dir", System.getProperty("java.io.tmpdir") + "/lockstep-test-" + uniqueName(""));
        o.putAll(overrides);
        return ConfigLoader.load(null, Map.of(), o);
    }
}
