package dev.lockstep.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated configuration of one Lockstep process. Built by {@link ConfigLoader}; immutable.
 * Keys and meanings: {@code config/lockstep.properties}.
 */
public record LockstepConfig(
        String redisUri,
        String redisAppendFsync,
        String mongoEmbeddedDurability,
        String mongoUri,
        String mongoDatabase,
        Path dataDir,
        String queueName,
        int partitions,
        int workerThreads,
        int workerLanes,
        Duration lease,
        Duration dedupTtl,
        int retryAttempts,
        Duration retryBackoff,
        Duration retryBackoffMax,
        Duration handlerDeadline,
        String httpBind,
        int httpPort,
        int httpMaxBodyBytes,
        String hmacSecret,
        boolean journalEnabled,
        Duration mongoTimeout,
        Duration mongoConnectTimeout,
        String mongoWriteConcern,
        int journalBuffer,
        int runsRetain,
        Duration waitForServers,
        int burstRetries,
        Duration burstRetryBase,
        Duration burstRetryCap,
        boolean httpInsecureDev,
        String redisTlsCaFile,
        Duration httpReadTimeout,
        Duration httpIdleTimeout,
        Duration workerHeartbeatTtl) {

    /** {@code mongo.write.concern} values: {w: majority, j: true}. */
    public static final String WRITE_CONCERN_MAJORITY = "majority";
    /** {@code mongo.write.concern}: {w: 1, j: true}. */
    public static final String WRITE_CONCERN_W1 = "w1";
    /** {@code mongo.write.concern}: the server's default acknowledged write concern. */
    public static final String WRITE_CONCERN_ACKNOWLEDGED = "acknowledged";

    /** The config with every password masked ({@link Secrets}): a record would print them all. */
    @Override
    public String toString() {
        return "LockstepConfig[redisUri=" + Secrets.mask(redisUri) + ", mongoUri=" + Secrets.mask(mongoUri)
                + ", mongoDatabase=" + mongoDatabase + ", dataDir=" + dataDir + ", queueName=" + queueName
                + ", partitions=" + partitions + ", workerThreads=" + workerThreads + ", workerLanes=" + workerLanes + ", httpBind=" + httpBind
                + ", httpPort=" + httpPort + ", hmacSecret=" + Secrets.MASK + ", httpInsecureDev=" + httpInsecureDev
                + ", redisTlsCaFile=" + redisTlsCaFile + "]";
    }

    /** Whether an embedded Redis must be started. */
    public boolean embeddedRedis() {
        return redisUri.isBlank();
    }

    /** Whether an embedded MongoDB-wire server must be started. */
    public boolean embeddedMongo() {
        return mongoUri.isBlank();
    }
}
