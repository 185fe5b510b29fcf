package dev.lockstep.embedded;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
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
 */
public final class EmbeddedMongo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);

    private final MongoServer server;
    private final MongoBackend backend;
    private final InetSocketAddress address;

    private EmbeddedMongo(MongoServer server, MongoBackend backend, InetSocketAddress address) {
        this.server = server;
        this.backend = backend;
        this.address = address;
    }

    /** @param dataDir where the H2 file lives; null for an in-memory server (tests) */
    public static EmbeddedMongo start(Path dataDir) {
        H2Backend backend;
        if (dataDir == null) {
            backend = H2Backend.inMemory();
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create MongoDB data directory " + dataDir, e);
            }
            backend = new H2Backend(dataDir.resolve("lockstep.mv").toString());
        }
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", FreePort.find());
        InetSocketAddress address = server.getLocalAddress();
        log.info("embedded MongoDB-wire server started on {}:{}{}", address.getHostString(), address.getPort(),
                dataDir == null ? " (in memory)" : " (H2 file in " + dataDir + ")");
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
