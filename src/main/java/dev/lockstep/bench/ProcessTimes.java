package dev.lockstep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This process's system CPU time, from {@code /proc/self/stat} (Linux); the JVM reports only the total. */
final class ProcessTimes {
    private static final Logger log = LoggerFactory.getLogger(ProcessTimes.class);
    private static final Path STAT = Path.of("/proc/self/stat");
    /** USER_HZ: 100 on every Linux the JVM runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessTimes() {
    }

    /** System time so far, nanoseconds (10 ms resolution); -1 where /proc is not there. */
    static long sysNanos() {
        if (!Files.isReadable(STAT)) {
            return -1;
        }
        try {
            String stat = Files.readString(STAT);
            // fields after the parenthesised command name; stime is field 15 overall, 13th after ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[12]) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            log.debug("cannot read {}", STAT, e);
            return -1;
        }
    }
}
