package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real relaunch: {@code screenshots} with a bad flag value runs in a child JVM, whose error reaches the
 * user's stderr and whose exit code is the parent's. Tagged {@code process}: it starts two JVMs.
 */
@Tag("process")
class JvmRelaunchProcessTest {

    private static Process lockstep(boolean noRelaunch, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, "dev.lockstep.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LOCKSTEP_LOG_LEVEL", "DEBUG");
        pb.environment().remove(JvmRelaunch.NO_RELAUNCH_ENV);
        if (noRelaunch) {
            pb.environment().put(JvmRelaunch.NO_RELAUNCH_ENV, "1");
        }
        return pb.start();
    }

    private static String finish(Process p) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theChildsOutputAndExitCodeAreTheParents() throws Exception {
        Process p = lockstep(false, "screenshots", "--orders", "abc");
        String out = finish(p);
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("running screenshots in a child JVM").contains("-Xmx512m")
                .contains("lockstep: Invalid value for option '--orders': 'abc' is not an int")
                .contains("see `lockstep screenshots --help`");
        if (JvmRelaunch.knowsVmOption(JvmRelaunch.TRIM_NATIVE_HEAP_OPTION)) {
            assertThat(out).as("the child JVM starts with the native heap trimming it was given")
                    .contains(JvmRelaunch.TRIM_NATIVE_HEAP);
        }

        Process here = lockstep(true, "screenshots", "--orders", "abc");
        String hereOut = finish(here);
        assertThat(here.exitValue()).isEqualTo(2);
        assertThat(hereOut).doesNotContain("child JVM").contains("'abc' is not an int");
    }
}
