package dev.lockstep.embedded;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.config.Secrets;
import dev.lockstep.priority.BackgroundPriority;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The Redis and MongoDB a process works with: embedded servers started for it when the config
 * leaves a URI empty, or external ones it connects to. Owns the clients; closing it closes them
 * and stops what it started.
 */
public final class Infrastructure implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private final LockstepConfig config;
    private final EmbeddedRedis embeddedRedis;
    private final EmbeddedMongo embeddedMongo;
    private final DataDirLock dataDirLock;
    private final String redisUri;
    private final String mongoUri;
    private final UnifiedJedis redis;
    private final MongoClient mongo;

    private Infrastructure(LockstepConfig config, DataDirLock dataDirLock, EmbeddedRedis embeddedRedis,
                           EmbeddedMongo embeddedMongo, String redisUri, String mongoUri, UnifiedJedis redis,
                           MongoClient mongo) {
        this.config = config;
        this.dataDirLock = dataDirLock;
        this.embeddedRedis = embeddedRedis;
        this.embeddedMongo = embeddedMongo;
        this.redisUri = redisUri;
        this.mongoUri = mongoUri;
        this.redis = redis;
        this.mongo = mongo;
    }

    /**
     * Starts what the config leaves to be embedded and connects to everything. Before any embedded
     * server starts, the data directory is locked for this process ({@link DataDirLock}).
     *
     * @throws DataDirLock.HeldException when another process has the data directory
     */
    public static Infrastructure start(LockstepConfig config) {
        return start(config, step -> { });
    }

    /**
     * {@link #start(LockstepConfig)}, telling {@code steps} what it opens before each slow step (a
     * large embedded MongoDB file takes seconds), so a console can show it.
     */
    public static Infrastructure start(LockstepConfig config, java.util.function.Consumer<String> steps) {
        DataDirLock dirLock = null;
        EmbeddedRedis er = null;
        EmbeddedMongo em = null;
        try {
            if (config.embeddedRedis() || config.embeddedMongo()) {
                dirLock = DataDirLock.acquire(config.dataDir());
            }
            if (config.embeddedRedis()) {
                steps.accept("opening Redis (" + config.dataDir().resolve("redis") + ")");
                er = EmbeddedRedis.start(config.dataDir().resolve("redis"), config.redisAppendFsync());
            }
            if (config.embeddedMongo()) {
                steps.accept("opening MongoDB store (" + config.dataDir().resolve("mongo") + ")");
                // its threads (and H2's) inherit a lowered priority: the store's work can wait, the
                // ingest's answers and Redis (on the path to them) cannot (priority.BackgroundPriority)
                em = BackgroundPriority.supplyLowered("embedded-mongo-start", () -> EmbeddedMongo.start(
                        config.dataDir().resolve("mongo"),
                        DurableH2Backend.Durability.parse(config.mongoEmbeddedDurability())));
            }
            String redisUri = er != null ? er.uri() : config.redisUri();
            String mongoUri = em != null ? em.uri() : config.mongoUri();
            // handlers, the dispatcher, watchdog, reaper, the wake subscription and the ingest's 64+ workers
            steps.accept("connecting to Redis and MongoDB");
            UnifiedJedis redis = connectRedis(redisUri, config.workerThreads() * 2 + 160, config.redisTlsCaFile());
            checkRedisAccess(redis, redisUri, config.redisTlsCaFile());
            // the embedded server has no replica set: the write concern is for external servers only
            MongoClient mongo = connectMongo(mongoUri, config.mongoTimeout(), config.mongoConnectTimeout(),
                    em != null ? LockstepConfig.WRITE_CONCERN_ACKNOWLEDGED : config.mongoWriteConcern());
            Infrastructure infra = new Infrastructure(config, dirLock, er, em, redisUri, mongoUri, redis, mongo);
            try {
                infra.awaitServers(steps);
            } catch (RuntimeException e) {
                redis.close();
                mongo.close();
                throw e;
            }
            return infra;
        } catch (RuntimeException e) {
            if (em != null) {
                em.close();
            }
            if (er != null) {
                er.close();
            }
            if (dirLock != null) {
                dirLock.close();
            }
            throw e;
        }
    }

    /** How often a process waiting for its servers says it still waits. */
    static final Duration WAIT_LOG_INTERVAL = Duration.ofSeconds(5);
    /** Pause between two probes of a server that did not answer. */
    private static final Duration WAIT_PROBE_INTERVAL = Duration.ofMillis(250);

    /**
     * Waits up to {@code wait.seconds} for an external Redis and MongoDB that do not answer yet, so a
     * worker or console started before its servers (or while one restarts) starts working when they
     * come up instead of failing: "waiting for Redis at …" once, then one line per
     * {@link #WAIT_LOG_INTERVAL}. With {@code wait.seconds=0} a server that does not answer fails the
     * start at once. Embedded servers answer already.
     *
     * @throws ServerUnavailableException when one is still down past the bound
     */
    void awaitServers(java.util.function.Consumer<String> steps) {
        awaitServer("Redis", redisUri, this::redisHealthy, steps);
        awaitServer("MongoDB", mongoUri, this::mongoAnswersOrRefusesCredentials, steps);
    }

    /**
     * Like {@link #mongoHealthy}, but credentials the server refuses end the wait at once: waiting
     * does not make a wrong password right. The error names {@code mongo.uri}, never the password.
     */
    private boolean mongoAnswersOrRefusesCredentials() {
        try {
            return mongoAnswers();
        } catch (com.mongodb.MongoSecurityException e) {
            throw new ServerUnavailableException("MongoDB at " + Secrets.mask(mongoUri) + " refused the credentials of"
                    + " mongo.uri (the embedded server has no authentication: leave them out for it): "
                    + e.getMessage());
        } catch (RuntimeException e) {
            log.debug("MongoDB health check failed", e);
            return false;
        }
    }

    private void awaitServer(String name, String uri, java.util.function.BooleanSupplier up,
                             java.util.function.Consumer<String> steps) {
        if (up.getAsBoolean()) {
            return;
        }
        Duration bound = config.waitForServers();
        String where = Secrets.mask(uri);
        if (bound.isZero()) {
            throw new ServerUnavailableException(name + " at " + where
                    + " does not answer (wait.seconds=0: not waiting for it)");
        }
        long started = System.nanoTime();
        long deadline = started + bound.toNanos();
        log.warn("waiting for {} at {} (up to {} s, wait.seconds)", name, where, bound.toSeconds());
        steps.accept("waiting for " + name + " at " + where);
        long nextLine = started + WAIT_LOG_INTERVAL.toNanos();
        while (!up.getAsBoolean()) {
            long now = System.nanoTime();
            if (now >= deadline) {
                throw new ServerUnavailableException(name + " at " + where + " did not answer within "
                        + bound.toSeconds() + " s (wait.seconds)");
            }
            if (now >= nextLine) {
                log.warn("still waiting for {} at {} ({} s of {} s)", name, where,
                        Duration.ofNanos(now - started).toSeconds(), bound.toSeconds());
                nextLine = now + WAIT_LOG_INTERVAL.toNanos();
            }
            try {
                Thread.sleep(WAIT_PROBE_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerUnavailableException("interrupted while waiting for " + name + " at " + where);
            }
        }
        log.info("{} at {} answers after {} ms", name, where, Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** A server an external URI names did not answer within {@code wait.seconds}. */
    public static final class ServerUnavailableException extends RuntimeException {
        public ServerUnavailableException(String message) {
            super(message);
        }
    }

    /**
     * A Redis client for {@code redis://}, {@code rediss://} or {@code redis-cluster://h1:p1,h2:p2}.
     * Connections left stale by a Redis restart are replaced, never fatal: a call on one fails once
     * (its callers retry: the worker's loops, the group commit's next batch, the console's next poll,
     * the burst's drain wait) and the broken connection is dropped; idle ones are checked (PING) in
     * the background every 30 s. Not checked on every borrow: that PING is a round trip per call,
     * more than the data path's own commands per event and the idle budget.
     */
    public static UnifiedJedis connectRedis(String uri, int maxConnections) {
        return connectRedis(uri, maxConnections, "");
    }

    /**
     * A Redis client. Credentials come from the URI ({@code redis://user:password@host:port},
     * {@code redis-cluster://user:password@h1:p1,h2:p2}); {@code rediss://} is TLS, trusting the CA
     * certificates of {@code caFile} (PEM; empty: the JVM's default trust store) and checking that
     * the server's certificate names the URI's host.
     */
    public static UnifiedJedis connectRedis(String uri, int maxConnections, String caFile) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(0);
        pool.setJmxEnabled(false);
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(java.time.Duration.ofSeconds(30));
        if (uri.startsWith("redis-cluster://")) {
            String nodeList = uri.substring("redis-cluster://".length());
            DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder().timeoutMillis(5000);
            int at = nodeList.lastIndexOf('@');
            if (at >= 0) {
                // user:password@ before the node list, percent-decoded like any URI's
                java.net.URI credentials = parsedRedisUri("redis://" + nodeList.substring(0, at) + "@h:1");
                client.user(JedisURIHelper.getUser(credentials)).password(JedisURIHelper.getPassword(credentials));
                nodeList = nodeList.substring(at + 1);
            }
            Set<HostAndPort> nodes = Arrays.stream(nodeList.split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).map(HostAndPort::from)
                    .collect(Collectors.toSet());
            return RedisClusterClient.builder().nodes(nodes).poolConfig(pool).clientConfig(client.build()).build();
        }
        java.net.URI u = parsedRedisUri(uri);
        boolean tls = JedisURIHelper.isRedisSSLScheme(u);
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .timeoutMillis(5000)
                .ssl(tls)
                .database(JedisURIHelper.getDBIndex(u));
        if (tls) {
            client.sslSocketFactory(RedisTls.socketFactory(caFile)).sslParameters(RedisTls.verifyHostName());
        }
        if (JedisURIHelper.getPassword(u) != null) {
            client.user(JedisURIHelper.getUser(u)).password(JedisURIHelper.getPassword(u));
        }
        return RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(u)).clientConfig(client.build())
                .poolConfig(pool).build();
    }

    /** The URI, or a config error that does not show it (the parser's own message would print the password). */
    private static java.net.URI parsedRedisUri(String uri) {
        try {
            return new java.net.URI(uri);
        } catch (java.net.URISyntaxException e) {
            // not shown: a URI the parser refuses may hide its password from the mask too
            throw new ConfigException("invalid redis.uri (env " + ConfigLoader.envName("redis.uri")
                    + "): " + e.getReason() + " at index " + e.getIndex() + "; percent-encode @ : / % in the user and password");
        }
    }

    /**
     * Refused credentials or an untrusted certificate are configuration errors: one clear line naming
     * the key (the URI's password masked), instead of a trace per pooled connection later. Anything
     * else (the server not up yet) is left to the caller's first use.
     */
    private static void checkRedisAccess(UnifiedJedis redis, String uri, String caFile) {
        try {
            redis.ping();
        } catch (redis.clients.jedis.exceptions.JedisAccessControlException e) {
            redis.close();
            throw new ConfigException("Redis at " + Secrets.mask(uri) + " refused the credentials in redis.uri (env "
                    + ConfigLoader.envName("redis.uri") + "; redis://user:password@host:port): " + e.getMessage());
        } catch (RuntimeException e) {
            if (hasCause(e, javax.net.ssl.SSLException.class)) {
                redis.close();
                throw new ConfigException("TLS to Redis at " + Secrets.mask(uri) + " failed ("
                        + rootMessage(e) + "): the server's certificate must chain to a CA of redis.tls.ca.file (env "
                        + ConfigLoader.envName("redis.tls.ca.file") + (caFile.isBlank() ? ", now empty: the JVM's"
                        + " default trust store" : ", now " + caFile) + ") and name the host of redis.uri");
            }
            log.debug("Redis at {} did not answer a first PING: {}", Secrets.mask(uri), e.toString());
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    /** A client with no operation deadline, a 5 s connect timeout and the server's default write concern. */
    public static MongoClient connectMongo(String uri) {
        return connectMongo(uri, Duration.ZERO, Duration.ofSeconds(5), LockstepConfig.WRITE_CONCERN_ACKNOWLEDGED);
    }

    /**
     * A MongoDB client.
     *
     * @param timeout        deadline of every operation (the driver's timeoutMS); zero for none
     *                       ({@code mongo.timeout.ms}). Past it an operation throws a
     *                       {@link com.mongodb.MongoOperationTimeoutException}.
     * @param connectTimeout deadline of opening a connection ({@code mongo.connect.timeout.ms})
     * @param writeConcern   {@code mongo.write.concern}: majority, w1 or acknowledged; a write concern
     *                       in the URI itself ({@code w=}, {@code journal=}, {@code wtimeoutMS=}) wins
     */
    public static MongoClient connectMongo(String uri, Duration timeout, Duration connectTimeout, String writeConcern) {
        ConnectionString connection;
        try {
            connection = new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid mongo.uri (env " + ConfigLoader.envName("mongo.uri")
                    + "): " + Secrets.mask(e.getMessage()));
        }
        MongoClientSettings.Builder b = MongoClientSettings.builder()
                .applyConnectionString(connection)
                .applyToClusterSettings(c -> c.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .applyToSocketSettings(c -> c.connectTimeout((int) connectTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .applyToConnectionPoolSettings(c -> c.maxSize(200).maxWaitTime(30, TimeUnit.SECONDS));
        if (connection.getWriteConcern() == null) {
            b.writeConcern(writeConcern(writeConcern));
        } else {
            // the URI's own w/journal/wtimeoutMS is the more specific choice (a replica set's own rules)
            log.info("mongo.uri sets the write concern ({}); mongo.write.concern ({}) is not applied",
                    connection.getWriteConcern().asDocument().toJson(), writeConcern);
        }
        if (!timeout.isZero()) {
            b.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return MongoClients.create(b.build());
    }

    /** The driver's write concern for a {@code mongo.write.concern} value. */
    public static WriteConcern writeConcern(String name) {
        return switch (name) {
            case LockstepConfig.WRITE_CONCERN_MAJORITY -> WriteConcern.MAJORITY.withJournal(true);
            case LockstepConfig.WRITE_CONCERN_W1 -> WriteConcern.W1.withJournal(true);
            case LockstepConfig.WRITE_CONCERN_ACKNOWLEDGED -> WriteConcern.ACKNOWLEDGED;
            default -> throw new IllegalArgumentException("unknown mongo.write.concern '" + name + "'");
        };
    }

    public LockstepConfig config() {
        return config;
    }

    public UnifiedJedis redis() {
        return redis;
    }

    public MongoClient mongo() {
        return mongo;
    }

    /** The Redis URI for display: its password masked ({@link Secrets#mask}). */
    public String redisUri() {
        return Secrets.mask(redisUri);
    }

    /** The MongoDB URI for display: its password masked ({@link Secrets#mask}). */
    public String mongoUri() {
        return Secrets.mask(mongoUri);
    }

    public boolean redisEmbedded() {
        return embeddedRedis != null;
    }

    /** The embedded Redis, if any, is stopped by {@link #close} only, not by its own shutdown hook ({@link EmbeddedRedis#leaveShutdownToOwner}). */
    public void leaveShutdownToOwner() {
        if (embeddedRedis != null) {
            embeddedRedis.leaveShutdownToOwner();
        }
    }

    public boolean mongoEmbedded() {
        return embeddedMongo != null;
    }

    /** PING answered. Never throws. */
    public boolean redisHealthy() {
        try {
            return "PONG".equalsIgnoreCase(redis.ping());
        } catch (RuntimeException e) {
            log.debug("Redis health check failed", e);
            return false;
        }
    }

    /** The one probe of MongoDB: {@code isMaster} answered (mongo-java-server has no {@code hello}). */
    private boolean mongoAnswers() {
        return mongo.getDatabase("admin").runCommand(new Document("isMaster", 1)).get("ok") != null;
    }

    /** {@code isMaster} answered (mongo-java-server has no {@code hello}). Never throws. */
    public boolean mongoHealthy() {
        try {
            return mongoAnswers();
        } catch (com.mongodb.MongoSecurityException e) {
            log.debug("MongoDB refused the credentials", e);
            return false;
        } catch (RuntimeException e) {
            log.debug("MongoDB health check failed", e);
            return false;
        }
    }

    @Override
    public void close() {
        try {
            mongo.close();
        } catch (RuntimeException e) {
            log.warn("closing the MongoDB client failed", e);
        }
        try {
            redis.close();
        } catch (RuntimeException e) {
            log.warn("closing the Redis client failed", e);
        }
        if (embeddedMongo != null) {
            embeddedMongo.close();
        }
        if (embeddedRedis != null) {
            embeddedRedis.close();
        }
        if (dataDirLock != null) {
            dataDirLock.close();
        }
    }
}
