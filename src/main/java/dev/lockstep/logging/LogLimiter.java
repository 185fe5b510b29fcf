package dev.lockstep.logging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One log line per failure kind per interval, with how many were suppressed, and a stack trace at most
 * once per kind: a failing Redis or store must not write a trace per event.
 */
public final class LogLimiter {
    private final Logger log;
    private final long intervalNanos;
    private final Map<String, AtomicLong> lastLogged = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> suppressed = new ConcurrentHashMap<>();
    private final Map<String, Boolean> traced = new ConcurrentHashMap<>();

    public LogLimiter(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Logs a failure of this kind now, or counts it for the next line of its kind. */
    public void log(String what, Throwable error) {
        String kind = what + ": " + error.getClass().getName();
        long now = System.nanoTime();
        AtomicLong last = lastLogged.computeIfAbsent(kind, k -> new AtomicLong(now - intervalNanos - 1));
        long prev = last.get();
        if (now - prev <= intervalNanos || !last.compareAndSet(prev, now)) {
            suppressed.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            return;
        }
        long more = suppressed.computeIfAbsent(kind, k -> new AtomicLong()).getAndSet(0);
        String line = what + ": " + error + (more > 0 ? " (and " + more + " more since the last report)" : "");
        if (traced.putIfAbsent(kind, Boolean.TRUE) == null) {
            log.warn(line, error);
        } else {
            log.warn(line);
        }
    }
}
