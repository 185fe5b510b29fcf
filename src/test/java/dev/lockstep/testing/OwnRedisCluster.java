package dev.lockstep.testing;

import static org.awaitility.Awaitility.await;

import dev.lockstep.embedded.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/**
 * A real three-master Redis Cluster of the machine's {@code /usr/bin/redis-server} (7.x) on free
 * loopback ports, created with {@code redis-cli --cluster create}, no replicas, no persistence.
 * {@link #close()} kills every node and deletes their directory. Tests needing it are skipped
 * where either binary is missing ({@link #available()}).
 */
public final class OwnRedisCluster implements AutoCloseable {
    public static final Path SERVER = Path.of("/usr/bin/redis-server");
    public static final Path CLI = Path.of("/usr/bin/redis-cli");

    private final Path dir;
    private final List<ChildProcess> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    private OwnRedisCluster(int masters) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("lockstep-cluster");
        try {
            for (int i = 0; i < masters; i++) {
                int port = FreePort.find();
                ports.add(port);
                Path nodeDir = Files.createDirectories(dir.resolve("n" + port));
                nodes.add(ChildProcess.start("Ready to accept connections", List.of(SERVER.toString(),
                        "--bind", "127.0.0.1", "--port", Integer.toString(port), "--cluster-enabled", "yes",
                        "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(), "--dir", nodeDir.toString(),
                        "--appendonly", "no", "--save", "", "--logfile", "", "--cluster-node-timeout", "5000",
                        // the bus port named, not port + 10000: a free port above 55535 would otherwise be refused
                        "--cluster-port", Integer.toString(FreePort.find()))));
            }
            for (ChildProcess n : nodes) {
                n.awaitReady(20);
            }
            List<String> create = new ArrayList<>(List.of(CLI.toString(), "--cluster", "create"));
            ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process p = new ProcessBuilder(create).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + out);
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> ports.stream()
                    .allMatch(port -> {
                        try (Jedis j = new Jedis("127.0.0.1", port)) {
                            return j.clusterInfo().contains("cluster_state:ok");
                        }
                    }));
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Whether the machine has {@code redis-server} and {@code redis-cli}. */
    public static boolean available() {
        return Files.isExecutable(SERVER) && Files.isExecutable(CLI);
    }

    /** The reason cluster tests are skipped here, for {@code assumeTrue}. */
    public static String missingMessage() {
        return "a real Redis Cluster needs " + SERVER + " and " + CLI + " (Debian: apt-get install redis-server redis-tools)";
    }

    /** Starts three masters and creates the cluster; returns once every node says cluster_state:ok. */
    public static OwnRedisCluster start() throws IOException, InterruptedException {
        return new OwnRedisCluster(3);
    }

    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,...}, as {@code redis.uri} takes it. */
    public String uri() {
        return "redis-cluster://" + ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** A direct connection to one node (the caller closes it). */
    public Jedis node(int port) {
        return new Jedis("127.0.0.1", port);
    }

    /** The port of the master serving a hash slot, as that node's own view of the cluster says. */
    public int ownerOf(int slot) {
        for (int port : ports) {
            try (Jedis j = node(port)) {
                for (String line : j.clusterNodes().split("\n")) {
                    String[] f = line.split(" ");
                    if (f.length < 9 || !f[2].contains("master")) {
                        continue;
                    }
                    int owner = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1).split("@")[0]);
                    for (int i = 8; i < f.length; i++) {
                        if (f[i].startsWith("[")) {
                            continue; // a migration in progress, not an owned range
                        }
                        String[] range = f[i].split("-");
                        int lo = Integer.parseInt(range[0]);
                        int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                        if (slot >= lo && slot <= hi) {
                            return owner;
                        }
                    }
                }
                break;
            }
        }
        throw new IllegalStateException("no master owns slot " + slot);
    }

    /** The node id of the master on {@code port}. */
    public String nodeId(int port) {
        try (Jedis j = node(port)) {
            return j.clusterMyId();
        }
    }

    @Override
    public void close() {
        for (ChildProcess n : nodes) {
            n.process().destroyForcibly();
        }
        for (ChildProcess n : nodes) {
            try {
                n.process().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
