package dev.lockstep.embedded;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.lockstep.embedded.DurableH2Backend.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MongoDB-wire server (mongo-java-server) on a free loopback port. With a data directory it uses
 * the H2 MVStore file backend, so data survives a restart; without one it keeps data in memory.
 * No sessions or transactions: Lockstep's writes need none.
 *
 * <p>Durability ({@code mongo.embedded.durability}): with {@link Durability#COMMIT} (the default) a
 * write is committed and fsynced before it is answered, by a group commit shared by every writer
 * waiting ({@link DurableH2Backend}): a crash of the process loses nothing acknowledged. With
 * {@link Durability#BACKGROUND} MVStore commits about once a second in the background, as
 * mongo-java-server does by itself: a crash loses the writes of the last second or so, acknowledged
 * or not.
 */
public final class EmbeddedMongo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);
    /**
     * Netty event-loop threads. A write waits for its group commit on the thread that serves its
     * connection, so this bounds how many writers share one commit.
     */
    private static final int SERVER_THREADS = 64;

    private final MongoServer server;
    private final MongoBackend backend;
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoServer server, MongoBackend backend, InetSocketAddress address) {
        this.server = server;
        this.backend = backend;
        this.address = address;
    }

    /** @param dataDir where the H2 file lives; null for an in-memory server (tests). Durable writes. */
    public static EmbeddedMongo start(Path dataDir) {
        return start(dataDir, Durability.COMMIT);
    }

    /**
     * @param dataDir    where the H2 file lives; null for an in-memory server (tests)
     * @param durability when a write reaches the disk (ignored in memory)
     */
    public static EmbeddedMongo start(Path dataDir, Durability durability) {
        return start(dataDir, durability, 0);
    }

    /**
     * @param port the loopback port to listen on; 0 for a free one. A fixed port lets clients find a
     *             restarted server again ({@code lockstep servers --mongo-port}).
     */
    public static EmbeddedMongo start(Path dataDir, Durability durability, int port) {
        H2Backend backend;
        if (dataDir == null) {
            backend = H2Backend.inMemory();
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create MongoDB data directory " + dataDir, e);
            }
            String file = dataDir.resolve("lockstep.mv").toString();
            backend = durability == Durability.COMMIT ? DurableH2Backend.open(file) : new H2Backend(file);
        }
        MongoServer server = new MongoServer(backend);
        try {
            server.bind(new InetSocketAddress("127.0.0.1", port == 0 ? FreePort.find() : port), 0, SERVER_THREADS);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        InetSocketAddress address = server.getLocalAddress();
        log.info("embedded MongoDB-wire server started on {}:{}{}", address.getHostString(), address.getPort(),
                dataDir == null ? " (in memory)" : " (H2 file in " + dataDir + ", durability "
                        + durability.name().toLowerCase(java.util.Locale.ROOT) + ")");
        return new EmbeddedMongo(server, backend, address);
    }

    public int port() {
        return address.getPort();
    }

    public String uri() {
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        backend.close();
        log.info("embedded MongoDB-wire server on port {} stopped", address.getPort());
    }
}
