package dev.lockstep.worker;

import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import java.time.Duration;
import java.util.Map;

/**
 * How a worker pool runs. Start from {@link #defaults()} or {@link #from(LockstepConfig)} and change
 * what differs with the {@code with...} methods; the defaults are defined only there.
 *
 * @param threads       handler threads
 * @param lanes         lanes held at once, claimed ahead, so a thread finishing one finds the next waiting and
 *                      one drain round trip carries many lanes; never fewer than {@code threads} (a smaller
 *                      value counts as {@code threads})
 * @param workerId      this process's id in holder names (host:pid)
 * @param maxAttempts   attempts before a lane is parked
 * @param backoff       first retry backoff, doubled per attempt
 * @param backoffMax    backoff cap
 * @param idleWait      longest an idle dispatcher waits before sweeping again
 * @param reapInterval  how often expired leases are looked for
 * @param maxContinue   jobs one holder runs from one lane before handing it back (fairness)
 * @param handlerDeadline longest one handler call may run before its attempt fails and its lane is revoked
 */
public record WorkerSettings(int threads, int lanes, String workerId, int maxAttempts, Duration backoff, Duration backoffMax,
                             Duration idleWait, Duration reapInterval, int maxContinue,
                             Duration handlerDeadline) {

    private static final Duration IDLE_WAIT = Duration.ofMillis(200);
    /** Jobs one holder runs from one lane before handing it back, unless set otherwise. */
    public static final int DEFAULT_MAX_CONTINUE = 64;

    /** The one place the rule "never fewer lanes than threads" is kept. */
    public WorkerSettings {
        lanes = Math.max(threads, lanes);
    }

    /**
     * The settings of a worker run with the packaged configuration ({@code config/lockstep.properties},
     * no environment or overrides): its threads, retry attempts and backoff, a reap interval for its
     * lease, this process's id, idle wait 200 ms and 64 jobs per lane run.
     */
    public static WorkerSettings defaults() {
        return from(ConfigLoader.load(null, Map.of(), Map.of()));
    }

    /** The settings {@code c} configures (threads, retries, reap interval for its lease), the rest as {@link #defaults()}. */
    public static WorkerSettings from(LockstepConfig c) {
        return new WorkerSettings(c.workerThreads(), c.workerLanes(), processId(), c.retryAttempts(), c.retryBackoff(),
                c.retryBackoffMax(), IDLE_WAIT, reapIntervalFor(c.lease()), DEFAULT_MAX_CONTINUE,
                c.handlerDeadline());
    }

    /** How often to look for expired leases of this length: a quarter of it, within 20 ms .. 1 s. */
    private static Duration reapIntervalFor(Duration lease) {
        return Duration.ofMillis(Math.max(20, Math.min(1000, lease.toMillis() / 4)));
    }

    public WorkerSettings withHandlerDeadline(Duration d) {
        return new WorkerSettings(threads, lanes, workerId, maxAttempts, backoff, backoffMax, idleWait, reapInterval,
                maxContinue, d);
    }

    /** host:pid of this JVM. */
    public static String processId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    public WorkerSettings withThreads(int n) {
        return new WorkerSettings(n, lanes, workerId, maxAttempts, backoff, backoffMax, idleWait, reapInterval,
                maxContinue, handlerDeadline);
    }

    /** Lanes held at once; never fewer than the threads. */
    public WorkerSettings withLanes(int n) {
        return new WorkerSettings(threads, n, workerId, maxAttempts, backoff, backoffMax, idleWait,
                reapInterval, maxContinue, handlerDeadline);
    }

    public WorkerSettings withWorkerId(String id) {
        return new WorkerSettings(threads, lanes, id, maxAttempts, backoff, backoffMax, idleWait, reapInterval,
                maxContinue, handlerDeadline);
    }

    public WorkerSettings withMaxAttempts(int n) {
        return new WorkerSettings(threads, lanes, workerId, n, backoff, backoffMax, idleWait, reapInterval,
                maxContinue, handlerDeadline);
    }

    /** First retry backoff and its cap. */
    public WorkerSettings withBackoff(Duration first, Duration max) {
        return new WorkerSettings(threads, lanes, workerId, maxAttempts, first, max, idleWait, reapInterval,
                maxContinue, handlerDeadline);
    }

    public WorkerSettings withIdleWait(Duration d) {
        return new WorkerSettings(threads, lanes, workerId, maxAttempts, backoff, backoffMax, d, reapInterval,
                maxContinue, handlerDeadline);
    }

    public WorkerSettings withReapInterval(Duration d) {
        return new WorkerSettings(threads, lanes, workerId, maxAttempts, backoff, backoffMax, idleWait, d,
                maxContinue, handlerDeadline);
    }

    /** The reap interval {@link #from} picks for a lease of this length. */
    public WorkerSettings withReapIntervalFor(Duration lease) {
        return withReapInterval(reapIntervalFor(lease));
    }

    public WorkerSettings withMaxContinue(int n) {
        return new WorkerSettings(threads, lanes, workerId, maxAttempts, backoff, backoffMax, idleWait, reapInterval,
                n, handlerDeadline);
    }

    /** Backoff before attempt {@code attempts + 1}: backoff × 2^(attempts-1), capped. */
    public Duration backoffFor(int attempts) {
        long ms = backoff.toMillis() << Math.min(20, Math.max(0, attempts - 1));
        return Duration.ofMillis(Math.min(ms, backoffMax.toMillis()));
    }
}
