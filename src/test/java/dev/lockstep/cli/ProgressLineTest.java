package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.runtime.BurstRun.Phase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ProgressLineTest {
    private static final long SECOND = 1_000_000_000L;

    private final StringWriter sink = new StringWriter();
    private final AtomicLong clock = new AtomicLong(0);

    private ProgressLine line(boolean terminal) {
        return new ProgressLine(new PrintWriter(sink, true), "lockstep", terminal, clock::get);
    }

    /** In a file or a pipe: whole lines, every 2 s and at each phase change, and no control code at all. */
    @Test
    void offATerminalItWritesPlainPeriodicLinesWithoutControlCodes() {
        ProgressLine p = line(false);
        p.progress(Phase.PREPARING, 0, 0);
        p.progress(Phase.FIRING, 10, 1000);          // phase change: printed
        for (int i = 1; i <= 40; i++) {              // 4 s of updates every 100 ms: two more lines
            clock.addAndGet(SECOND / 10);
            p.progress(Phase.FIRING, 10 + i, 1000);
        }
        p.progress(Phase.DRAINING, 5, 900);
        p.progress(Phase.AUDITING, 0, 0);
        p.progress(Phase.DONE, 900, 900);
        p.end();

        String out = sink.toString();
        assertThat(out).doesNotContain("\r").doesNotContain("\u001b");
        assertThat(out).endsWith(System.lineSeparator());
        assertThat(out.lines()).containsExactly(
                "[lockstep] preparing",
                "[lockstep] firing 10/1,000 deliveries",
                "[lockstep] firing 30/1,000 deliveries",
                "[lockstep] firing 50/1,000 deliveries",
                "[lockstep] draining: 5/900 accepted events handled",
                "[lockstep] auditing",
                "[lockstep] done");
    }

    /** On a terminal a log line first erases the line drawn in place, and the line comes back below it. */
    @Test
    void onATerminalALogLineErasesTheProgressLineAndItIsRedrawnAfter() {
        ProgressLine p = line(true);
        p.progress(Phase.FIRING, 1, 10);
        ProgressLine.aboveProgress(() -> sink.write("12:00:00 INFO a log line\n"));
        p.progress(Phase.DONE, 10, 10);
        assertThat(sink.toString()).isEqualTo("\r\u001b[K[lockstep] firing 1/10 deliveries"
                + "\r\u001b[K" + "12:00:00 INFO a log line\n" + "[lockstep] firing 1/10 deliveries"
                + "\r\u001b[K[lockstep] done" + System.lineSeparator());
        // after DONE nothing is drawn: a log line is written as it is
        ProgressLine.aboveProgress(() -> sink.write("next\n"));
        assertThat(sink.toString()).endsWith("done" + System.lineSeparator() + "next\n");
    }

    /** The packaged logback.xml writes log lines through the same lock, so one never lands mid-line. */
    @Test
    void aRealLogLineThroughLogbackGoesAboveTheDrawnLine() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProgressLine p = new ProgressLine(new PrintWriter(System.err, true), "lockstep", true, clock::get);
            p.progress(Phase.FIRING, 1, 10);
            LoggerFactory.getLogger(ProgressLineTest.class).warn("a log line during a burst");
            p.end();
        } finally {
            System.setErr(stderr);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\r\u001b[K[lockstep] firing 1/10 deliveries\r\u001b[K");
        assertThat(out).containsPattern("\\r\u001b\\[K\\S+ WARN .*a log line during a burst\\R"
                + "\\[lockstep\\] firing 1/10 deliveries\\R$");
    }

    /** A run that fails mid-way ends its drawn line, so the error starts on a line of its own. */
    @Test
    void endFinishesALineStillDrawn() {
        ProgressLine p = line(true);
        p.progress(Phase.DRAINING, 1, 10);
        p.end();
        p.end();
        assertThat(sink.toString()).endsWith("handled" + System.lineSeparator());
    }

    @Test
    void onlyAConsoleWithARealTermAndStderrOnATtyCountsAsATerminal(@TempDir Path dir) throws Exception {
        Path toTty = Files.createSymbolicLink(dir.resolve("fd2-tty"), Path.of("/dev/pts/3"));
        Path toFile = Files.createSymbolicLink(dir.resolve("fd2-file"), dir.resolve("burst.log"));
        Path toPipe = Files.createSymbolicLink(dir.resolve("fd2-pipe"), Path.of("pipe:[12345]"));
        assertThat(ProgressLine.stderrIsTerminal(true, "xterm-256color", toTty)).isTrue();
        assertThat(ProgressLine.stderrIsTerminal(false, "xterm-256color", toTty)).as("no console").isFalse();
        assertThat(ProgressLine.stderrIsTerminal(true, "dumb", toTty)).as("TERM=dumb").isFalse();
        assertThat(ProgressLine.stderrIsTerminal(true, null, toTty)).as("no TERM").isFalse();
        assertThat(ProgressLine.stderrIsTerminal(true, "xterm", toFile)).as("2> file").isFalse();
        assertThat(ProgressLine.stderrIsTerminal(true, "xterm", toPipe)).as("2>&1 | less").isFalse();
    }
}
