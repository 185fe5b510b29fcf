package dev.lockstep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.testing.ChildProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On a 2-core machine the JVM gives the common pool one thread, and then the JDK's HttpClient runs
 * every {@code sendAsync} answer on a thread of its own: the console's 15,000-order burst started
 * about 67,000 threads, and each start held every thread up at a safepoint (EDT stalls). The firer
 * now waits on its requests from threads of its own, so its thread count is bounded whatever the
 * common pool: the run is a separate JVM told it has 2 cores, with the JVM's own common pool.
 */
@Tag("process")
class FirerThreadsTest {
    private static final int DELIVERIES = 1_500;

    @Test
    void aBurstOverHttpStartsABoundedNumberOfThreadsOnTwoCores() throws Exception {
        assertThat(threadsStarted()).as("threads started by %d deliveries, the JVM's own common pool",
                DELIVERIES).isLessThan(200);
    }

    private static long threadsStarted() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:ActiveProcessorCount=2", "-cp", cp,
                FirerThreadsMain.class.getName(), Integer.toString(DELIVERIES)));
        ChildProcess child = ChildProcess.start("threads started", cmd).awaitReady(120);
        Pattern p = Pattern.compile("answered (\\d+) threads started (\\d+)");
        for (String line : child.output()) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                assertThat(Long.parseLong(m.group(1))).isEqualTo(DELIVERIES);
                child.process().waitFor();
                return Long.parseLong(m.group(2));
            }
        }
        throw new AssertionError("no count in " + child.output());
    }
}
