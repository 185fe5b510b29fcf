package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.pipeline.Mode;
import java.awt.image.BufferedImage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The screenshots tool on the in-memory backend: one PNG per view and the Timeline with its run
 * picker open, and the backend closed exactly once, by the window, before it returns (the CLI then
 * must not close it again: a second close of the real stack fails on its data directory's lock).
 */
@Tag("gui")
class ScreenshotsGuiTest {

    @Test
    void writesEveryViewAndClosesTheBackendOnceBeforeReturning(@TempDir Path out) throws Exception {
        FakeConsoleBackend fake = new FakeConsoleBackend();
        AtomicInteger closes = new AtomicInteger();
        ConsoleBackend counting = (ConsoleBackend) Proxy.newProxyInstance(ConsoleBackend.class.getClassLoader(),
                new Class<?>[] {ConsoleBackend.class}, (proxy, method, args) -> {
                    boolean close = method.getName().equals("close") && method.getParameterCount() == 0;
                    if (close) {
                        // the real stack takes seconds to stop its servers: a close that takes a while
                        LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
                    }
                    try {
                        return method.invoke(fake, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (close) {
                            closes.incrementAndGet(); // counted once it has finished
                        }
                    }
                });

        // no bursts (the fake's runs are enough), the two-run order in both Timeline shots
        Screenshots.Result result = Screenshots.capture(counting, new Screenshots.Options(out, 0, Mode.LOCKSTEP, 0,
                FakeConsoleBackend.TWO_RUN_ORDER, false, 1, 0, List.of()));

        assertThat(closes).as("backend closes finished when capture returns").hasValue(1);
        assertThat(result.files()).extracting(p -> p.getFileName().toString()).containsExactly(
                "overview.png", "locks.png", "dedup.png", "timeline.png", "burst.png", "integrity.png",
                "workers.png", "timeline-runs.png");
        for (Path p : result.files()) {
            BufferedImage img = ImageIO.read(p.toFile());
            assertThat(img).as(p.toString()).isNotNull();
            assertThat(img.getWidth()).as(p.toString()).isGreaterThan(600);
        }
    }

    /**
     * The release shot refuses to race a short lease: under a 10 s lease a paused holder's stuck lock
     * had 1.7 to 5 s left, and on a loaded machine every one lapsed before its dialog was shot, so the
     * step timed out. It runs under {@link Screenshots#RELEASE_LEASE} (the command sets it) or fails at once.
     */
    @Test
    void theReleaseShotRefusesALeaseTooShortToOutliveIt(@TempDir Path out) {
        FakeConsoleBackend fake = new FakeConsoleBackend(); // its leases are 10 s

        assertThatThrownBy(() -> Screenshots.capture(fake, new Screenshots.Options(out, 0, Mode.LOCKSTEP, 0,
                FakeConsoleBackend.TWO_RUN_ORDER, false, 1, 40, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lease.ms").hasMessageContaining("10000 ms");
        assertThat(out.resolve("locks-release.png")).doesNotExist();
    }
}
