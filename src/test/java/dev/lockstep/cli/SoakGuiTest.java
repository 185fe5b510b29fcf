package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.Main;
import dev.lockstep.testing.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lockstep soak} for the shortest time on the real stack: the console opens, one burst is fired
 * from its Burst view, and one line per burst and the summary come out with the console JVM's resident
 * memory, heap after GC and longest EDT stall.
 */
@Tag("gui")
class SoakGuiTest {

    @Test
    void oneBurstFromTheConsolesBurstViewPrintsItsFootprintAndASummary(@TempDir Path dataDir) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));

        int code = cl.execute("soak", "--minutes", "0", "--orders", "20", "--every-seconds", "1",
                "--redis-uri", TestServers.get().redisUri(), "--mongo-uri", TestServers.get().mongoUri(),
                "--set", "queue.name=" + TestServers.uniqueName("q"), "--set", "mongo.database=" + TestServers.uniqueName("db"),
                "--data-dir", dataDir.toString(), "--http-port", "0");

        assertThat(code).as(out.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).as(out.toString()).hasSize(3);
        assertThat(lines.get(1)).matches("burst 1: [0-9.]+ s, audit clean · RSS [0-9,]+ MB \\(peak [0-9,]+ MB\\)"
                + " · heap after GC [0-9,]+ MB · longest EDT stall [0-9.]+ ms");
        assertThat(lines.get(2)).startsWith("soak: 1 bursts · RSS at the end ").contains("within the 1 GB bound");
    }
}
