package dev.lockstep.testing;

import static org.awaitility.Awaitility.await;

import dev.lockstep.embedded.FreePort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the machine ({@code /usr/bin/redis-server}, Debian's build has TLS) that
 * a test starts with its own options on a free loopback port, for what the embedded binary is not
 * set up for: ACL users, {@code requirepass}, TLS. Stopped (killed) by {@link #close()}.
 */
public final class OwnRedisServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Process process;
    private final int port;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private OwnRedisServer(List<String> options, boolean tls) {
        port = FreePort.find();
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--logfile", ""));
        if (tls) {
            cmd.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port)));
        } else {
            cmd.addAll(List.of("--port", Integer.toString(port)));
        }
        cmd.addAll(options);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "own-redis-output-" + port);
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .failFast("redis-server exited: " + output, () -> !process.isAlive())
                .until(() -> output.stream().anyMatch(l -> l.contains("Ready to accept connections")));
    }

    /** Whether the machine has the binary (tests needing it are skipped otherwise). */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** A plain server started with these extra options ({@code --requirepass pw}, {@code --user ...}). */
    public static OwnRedisServer start(String... options) {
        return new OwnRedisServer(List.of(options), false);
    }

    /** A TLS-only server ({@code --port 0}) with this certificate and key, not asking clients for theirs. */
    public static OwnRedisServer startTls(Path cert, Path key, Path ca, String... options) {
        List<String> all = new ArrayList<>(List.of("--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", ca.toString(), "--tls-auth-clients", "no"));
        all.addAll(List.of(options));
        return new OwnRedisServer(all, true);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A CA and a server certificate signed by it for {@code 127.0.0.1} and {@code localhost}, made
     * with {@code openssl} in {@code dir}: {@code ca.crt}, {@code server.crt}, {@code server.key}.
     */
    public static void makeCertificates(Path dir) {
        try {
            Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Lockstep Test CA");
            run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
            run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code openssl} is on the PATH. */
    public static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void run(Path dir, String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
