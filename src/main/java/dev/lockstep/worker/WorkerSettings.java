package dev.lockstep.worker;

import dev.lockstep.config.LockstepConfig;
import java.time.Duration;

/**
 * How a worker pool runs.
 *
 * @param threads       handler threads
 * @param workerId      this process's id in holder names (host:pid)
 * @param maxAttempts   attempts before a lane is parked
 * @param backoff       first retry backoff, doubled per attempt
 * @param backoffMax    backoff cap
 * @param idleWait      longest an idle dispatcher waits before sweeping again
 * @param reapInterval  how often expired leases are looked for
 * @param maxContinue   jobs one holder runs from one lane before handing it back (fairness)
 * @param handlerDeadline longest one handler call may run before its attempt fails and its lane is revoked
 */
public record WorkerSettings(int threads, String workerId, int maxAttempts, Duration backoff, Duration backoffMax,
                             Duration idleWait, Duration reapInterval, int maxContinue,
                             Duration handlerDeadline) {

    public static WorkerSettings from(LockstepConfig c) {
        long reap = Math.max(20, Math.min(1000, c.lease().toMillis() / 4));
        return new WorkerSettings(c.workerThreads(), processId(), c.retryAttempts(), c.retryBackoff(),
                c.retryBackoffMax(), Duration.ofMillis(200), Duration.ofMillis(reap), 64, c.handlerDeadline());
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

    /** Backoff before attempt {@code attempts + 1}: backoff × 2^(attempts-1), capped. */
    public Duration backoffFor(int attempts) {
        long ms = backoff.toMillis() << Math.min(20, Math.max(0, attempts - 1));
        return Duration.ofMillis(Math.min(ms, backoffMax.toMillis()));
    }
}
