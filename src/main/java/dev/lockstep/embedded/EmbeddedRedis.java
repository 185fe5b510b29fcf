package dev.lockstep.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (the binary shipped in the embedded-redis artifact) on a free
 * loopback port. With a data directory it keeps an append-only file there, so a second start
 * finds the first start's data.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final int START_ATTEMPTS = 3;

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server.
     *
     * @param dataDir     where the AOF lives; null for a throwaway server (tests): no persistence
     * @param appendFsync always, everysec or no
     */
    public static EmbeddedRedis start(Path dataDir, String appendFsync) {
        IOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = FreePort.find();
            try {
                var builder = RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("protected-mode yes")
                        .setting("save \"\"")
                        .onShutdownForceStop(true);
                if (dataDir != null) {
                    Files.createDirectories(dataDir);
                    builder.setting("dir " + dataDir.toAbsolutePath())
                            .setting("appendonly yes")
                            .setting("appendfsync " + appendFsync)
                            .setting("appendfilename lockstep.aof");
                } else {
                    builder.setting("appendonly no");
                }
                RedisServer server = builder.build();
                server.start();
                log.info("embedded Redis started on 127.0.0.1:{}{}", port,
                        dataDir == null ? " (no persistence)" : " (AOF in " + dataDir + ")");
                return new EmbeddedRedis(server, port);
            } catch (IOException e) {
                last = e;
                log.warn("embedded Redis did not start on port {} (attempt {}): {}", port, attempt, e.getMessage());
            }
        }
        throw new UncheckedIOException("embedded Redis did not start after " + START_ATTEMPTS + " attempts", last);
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
            log.info("embedded Redis on port {} stopped", port);
        } catch (IOException e) {
            log.warn("embedded Redis on port {} did not stop cleanly", port, e);
        }
    }
}
