package dev.lockstep.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;
import redis.embedded.RedisServer;

/** One process per data directory; no redis-server left over from a previous host. */
class EmbeddedLifecycleTest {

    @Test
    void aSecondStartOnALockedDataDirectoryIsRefusedNamingTheHolder(@TempDir Path dataDir) {
        LockstepConfig config = ConfigLoader.load(null, Map.of(), Map.of("data.dir", dataDir.toString()));
        try (Infrastructure first = Infrastructure.start(config)) {
            assertThatThrownBy(() -> Infrastructure.start(config))
                    .isInstanceOf(DataDirLock.HeldException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining(dataDir.toString());
            assertThat(first.redisHealthy()).as("the first start is not harmed").isTrue();
            assertThat(first.mongoHealthy()).isTrue();
        }
        try (Infrastructure again = Infrastructure.start(config)) {
            assertThat(again.redisHealthy()).as("the lock is released on close").isTrue();
        }
    }

    @Test
    void anotherProcessHoldingTheDirectoryIsNamedByPid(@TempDir Path dataDir) throws Exception {
        // a second JVM takes the lock; this one is refused with that JVM's pid
        String jshell = Path.of(System.getProperty("java.home"), "bin", "jshell").toString();
        Path script = dataDir.resolveSibling(dataDir.getFileName() + "-hold.jsh");
        Files.writeString(script, String.join("\n",
                "var ch = java.nio.channels.FileChannel.open(java.nio.file.Path.of(\"" + dataDir.resolve(DataDirLock.FILE_NAME)
                        + "\"), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);",
                "var l = ch.tryLock();",
                "ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + \"\\n\").getBytes()), 0);",
                "System.out.println(\"locked\");",
                "System.in.read();",
                "/exit", ""));
        Process holder = new ProcessBuilder(jshell, "-R-Xmx64m", script.toString()).redirectErrorStream(true).start();
        long holderPid = -1;
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
            String line;
            while ((line = out.readLine()) != null && !line.contains("locked")) {
                // jshell start-up output
            }
            assertThat(line).as("holder took the lock").isNotNull();
            holderPid = Long.parseLong(Files.readString(dataDir.resolve(DataDirLock.FILE_NAME)).trim());
            assertThat(holderPid).isNotEqualTo(ProcessHandle.current().pid());
            assertThatThrownBy(() -> DataDirLock.acquire(dataDir))
                    .isInstanceOf(DataDirLock.HeldException.class)
                    .hasMessageContaining("pid " + holderPid)
                    .hasMessageContaining(dataDir.toString());
        } finally {
            // jshell runs the snippet in its own agent JVM: that is the holder, kill it too
            ProcessHandle.of(holderPid).ifPresent(ProcessHandle::destroyForcibly);
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        long dead = holderPid;
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(dead).map(h -> !h.isAlive()).orElse(true));
        // the holder died: the OS dropped its lock
        try (DataDirLock mine = DataDirLock.acquire(dataDir)) {
            assertThat(Files.readString(mine.file()).trim()).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
        }
    }

    @Test
    void aRedisServerLeftOverOnTheSameFilesIsStoppedBeforeANewOneStarts(@TempDir Path dir) throws Exception {
        // a redis-server started as an older host would have (no watchdog), then "forgotten" by its host
        Path pidFile = dir.resolve(EmbeddedRedis.PID_FILE);
        int port = FreePort.find();
        List<String> args = new ArrayList<>(RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("dir " + dir).setting("appendonly yes").setting("appendfsync always")
                .setting("appendfilename lockstep.aof").setting("pidfile " + pidFile).buildCommandArgs());
        Process orphan = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(dir.resolve("orphan.log").toFile()).start();
        try (UnifiedJedis c = Infrastructure.connectRedis("redis://127.0.0.1:" + port, 2)) {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> "PONG".equals(c.ping()));
            c.set("written-by-the-orphan", "kept");
        }
        long orphanPid = EmbeddedRedis.readPid(pidFile).orElseThrow();
        assertThat(ProcessHandle.of(orphanPid).filter(EmbeddedRedis::isRedisServer)).isPresent();

        try (EmbeddedRedis fresh = EmbeddedRedis.start(dir, "always")) {
            assertThat(orphan.isAlive()).as("the leftover server was stopped").isFalse();
            assertThat(fresh.serverPid()).isNotEqualTo(orphanPid);
            try (UnifiedJedis c = Infrastructure.connectRedis(fresh.uri(), 2)) {
                assertThat(c.get("written-by-the-orphan")).as("its AOF was flushed and replayed").isEqualTo("kept");
            }
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    void closingStopsTheRedisServerItself(@TempDir Path dir) {
        EmbeddedRedis redis = EmbeddedRedis.start(dir, "everysec");
        long pid = redis.serverPid();
        assertThat(ProcessHandle.of(pid)).isPresent();
        redis.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
