package dev.lockstep.mode;

import dev.lockstep.fault.PausedHolderFault;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.pipeline.AcceptResult;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.Drain;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.Pipeline;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.OrderStore;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code unsafe} mode, the article's starting point (docs/DESIGN.md, "The article"): no queue,
 * no dedup, no lock. Each webhook runs its read-modify-write handler at once on its own thread and
 * is answered straight away. Expect duplicate orders and lost inventory updates.
 */
public final class UnsafePipeline implements Pipeline {
    private static final Logger log = LoggerFactory.getLogger(UnsafePipeline.class);

    private final OrderStore store;
    private final EventJournal journal;
    private final RunCounters counters = new RunCounters();
    private final OverlapGuard guard = new OverlapGuard(counters);
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong seq = new AtomicLong();
    /**
     * Handlers run at once, concurrently, as an unqueued webhook server runs them — up to the
     * MongoDB client's pool: past it they would only wait for a connection and time out
     * ({@code mongo.timeout.ms}), which shows pool starvation, not the races this mode is about.
     */
    private static final int MAX_CONCURRENT_HANDLERS = 128;
    private final ExecutorService handlers = Executors.newFixedThreadPool(MAX_CONCURRENT_HANDLERS, r -> {
        Thread t = new Thread(r, "unsafe-handler");
        t.setDaemon(true);
        return t;
    });

    public UnsafePipeline(OrderStore store, EventJournal journal, PausedHolderFault ignored) {
        this.store = store;
        this.journal = journal;
    }

    @Override
    public Mode mode() {
        return Mode.UNSAFE;
    }

    @Override
    public void start() {
        // handlers start per webhook
    }

    @Override
    public AcceptResult accept(Delivery delivery) {
        OrderEvent e = delivery.event();
        // no queue: handed to its handler thread, which is the "enqueue" (docs/DESIGN.md, "Runs and the journal")
        journal.record(JournalEntry.accepted(e, JournalStage.ENQUEUED, System.currentTimeMillis(), ""));
        counters.accepted();
        inFlight.incrementAndGet();
        handlers.execute(() -> handle(e));
        return AcceptResult.QUEUED;
    }

    private void handle(OrderEvent e) {
        String worker = "unsafe/" + Thread.currentThread().getName() + "-" + seq.incrementAndGet();
        long started = System.currentTimeMillis();
        try {
            guard.enter(e.orderId());
            try {
                store.apply(e, OrderStore.NO_FENCE, worker);
            } finally {
                guard.exit(e.orderId());
            }
            counters.applied();
            journal.record(JournalEntry.of(e, JournalStage.APPLIED, worker, 0, started, ""));
        } catch (RuntimeException ex) {
            // like the article's fire-and-forget handler: the error is logged and the event is gone
            log.warn("unsafe handler for order {} failed; the event is lost", e.orderId(), ex);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public RunCounters counters() {
        return counters;
    }

    @Override
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        boolean drained = Drain.await(timeout, () -> inFlight.get() == 0);
        journal.flush();
        return drained;
    }

    @Override
    public void close() {
        handlers.shutdown();
        journal.flush();
    }
}
