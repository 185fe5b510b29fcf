package dev.lockstep.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.RedisServerBuilder;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (the binary shipped in the embedded-redis artifact) on a free
 * loopback port. With a data directory it keeps an append-only file there, so a second start
 * finds the first start's data.
 *
 * <p>The server lives and dies with its host process:
 * <ul>
 *   <li>On Unix it is started under a small {@code sh} watchdog that reads the host's pipe to it; when
 *       the host exits in any way, SIGKILL included, the pipe closes and the watchdog sends the
 *       server SIGTERM (a clean Redis shutdown: the AOF is flushed). {@link #close()} closes the pipe
 *       the same way, and a shutdown hook does it on a normal JVM exit.</li>
 *   <li>With a data directory the server writes its pid to {@code redis-server.pid} there. A start
 *       first reads that file: if the pid is alive and is a redis-server (a server left over from a
 *       host that died without its watchdog acting), it is stopped (SIGTERM, then SIGKILL after a
 *       short wait) before a new server opens the same files. The data-directory lock
 *       ({@link DataDirLock}) makes sure that server cannot belong to a live Lockstep process.</li>
 * </ul>
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final int START_ATTEMPTS = 3;
    public static final String PID_FILE = "redis-server.pid";
    private static final long START_TIMEOUT_SECONDS = 30;
    private static final long STOP_GRACE_SECONDS = 10;
    /**
     * Runs the server in the background and, beside it, waits for EOF on the host's pipe (stdin, kept
     * as fd 3 because a background list's stdin is /dev/null); on EOF the server gets SIGTERM. The
     * watchdog ends when the server ends, whatever the reason. The server's output is the
     * watchdog's, which the host reads.
     */
    private static final String WATCHDOG = "exec 3<&0; \"$@\" </dev/null & r=$!; "
            + "( cat <&3 >/dev/null; kill -TERM $r ) >/dev/null 2>&1 & w=$!; "
            + "wait $r; s=$?; kill $w 2>/dev/null; exit $s";

    private final Process process;
    private final int port;
    private final Path pidFile;
    private final Thread shutdownHook;

    private EmbeddedRedis(Process process, int port, Path pidFile) {
        this.process = process;
        this.port = port;
        this.pidFile = pidFile;
        this.shutdownHook = new Thread(this::stopProcess, "embedded-redis-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a server.
     *
     * @param dataDir     where the AOF lives; null for a throwaway server (tests): no persistence
     * @param appendFsync always, everysec or no
     */
    public static EmbeddedRedis start(Path dataDir, String appendFsync) {
        return start(dataDir, appendFsync, 0);
    }

    /**
     * @param port the loopback port to listen on; 0 for a free one (tried up to three times). A fixed
     *             port lets clients find a restarted server again ({@code lockstep servers --redis-port}).
     */
    public static EmbeddedRedis start(Path dataDir, String appendFsync, int fixedPort) {
        Path pidFile = null;
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create Redis data directory " + dataDir, e);
            }
            pidFile = dataDir.toAbsolutePath().resolve(PID_FILE);
            stopLeftover(pidFile);
        }
        IOException last = null;
        int attempts = fixedPort == 0 ? START_ATTEMPTS : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int port = fixedPort == 0 ? FreePort.find() : fixedPort;
            try {
                RedisServerBuilder builder = RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("protected-mode yes")
                        .setting("save \"\"");
                if (dataDir != null) {
                    builder.setting("dir " + dataDir.toAbsolutePath())
                            .setting("appendonly yes")
                            .setting("appendfsync " + appendFsync)
                            .setting("appendfilename lockstep.aof")
                            .setting("pidfile " + pidFile);
                } else {
                    builder.setting("appendonly no");
                }
                Process process = launch(builder.buildCommandArgs());
                log.info("embedded Redis started on 127.0.0.1:{}{} (pid {})", port,
                        dataDir == null ? " (no persistence)" : " (AOF in " + dataDir + ")", serverPid(pidFile, process));
                return new EmbeddedRedis(process, port, pidFile);
            } catch (IOException e) {
                last = e;
                log.warn("embedded Redis did not start on port {} (attempt {}): {}", port, attempt, e.getMessage());
            }
        }
        throw new UncheckedIOException("embedded Redis did not start after " + attempts + " attempt(s)", last);
    }

    private static boolean unix() {
        return !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** Starts the server (under the watchdog on Unix) and waits for "Ready to accept connections". */
    private static Process launch(List<String> redisArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (unix()) {
            cmd.addAll(List.of("/bin/sh", "-c", WATCHDOG, "lockstep-redis-watchdog"));
        }
        cmd.addAll(redisArgs);
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        StringBuilder early = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!ready.isDone()) {
                        early.append(line).append('\n');
                        if (line.contains("Ready to accept connections")) {
                            ready.complete(null);
                        }
                    }
                    log.debug("redis-server: {}", line);
                }
            } catch (IOException e) {
                // the server stopped: its output ends
            }
            ready.completeExceptionally(new IOException("redis-server exited before it was ready: " + early));
        }, "embedded-redis-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return process;
        } catch (ExecutionException e) {
            stop(process);
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            stop(process);
            throw new IOException("redis-server not ready after " + START_TIMEOUT_SECONDS + " s: " + early);
        } catch (InterruptedException e) {
            stop(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting redis-server");
        }
    }

    private static String serverPid(Path pidFile, Process process) {
        return readPid(pidFile).map(String::valueOf).orElse(String.valueOf(process.pid()));
    }

    static Optional<Long> readPid(Path pidFile) {
        if (pidFile == null || !Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether a live process is a redis-server (by its executable or command line). */
    static boolean isRedisServer(ProcessHandle p) {
        ProcessHandle.Info info = p.info();
        return info.command().map(c -> c.contains("redis-server")).orElse(false)
                || info.commandLine().map(c -> c.contains("redis-server")).orElse(false);
    }

    /** Stops a redis-server a previous host left running on these files, if any. */
    static void stopLeftover(Path pidFile) {
        Optional<ProcessHandle> leftover = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive).filter(EmbeddedRedis::isRedisServer);
        if (leftover.isEmpty()) {
            return;
        }
        ProcessHandle p = leftover.get();
        log.warn("a redis-server (pid {}) from a previous start is still running on {}; stopping it before starting a new one",
                p.pid(), pidFile.getParent());
        p.destroy();
        try {
            p.onExit().get(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("redis-server pid {} did not stop after SIGTERM; killing it", p.pid());
            p.destroyForcibly();
            try {
                p.onExit().get(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e2) {
                throw new IllegalStateException("cannot stop the leftover redis-server pid " + p.pid() + " on "
                        + pidFile.getParent(), e2);
            } catch (InterruptedException e2) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping redis-server pid " + p.pid(), e2);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot stop the leftover redis-server pid " + p.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping redis-server pid " + p.pid(), e);
        }
    }

    /** Closes the watchdog's pipe (the server gets SIGTERM) and waits; kills what is left after a grace period. */
    private static void stop(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        try {
            if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                log.warn("embedded Redis (pid {}) did not stop in {} s; killing it", process.pid(), STOP_GRACE_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!unix()) {
            process.destroy();
        }
        for (ProcessHandle p : tree) {
            p.destroyForcibly();
        }
        process.destroyForcibly();
    }

    private void stopProcess() {
        stop(process);
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The pid of the redis-server itself (not of its watchdog). */
    public long serverPid() {
        return readPid(pidFile).orElseGet(() -> process.descendants().findFirst().map(ProcessHandle::pid)
                .orElse(process.pid()));
    }

    /**
     * For an owner whose own shutdown hook closes this server after its work is done (a worker
     * finishing its leased lanes): without this, the JVM ran this server's hook at the same time as
     * the owner's, and Redis was gone before the lanes were handed back. If the owner never closes
     * it, the watchdog still stops the server when this JVM is gone.
     */
    public void leaveShutdownToOwner() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs as before
        }
    }

    @Override
    public void close() {
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (or ran) stop, which is idempotent
        }
        log.info("embedded Redis on port {} stopped", port);
    }
}
