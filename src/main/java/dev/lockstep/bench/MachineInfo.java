package dev.lockstep.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where a benchmark ran: the figures mean little without it.
 *
 * @param cores        processors available to this JVM (Redis and any other process share them)
 * @param cpuModel     from /proc/cpuinfo, or "unknown"
 * @param jvm          vendor, VM name and version
 * @param os           name, version and architecture
 * @param redisVersion {@code INFO server} redis_version
 * @param loadAverage  the system load average (1 min) when the run started: other work on the
 *                     machine competes for the same cores, so a high figure makes the run suspect
 */
public record MachineInfo(int cores, String cpuModel, String jvm, String os, String redisVersion,
                          double loadAverage) {
    private static final Logger log = LoggerFactory.getLogger(MachineInfo.class);

    public static MachineInfo of(UnifiedJedis redis) {
        String redisVersion = "unknown";
        for (String line : redis.info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                redisVersion = line.substring("redis_version:".length()).trim();
            }
        }
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                redisVersion, Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0);
    }

    private static String readCpuModel() {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(info)) {
            return "unknown";
        }
        try (Stream<String> lines = Files.lines(info)) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            log.debug("cannot read {}", info, e);
            return "unknown";
        }
    }
}
