package dev.lockstep.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The console and the screenshots and soak commands run for hours on a desktop, so they run in a child JVM with a
 * bounded heap and a pause-time GC ({@link #CHILD_JVM_OPTIONS}) unless the user chose heap or GC options
 * themselves. A JVM left to its ergonomics takes a quarter of the machine's memory as heap and keeps what it
 * grew to (5.8 GB resident holding 63 MB live after 13 minutes). The child inherits stdin, stdout and stderr,
 * its exit code is the parent's, and it dies with the parent (a SIGTERM to the parent is passed on; if the
 * parent is killed outright the child notices and exits). {@value #NO_RELAUNCH_ENV}=1 or
 * {@code -D}{@value #RELAUNCH_PROPERTY}{@code =false} runs the command in this JVM as it is.
 */
public final class JvmRelaunch {
    public static final String NO_RELAUNCH_ENV = "LOCKSTEP_NO_RELAUNCH";
    public static final String RELAUNCH_PROPERTY = "lockstep.relaunch";
    /** Set on the child: the parent's pid, so the child exits when the parent is gone. */
    public static final String PARENT_PID_PROPERTY = "lockstep.parent.pid";
    /**
     * A bounded heap (the console's live set is well under 100 MB; a 15,000-order burst's plan and reports
     * fit), G1 with a pause goal below the EDT's 100 ms budget, and idle heap handed back to the OS.
     */
    public static final List<String> CHILD_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50",
            "-XX:G1PeriodicGCInterval=30000");

    /**
     * glibc's malloc gives each thread that allocates natively an arena of its own, up to 8 per core;
     * the burst's many short-lived threads left the child's resident memory over 1 GB in some runs
     * with the heap bounded. Two arenas, as is usual for JVMs in containers; a value the user set wins.
     */
    static final String MALLOC_ARENAS_ENV = "MALLOC_ARENA_MAX";
    static final String MALLOC_ARENAS = "2";

    /**
     * glibc keeps what native code frees (the JIT's arenas, netty's direct buffers, AWT's fonts) in its heaps,
     * where it stays resident: at a burst's peak 90–170 MB beyond what the JVM's native memory tracking
     * counted, and the child past 950 MB in some runs. The JVM hands free native memory back every 2 s
     * where it can (JDK 17.0.9 and later); eight runs then peaked at 804–850 MB.
     */
    static final String TRIM_NATIVE_HEAP_OPTION = "TrimNativeHeapInterval";
    static final String TRIM_NATIVE_HEAP = "-XX:" + TRIM_NATIVE_HEAP_OPTION + "=2000";

    private static final Set<String> RELAUNCHED_COMMANDS = Set.of("console", "screenshots", "soak");
    /** JVM options meaning the user sized the heap, chose a GC or attached an agent: run as they said. */
    private static final java.util.regex.Pattern USER_CHOSEN = java.util.regex.Pattern.compile(
            "-Xm[xsn].*|-XX:(MaxHeapSize|InitialHeapSize|MaxRAM|MaxRAMPercentage|InitialRAMPercentage"
                    + "|MinRAMPercentage)=.*|-XX:\\+Use\\w*GC|-agentlib:.*|-agentpath:.*|-javaagent:.*");
    private static final long CHILD_STOP_SECONDS = 20;

    private JvmRelaunch() {
    }

    /** What the decision needs to know about this JVM; {@link #current} reads it. */
    public record Jvm(List<String> inputArguments, Map<String, String> env, String relaunchProperty,
                      String parentPidProperty, Path javaHome, String classPath, long pid) {
        public static Jvm current() {
            return new Jvm(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getenv(),
                    System.getProperty(RELAUNCH_PROPERTY), System.getProperty(PARENT_PID_PROPERTY),
                    Path.of(System.getProperty("java.home")), System.getProperty("java.class.path", ""),
                    ProcessHandle.current().pid());
        }
    }

    /**
     * The child JVM's command line for {@code args} (the command first), or empty when this JVM should run
     * the command itself: not the console or screenshots, a help request, already a child, the escape hatch
     * set, or heap/GC options (or an agent) the user chose.
     */
    public static Optional<List<String>> childCommand(String[] args, Jvm jvm, String mainClass) {
        if (args.length == 0 || !RELAUNCHED_COMMANDS.contains(args[0]) || jvm.classPath().isBlank()) {
            return Optional.empty();
        }
        for (String a : args) {
            if (Set.of("-h", "--help", "-V", "--version").contains(a)) {
                return Optional.empty();
            }
        }
        String hatch = jvm.env().getOrDefault(NO_RELAUNCH_ENV, "").trim().toLowerCase(Locale.ROOT);
        if (!hatch.isEmpty() && !hatch.equals("0") && !hatch.equals("false")) {
            return Optional.empty();
        }
        if ("false".equalsIgnoreCase(jvm.relaunchProperty()) || jvm.parentPidProperty() != null) {
            return Optional.empty();
        }
        if (jvm.inputArguments().stream().anyMatch(a -> USER_CHOSEN.matcher(a).matches())) {
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(jvm.javaHome().resolve("bin").resolve("java").toString());
        cmd.addAll(jvm.inputArguments()); // the user's -D and other options, passed on
        cmd.addAll(CHILD_JVM_OPTIONS);
        if (knowsVmOption(TRIM_NATIVE_HEAP_OPTION)) { // the child runs this JVM's java: an older one would refuse it
            cmd.add(TRIM_NATIVE_HEAP);
        }
        cmd.add("-D" + PARENT_PID_PROPERTY + "=" + jvm.pid());
        cmd.add("-cp");
        cmd.add(jvm.classPath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return Optional.of(cmd);
    }

    /** Whether this JVM has the option {@code name} (an -XX option the child is given only where it exists). */
    static boolean knowsVmOption(String name) {
        try {
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption(name);
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | NullPointerException e) {
            return false;
        }
    }

    /**
     * Runs {@code args} in a child JVM when {@link #childCommand} says so and returns its exit code; empty
     * when this JVM should run the command itself.
     */
    public static OptionalInt runInChild(String[] args, String mainClass) {
        Optional<List<String>> cmd = childCommand(args, Jvm.current(), mainClass);
        if (cmd.isEmpty()) {
            return OptionalInt.empty();
        }
        LoggerFactory.getLogger(JvmRelaunch.class).debug("running {} in a child JVM ({}=1 runs it in this one): {}",
                args[0], NO_RELAUNCH_ENV, cmd.get());
        Process child;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd.get()).inheritIO();
            pb.environment().putIfAbsent(MALLOC_ARENAS_ENV, MALLOC_ARENAS);
            child = pb.start();
        } catch (java.io.IOException e) {
            LoggerFactory.getLogger(JvmRelaunch.class).warn("could not start a child JVM, running here: {}", e.toString());
            return OptionalInt.empty();
        }
        Thread stopChild = new Thread(() -> stop(child), "lockstep-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            int code = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopChild);
            return OptionalInt.of(code);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(child);
            return OptionalInt.of(130);
        } catch (IllegalStateException shuttingDown) {
            return OptionalInt.of(child.exitValue());
        }
    }

    /** SIGTERM (the child closes its servers), then SIGKILL if it has not exited in time. */
    private static void stop(Process child) {
        child.destroy();
        try {
            if (!child.waitFor(CHILD_STOP_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** In a child: exit (running the shutdown hooks) as soon as the parent is gone, even if it was SIGKILLed. */
    public static void exitWithParent() {
        String parent = System.getProperty(PARENT_PID_PROPERTY);
        if (parent == null) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(parent.trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            System.exit(143);
        }
        handle.get().onExit().thenRun(() -> System.exit(143));
    }
}
