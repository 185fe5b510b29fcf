package dev.lockstep.cli;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.embedded.DataDirLock;
import dev.lockstep.embedded.DurableH2Backend;
import dev.lockstep.embedded.EmbeddedMongo;
import dev.lockstep.embedded.EmbeddedRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Only the embedded servers: Redis (AOF) and the MongoDB-wire server (H2 file), persistent under
 * {@code data.dir}, as a process of their own, so workers and consoles elsewhere (or a fault test
 * that kills and restarts this process) use them as external servers. Ctrl-C (SIGTERM) stops them
 * cleanly: the MongoDB store is closed and Redis shut down.
 */
@Command(name = "servers", mixinStandardHelpOptions = true,
        description = "Run only the embedded Redis and MongoDB-wire servers (persistent under the data dir) "
                + "for workers and consoles started elsewhere.")
public final class ServersCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServersCommand.class);

    @Mixin
    ConfigOptions config;

    @Option(names = "--redis-port", paramLabel = "PORT", defaultValue = "0",
            description = "Loopback port of Redis (0 = a free one; fix it so clients find a restarted server).")
    int redisPort;

    @Option(names = "--mongo-port", paramLabel = "PORT", defaultValue = "0",
            description = "Loopback port of the MongoDB-wire server (0 = a free one).")
    int mongoPort;

    @Option(names = "--no-redis", description = "Do not start Redis (only the MongoDB-wire server).")
    boolean noRedis;

    @Option(names = "--no-mongo", description = "Do not start the MongoDB-wire server (only Redis).")
    boolean noMongo;

    @Override
    public Integer call() throws Exception {
        if (noRedis && noMongo) {
            throw new IllegalArgumentException("--no-redis and --no-mongo together leave nothing to run");
        }
        for (int port : new int[] {redisPort, mongoPort}) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port is 0 (a free one) to 65535: " + port);
            }
        }
        LockstepConfig cfg = config.load();
        List<AutoCloseable> started = new ArrayList<>();
        DataDirLock lock = DataDirLock.acquire(cfg.dataDir());
        started.add(lock);
        EmbeddedRedis redis = null;
        EmbeddedMongo mongo = null;
        try {
            if (!noRedis) {
                redis = EmbeddedRedis.start(cfg.dataDir().resolve("redis"), cfg.redisAppendFsync(), redisPort);
                started.add(0, redis);
            }
            if (!noMongo) {
                mongo = EmbeddedMongo.start(cfg.dataDir().resolve("mongo"),
                        DurableH2Backend.Durability.parse(cfg.mongoEmbeddedDurability()), mongoPort);
                started.add(0, mongo);
            }
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping the servers");
            try {
                closeAll(started);
            } finally {
                stopped.countDown();
            }
        }, "lockstep-servers-shutdown"));
        System.out.println("Lockstep servers, files under " + cfg.dataDir());
        List<String> flags = new ArrayList<>();
        if (redis != null) {
            System.out.println("  Redis:   " + redis.uri() + " (AOF, appendfsync " + cfg.redisAppendFsync() + ")");
            flags.add("--redis-uri " + redis.uri());
        }
        if (mongo != null) {
            System.out.println("  MongoDB: " + mongo.uri() + " (H2 file, durability " + cfg.mongoEmbeddedDurability() + ")");
            flags.add("--mongo-uri " + mongo.uri());
        }
        System.out.println("Workers and consoles: " + String.join(" ", flags));
        System.out.println("Ctrl-C stops gracefully.");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
