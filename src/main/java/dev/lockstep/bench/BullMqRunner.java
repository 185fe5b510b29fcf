package dev.lockstep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code bench/bullmq/bench.mjs} (the same workload on BullMQ) as a child process and reads
 * its one-line JSON answer. Needs {@code node} on the PATH and {@code npm ci} done in the folder.
 */
final class BullMqRunner {
    private static final Logger log = LoggerFactory.getLogger(BullMqRunner.class);

    private final String node;
    private final Path dir;

    BullMqRunner(String node, Path dir) {
        this.node = node;
        this.dir = dir;
    }

    /** Why the BullMQ side cannot run here, with how to fix it; null when it can. */
    String unavailableReason() {
        if (!Files.isRegularFile(dir.resolve("bench.mjs"))) {
            return "no " + dir.resolve("bench.mjs") + " (run from the repository root or pass --bullmq-dir)";
        }
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("bullmq"))) {
            return "BullMQ is not installed: run `npm ci` in " + dir + " (needs node >= 18 and the npm registry)";
        }
        try {
            Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "`" + node + " --version` failed: " + version;
            }
        } catch (IOException e) {
            return "node is not on the PATH (" + e.getMessage() + "): install Node.js >= 18";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for node";
        }
        return null;
    }

    /**
     * How BullMQ is run. The defaults are how its users run it: one worker process at concurrency
     * 50, jobs added with addBulk in chunks of 1,000, BullMQ's default job options (completed jobs kept).
     *
     * @param concurrency      Worker concurrency
     * @param batch            jobs per addBulk call (1 = Queue.add per job)
     * @param producers        concurrent adders
     * @param split            Worker in a worker thread of the same process
     * @param removeOnComplete removeOnComplete: true (BullMQ's default keeps completed jobs)
     * @param warmup           jobs of each of bench.mjs's two untimed runs first (0: none), as the Java side warms up
     */
    record Side(int concurrency, int batch, int producers, boolean split, boolean removeOnComplete, int warmup) {
        static final int DEFAULT_CONCURRENCY = 50;
        static final int DEFAULT_BATCH = 1000;
        static final int DEFAULT_PRODUCERS = 4;

        static Side defaults() {
            return new Side(DEFAULT_CONCURRENCY, DEFAULT_BATCH, DEFAULT_PRODUCERS, false, false, 0);
        }
    }

    /** The arguments that give bench.mjs the same workload as {@code spec}, with {@code concurrency} jobs at once. */
    static List<String> arguments(BenchSpec spec, String redisUri, int concurrency, boolean split) {
        return arguments(spec, redisUri, new Side(concurrency, spec.enqueueBatch(), spec.producers(), split, true, 0));
    }

    /** The arguments that give bench.mjs the same workload (events, orders, layout) as {@code spec}, run as {@code side} says. */
    static List<String> arguments(BenchSpec spec, String redisUri, Side side) {
        List<String> a = new ArrayList<>(List.of("--redis-uri", redisUri, "--events", Integer.toString(spec.events()),
                "--orders", Integer.toString(spec.orders()), "--layout", spec.layout(),
                "--producers", Integer.toString(side.producers()),
                "--concurrency", Integer.toString(side.concurrency()), "--batch", Integer.toString(side.batch()),
                "--timeout-seconds", Long.toString(spec.timeoutSeconds()), "--warmup", Integer.toString(side.warmup()),
                "--json"));
        if (spec.phased()) {
            a.add("--phased");
        }
        if (side.split()) {
            a.add("--split");
        }
        if (side.removeOnComplete()) {
            a.add("--remove-on-complete");
        }
        return a;
    }

    /** Runs bench.mjs and returns its JSON result; its stderr goes to ours. */
    JsonNode run(BenchSpec spec, String redisUri, int concurrency, boolean split) {
        return run(spec, redisUri, new Side(concurrency, spec.enqueueBatch(), spec.producers(), split, true, 0));
    }

    /** Runs bench.mjs and returns its JSON result; its stderr goes to ours. */
    JsonNode run(BenchSpec spec, String redisUri, Side side) {
        List<String> cmd = new ArrayList<>(List.of(node, dir.resolve("bench.mjs").toString()));
        cmd.addAll(arguments(spec, redisUri, side));
        log.info("running {}", String.join(" ", cmd));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            if (!p.waitFor(spec.timeoutSeconds() + 120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("bench.mjs did not finish within " + (spec.timeoutSeconds() + 120) + " s");
            }
            String stdout = out.join();
            String last = lastLine(stdout);
            if (!last.startsWith("{")) {
                throw new IllegalStateException("bench.mjs exited " + p.exitValue() + " without a JSON result: " + stdout);
            }
            return BenchReport.mapper().readTree(last);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while BullMQ ran", e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String lastLine(String text) {
        String[] lines = text.strip().split("\r?\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
}
