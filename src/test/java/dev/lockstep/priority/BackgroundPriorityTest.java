package dev.lockstep.priority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The console's runtime and bursts run at a lower OS priority than the thread that started them (and the EDT),
 * and everything they start follows. Each case runs on a fresh thread: a lowered test thread could not be raised
 * again, and every later test would inherit it.
 */
class BackgroundPriorityTest {

    @Test
    void theNiceValueIsReadPastANameWithSpacesAndParentheses() {
        String stat = "4242 (odd) name (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 1 0 0 20 7 12 0 1000 0 0";
        assertThat(BackgroundPriority.niceFromStat(stat)).isEqualTo(7);
    }

    @Test
    void whatACallLoweredStartsRunsLoweredAndTheCallerKeepsItsPriority() throws Exception {
        assumeLinuxWithRenice();
        record Seen(int caller, int inside, int thread, int process, int callerAfter) {
        }
        Seen seen = onFreshThread(() -> {
            int caller = nice();
            AtomicReference<Integer> insideThread = new AtomicReference<>();
            int[] inside = new int[2];
            BackgroundPriority.callLowered("test-lowered", () -> {
                inside[0] = nice();
                Thread t = new Thread(() -> insideThread.set(nice()), "started-by-lowered");
                t.start();
                t.join();
                // a process it starts (as the embedded Redis is) inherits it too
                Process p = new ProcessBuilder("sh", "-c", "cut -d' ' -f19 /proc/self/stat").start();
                inside[1] = Integer.parseInt(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
                return null;
            });
            return new Seen(caller, inside[0], insideThread.get(), inside[1], nice());
        });
        assertThat(seen.caller()).isLessThan(BackgroundPriority.NICE);
        assertThat(seen.inside()).isEqualTo(BackgroundPriority.NICE);
        assertThat(seen.thread()).isEqualTo(BackgroundPriority.NICE);
        assertThat(seen.process()).isEqualTo(BackgroundPriority.NICE);
        assertThat(seen.callerAfter()).isEqualTo(seen.caller());
    }

    @Test
    void aBackgroundThreadLowersItselfWhoeverStartsIt() throws Exception {
        assumeLinuxWithRenice();
        int[] seen = onFreshThread(() -> {
            AtomicReference<Integer> inside = new AtomicReference<>();
            Thread t = BackgroundPriority.newThread(() -> inside.set(nice()), "test-burst");
            t.start();
            t.join();
            return new int[] {nice(), inside.get()};
        });
        assertThat(seen[0]).isLessThan(BackgroundPriority.NICE);
        assertThat(seen[1]).isEqualTo(BackgroundPriority.NICE);
    }

    @Test
    void aFailureInsideACallLoweredReachesTheCallerAsItself() {
        IllegalStateException boom = new IllegalStateException("the store could not open");
        assertThatThrownBy(() -> BackgroundPriority.callLowered("test-failing", () -> {
            throw boom;
        })).isSameAs(boom);
    }

    private static int nice() {
        OptionalInt n = BackgroundPriority.currentNice();
        assertThat(n).isPresent();
        return n.getAsInt();
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private static <T> T onFreshThread(Work<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "background-priority-test");
        t.start();
        return result.get(30, TimeUnit.SECONDS);
    }

    private static void assumeLinuxWithRenice() {
        assumeTrue(BackgroundPriority.currentNice().isPresent(), "no /proc/thread-self: not Linux");
        assumeTrue(BackgroundPriority.currentNice().getAsInt() < BackgroundPriority.NICE, "the tests already run at nice 10 or more");
        boolean renice = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "renice")));
        assumeTrue(renice, "no renice on the PATH");
    }
}
