package dev.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A process a fault test starts (a {@code lockstep} command on the test class path, or a server
 * binary) and what it has printed so far, stdout and stderr together. Like the children of
 * {@code WorkerProcessKillTest}, read by a daemon thread so the process never blocks on its output.
 */
public final class ChildProcess {
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);

    private ChildProcess(Process process, String readyLine) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.contains(readyLine)) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // the process was killed: its output ends
            }
        }, "child-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code java -cp <test class path> dev.lockstep.Main args...}, not waited for. */
    public static ChildProcess lockstep(String readyLine, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", cp, "dev.lockstep.Main"));
        cmd.addAll(List.of(args));
        return start(readyLine, cmd);
    }

    /** Any command; {@code readyLine} is the output that says it is ready. */
    public static ChildProcess start(String readyLine, List<String> cmd) throws IOException {
        return new ChildProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start(), readyLine);
    }

    /** Waits for the ready line (fails the test, with the output so far, when it does not come). */
    public ChildProcess awaitReady(long seconds) throws InterruptedException {
        assertThat(ready.await(seconds, TimeUnit.SECONDS)).as("ready within %d s; output: %s", seconds, output).isTrue();
        return this;
    }

    public boolean printed(String text) {
        return output.stream().anyMatch(l -> l.contains(text));
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    public Process process() {
        return process;
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("killed").isTrue();
    }
}
