package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the console runs in a bounded child JVM, and the child's command line (no real relaunch here). */
class JvmRelaunchTest {
    private static final String MAIN = "dev.lockstep.Main";

    private static JvmRelaunch.Jvm jvm(List<String> jvmArgs, Map<String, String> env, String relaunchProperty,
                                       String parentPid) {
        return new JvmRelaunch.Jvm(jvmArgs, env, relaunchProperty, parentPid, Path.of("/opt/jdk"), "lockstep.jar", 4242);
    }

    private static JvmRelaunch.Jvm plain(String... jvmArgs) {
        return jvm(List.of(jvmArgs), Map.of(), null, null);
    }

    @Test
    void theConsoleRunsInABoundedChildWithTheSameArgumentsAndTheUsersOptions() {
        List<String> cmd = JvmRelaunch.childCommand(new String[] {"console", "--data-dir", "/tmp/d"},
                plain("-Dfoo=bar", "-Dfile.encoding=UTF-8"), MAIN).orElseThrow();
        assertThat(cmd.get(0)).isEqualTo(Path.of("/opt/jdk", "bin", "java").toString());
        assertThat(cmd).containsSubsequence("-Dfoo=bar", "-Dfile.encoding=UTF-8", "-Xmx512m", "-Dlockstep.parent.pid=4242",
                "-cp", "lockstep.jar", MAIN, "console", "--data-dir", "/tmp/d");
        assertThat(cmd).containsAll(JvmRelaunch.CHILD_JVM_OPTIONS);
        // handing free native memory back: given where this JVM has it, never where it would refuse to start
        assertThat(cmd.contains(JvmRelaunch.TRIM_NATIVE_HEAP))
                .isEqualTo(JvmRelaunch.knowsVmOption(JvmRelaunch.TRIM_NATIVE_HEAP_OPTION));
        assertThat(JvmRelaunch.knowsVmOption("NoSuchOptionAnywhere")).isFalse();
        assertThat(cmd.subList(cmd.indexOf(MAIN), cmd.size())).containsExactly(MAIN, "console", "--data-dir", "/tmp/d");
        assertThat(JvmRelaunch.childCommand(new String[] {"screenshots", "--orders", "15000"}, plain(), MAIN)).isPresent();
        // the soak measures the console's own JVM: it must be the same bounded child
        assertThat(JvmRelaunch.childCommand(new String[] {"soak", "--minutes", "60"}, plain(), MAIN)).isPresent();
    }

    @Test
    void otherCommandsAndHelpRunInThisJvm() {
        for (String[] args : List.of(new String[] {"burst", "--orders", "5"}, new String[] {"worker"},
                new String[] {"compare"}, new String[] {"bench"}, new String[] {"console", "--help"},
                new String[] {"screenshots", "-h"}, new String[] {})) {
            assertThat(JvmRelaunch.childCommand(args, plain(), MAIN)).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void heapOrGcOptionsTheUserChoseAreKeptByNotRelaunching() {
        for (String option : List.of("-Xmx2g", "-Xms256m", "-XX:MaxRAMPercentage=50", "-XX:MaxHeapSize=1g",
                "-XX:+UseSerialGC", "-XX:+UseZGC", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-javaagent:/opt/profiler.jar")) {
            assertThat(JvmRelaunch.childCommand(new String[] {"console"}, plain("-Dx=y", option), MAIN)).as(option).isEmpty();
        }
        assertThat(JvmRelaunch.childCommand(new String[] {"console"}, plain("-XX:+UseCompressedOops", "-Xss1m"), MAIN))
                .as("options that are not about the heap or the GC").isPresent();
    }

    @Test
    void theEscapeHatchesAndAChildNeverRelaunch() {
        String[] console = {"console"};
        assertThat(JvmRelaunch.childCommand(console, jvm(List.of(), Map.of("LOCKSTEP_NO_RELAUNCH", "1"), null, null), MAIN))
                .isEmpty();
        assertThat(JvmRelaunch.childCommand(console, jvm(List.of(), Map.of("LOCKSTEP_NO_RELAUNCH", "0"), null, null), MAIN))
                .as("=0 does not set it").isPresent();
        assertThat(JvmRelaunch.childCommand(console, jvm(List.of(), Map.of(), "false", null), MAIN)).isEmpty();
        assertThat(JvmRelaunch.childCommand(console, jvm(List.of(), Map.of(), null, "17"), MAIN)).as("a child").isEmpty();
    }
}
