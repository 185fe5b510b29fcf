package dev.lockstep.priority;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the work someone waits on keep the CPU it needs while background work saturates the cores. On Linux each
 * thread has its own nice value, and a thread or process inherits the value of the thread that starts it. So
 * background work is started from a thread that lowered itself to nice {@value #NICE} ({@link #callLowered}), and
 * everything it starts follows:
 * <ul>
 *   <li>the console's runtime (workers, ingest, embedded servers) and each burst, while the EDT and the
 *       console's poller keep the user's priority. Measured on 2 cores during a 15,000-order burst: the longest
 *       EDT stall went from 82–252 ms to under 40 ms, and the burst was no slower;</li>
 *   <li>a lockstep worker pool's threads and the embedded MongoDB-wire server, while the ingest, the group
 *       commit and Redis keep theirs: under load a webhook is answered first and the backlog drains with the
 *       CPU left. Measured on 2 cores at 500 connections: 4,300–5,700 answers/s (p99 277–396 ms) before,
 *       7,700 (p99 185 ms) after.</li>
 * </ul>
 *
 * <p>{@code Thread.setPriority} does not reach the OS unless the JVM runs with {@code -XX:ThreadPriorityPolicy=1},
 * which warns unprivileged users at every start and cannot give the EDT back priority it inherited away. So
 * this runs {@code renice} on the calling thread's own id, which any user may do to lower priority. Elsewhere
 * (no {@code /proc/thread-self} or no {@code renice}) it does nothing.
 */
public final class BackgroundPriority {
    private static final Logger log = LoggerFactory.getLogger(BackgroundPriority.class);
    /** The nice value background work runs at (0 normal, 19 lowest): each such thread weighs a tenth of the EDT. */
    public static final int NICE = 10;
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final long RENICE_TIMEOUT_SECONDS = 5;

    private BackgroundPriority() {
    }

    /**
     * Lowers the calling thread to nice {@value #NICE} unless it already runs at that or lower. Returns whether it
     * now does; false where the OS gives no way (not Linux, no {@code renice}).
     */
    public static boolean lowerCurrentThread() {
        OptionalInt now = currentNice();
        if (now.isEmpty()) {
            return false;
        }
        if (now.getAsInt() >= NICE) {
            return true;
        }
        try {
            // a bare priority is absolute in every renice; "-n" is relative in some
            Process p = new ProcessBuilder("renice", Integer.toString(NICE), "-p", Long.toString(threadId()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(RENICE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            log.debug("background work keeps its priority: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        OptionalInt after = currentNice();
        return after.isPresent() && after.getAsInt() >= NICE;
    }

    /** A thread that lowers itself ({@link #lowerCurrentThread}) before it runs {@code task}, whoever starts it. */
    public static Thread newThread(Runnable task, String name) {
        return new Thread(() -> {
            lowerCurrentThread();
            task.run();
        }, name);
    }

    /**
     * Runs {@code work} on a new thread that lowers itself first, and returns its result: the threads and processes
     * it starts run lowered, while the caller (which may yet start the EDT) keeps its priority.
     */
    public static <T> T callLowered(String name, Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        newThread(task, name).start();
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** {@link #callLowered} for work that throws only unchecked exceptions, which reach the caller as they are. */
    public static <T> T supplyLowered(String name, Supplier<T> work) {
        try {
            return callLowered(name, work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(name + " was interrupted", e);
        }
    }

    /** {@link #supplyLowered} for work without a result. */
    public static void runLowered(String name, Runnable work) {
        supplyLowered(name, () -> {
            work.run();
            return null;
        });
    }

    /** The calling thread's nice value; empty where it cannot be read (not Linux). */
    public static OptionalInt currentNice() {
        try {
            return OptionalInt.of(niceFromStat(Files.readString(THREAD_SELF.resolve("stat"))));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** Field 19 of {@code /proc/.../stat}; the name in parentheses before it may hold spaces and parentheses. */
    static int niceFromStat(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(after[16]); // after[0] is field 3 (state)
    }

    /** The kernel's id of the calling thread: /proc/thread-self links to {@code <pid>/task/<tid>}. */
    private static long threadId() throws IOException {
        return Long.parseLong(Files.readSymbolicLink(THREAD_SELF).getFileName().toString());
    }
}
