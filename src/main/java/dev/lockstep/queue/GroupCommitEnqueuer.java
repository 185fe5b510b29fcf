package dev.lockstep.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Group commit in front of {@link LaneQueue#enqueueAll}: concurrent enqueues (webhooks being
 * answered, a burst, the benchmark's producers) are gathered while the previous batch is on its way
 * and sent together, one script call per partition in one round trip. Each caller still gets its
 * own event's result, so a webhook is answered 2xx only once Redis has its event. No caller waits
 * for a batch to fill: an enqueue on a quiet queue goes out at once, alone.
 *
 * <p>{@link #enqueueAsync} gives the result as a future, so the ingest holds no thread per webhook
 * in flight: with a thread blocked per delivery, every batch answered woke dozens of threads at
 * once, and the console's window waited behind them for a core. At most {@link #MAX_WAITING} events
 * wait for a batch; past that an enqueue is refused at once (the webhook is answered 503 and sent
 * again by its provider) rather than queued without bound.
 */
public final class GroupCommitEnqueuer implements AutoCloseable {
    private static final int MAX_BATCH = 512;
    /** Events waiting for a batch at most: a few seconds of the queue's rate, bounded memory. */
    static final int MAX_WAITING = 20_000;

    private record Slot(LaneQueue.Enqueue event, CompletableFuture<ResultCode> result) {
    }

    private final LaneQueue queue;
    private final long timeoutMillis;
    private final LinkedBlockingQueue<Slot> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> flushers = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param flushers      batches in flight at once (2 lets one gather while the other is on the wire)
     * @param timeoutMillis longest a caller waits for its result (Redis gone: the caller answers 503)
     */
    public GroupCommitEnqueuer(LaneQueue queue, int flushers, long timeoutMillis, String name) {
        this.queue = queue;
        this.timeoutMillis = timeoutMillis;
        for (int i = 0; i < flushers; i++) {
            Thread t = new Thread(this::flushLoop, name + "-enqueue-" + i);
            t.setDaemon(true);
            this.flushers.add(t);
            t.start();
        }
    }

    /**
     * Enqueues one event and waits for Redis's answer for it.
     *
     * @throws QueueWriteException when it could not be sent, or no answer came in time (the event may
     *                             or may not be in the queue; a resend is deduplicated)
     */
    public ResultCode enqueue(long orderId, String dedupKey, String payload) {
        CompletableFuture<ResultCode> f = enqueueAsync(orderId, dedupKey, payload);
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof QueueWriteException q ? q
                    : new QueueWriteException("enqueue failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new QueueWriteException("no answer from Redis within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueWriteException("interrupted while enqueuing", e);
        }
    }

    /**
     * Enqueues one event; the future completes with Redis's answer for it, or exceptionally with a
     * {@link QueueWriteException} when it could not be sent (the event may or may not be in the queue;
     * a resend is deduplicated), when the enqueuer is closed, or when {@link #MAX_WAITING} events
     * already wait. It completes on the thread that sent the batch: keep what follows short.
     * A batch's send is bounded by the Redis client's timeouts, so the future always completes.
     */
    public CompletableFuture<ResultCode> enqueueAsync(long orderId, String dedupKey, String payload) {
        CompletableFuture<ResultCode> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new QueueWriteException("the enqueuer is closed", null));
        } else if (waiting.size() >= MAX_WAITING) {
            f.completeExceptionally(new QueueWriteException(MAX_WAITING + " events already wait for Redis", null));
        } else {
            waiting.add(new Slot(new LaneQueue.Enqueue(orderId, dedupKey, payload), f));
        }
        return f;
    }

    /** Events waiting for the next batch (not yet on the wire). */
    int waitingCount() {
        return waiting.size();
    }

    private void flushLoop() {
        List<Slot> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !waiting.isEmpty()) {
            try {
                Slot first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, MAX_BATCH - 1);
                send(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void send(List<Slot> batch) {
        List<LaneQueue.Enqueue> events = new ArrayList<>(batch.size());
        for (Slot s : batch) {
            events.add(s.event());
        }
        try {
            List<ResultCode> codes = queue.enqueueAll(events);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(codes.get(i));
            }
        } catch (RuntimeException e) {
            QueueWriteException failed = new QueueWriteException("enqueue failed: " + e.getMessage(), e);
            for (Slot s : batch) {
                s.result().completeExceptionally(failed);
            }
        }
    }

    /** Sends what is waiting, then stops; an enqueue that slipped in after the last send is refused. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : flushers) {
            try {
                t.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Slot s; (s = waiting.poll()) != null; ) {
            s.result().completeExceptionally(new QueueWriteException("the enqueuer is closed", null));
        }
    }

    /** An enqueue that could not be confirmed. */
    public static final class QueueWriteException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        QueueWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
