package dev.lockstep.worker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * Listens on the queue's wake channel (scripts publish a partition number when its ready list
 * goes from empty to non-empty) and wakes the local dispatcher. Reconnects on errors; a missed
 * message only delays work until the dispatcher's idle timeout.
 */
final class WakeSubscriber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WakeSubscriber.class);

    private final UnifiedJedis redis;
    private final String channel;
    private final WakeSignal signal;
    private final Thread thread;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile JedisPubSub current;

    WakeSubscriber(UnifiedJedis redis, String channel, WakeSignal signal, String name) {
        this.redis = redis;
        this.channel = channel;
        this.signal = signal;
        this.thread = new Thread(this::run, name + "-wake");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits until the subscription is active (so no announcement after this is missed). */
    boolean awaitSubscribed(long timeoutMs) throws InterruptedException {
        return subscribed.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void run() {
        long backoff = 100;
        while (running) {
            JedisPubSub pubSub = new JedisPubSub() {
                @Override
                public void onSubscribe(String ch, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onMessage(String ch, String message) {
                    try {
                        signal.wake(Integer.parseInt(message));
                    } catch (NumberFormatException e) {
                        log.warn("ignoring malformed wake message '{}' on {}", message, ch);
                    }
                }
            };
            current = pubSub;
            try {
                redis.subscribe(pubSub, channel);
                backoff = 100;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("wake subscription on {} failed; retrying in {} ms: {}", channel, backoff, e.getMessage());
                signal.wake(-1);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 5000);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        // A close right after start may come before the subscription is confirmed: unsubscribing
        // then would be skipped and the thread would stay subscribed on a pooled connection for good.
        if (thread.isAlive()) {
            try {
                subscribed.await(2000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        JedisPubSub pubSub = current;
        if (pubSub != null && pubSub.isSubscribed()) {
            try {
                pubSub.unsubscribe();
            } catch (RuntimeException e) {
                log.debug("unsubscribe from {} failed during close", channel, e);
            }
        }
        // Let the subscription read its own unsubscribe reply before the pooled connection goes back
        // to the pool; interrupting it mid-read would hand the next command a stale reply.
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("wake subscription on {} did not end within 2 s", channel);
        }
    }
}
