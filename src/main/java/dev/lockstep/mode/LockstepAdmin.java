package dev.lockstep.mode;

import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.queue.ParkedLane;
import dev.lockstep.queue.PausedLane;
import dev.lockstep.queue.QueueAdmin;
import dev.lockstep.queue.QueueStats;
import dev.lockstep.store.EventJournal;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.OrderStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's controls over the lockstep queue. Works against any Redis/MongoDB pair, so a
 * console can operate headless workers it did not start. Every step that changes a lane (release,
 * retry, skip, pause, resume) is an entry in the order's journal naming the operator
 * ({@code user@host}) and the time: the audit trail its timeline shows (docs/DESIGN.md, "Runs and
 * the journal").
 */
public final class LockstepAdmin implements QueueAdmin {
    private static final Logger log = LoggerFactory.getLogger(LockstepAdmin.class);

    private final LaneQueue queue;
    private final OrderStore store;
    private final EventJournal journal;
    private final String operator;

    /** Controls whose steps are recorded as taken by this process's OS user on this machine. */
    public LockstepAdmin(LaneQueue queue, OrderStore store, EventJournal journal) {
        this(queue, store, journal, operatorHere());
    }

    /** @param operator who the journal says took each step ({@code user@host}) */
    public LockstepAdmin(LaneQueue queue, OrderStore store, EventJournal journal, String operator) {
        this.queue = queue;
        this.store = store;
        this.journal = journal;
        this.operator = operator;
    }

    /** {@code user.name@host} of this process: who an operator step is recorded as. */
    public static String operatorHere() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }

    /** Who the journal says took the steps of these controls. */
    public String operator() {
        return operator;
    }

    private void record(long orderId, String effectId, String topic, JournalStage stage, long token, String detail) {
        journal.record(JournalEntry.byOperator(operator, orderId, effectId, topic, stage, token,
                System.currentTimeMillis(), detail));
    }

    @Override
    public QueueStats stats() {
        return queue.stats();
    }

    @Override
    public List<LeaseInfo> leases(int limit) {
        return queue.leases(limit);
    }

    @Override
    public List<ParkedLane> parked(int limit) {
        return queue.parked(limit);
    }

    @Override
    public long release(long orderId) {
        LaneQueue.Revocation revoked = queue.release(orderId);
        if (revoked == null) {
            return -1;
        }
        long fence = revoked.fence();
        // Redis refuses the old holder's complete already; the store must refuse its write before
        // anyone else gets the lane: raise its fence, then hand the lane on. If this process dies in
        // between, the reaper finishes the revocation.
        store.raiseFence(orderId, fence);
        queue.handOn(revoked);
        log.info("operator {} released order {}; fence raised to {}", operator, orderId, fence);
        record(orderId, "", "", JournalStage.RELEASED, fence, "lock released by " + operator + ": fence raised to " + fence);
        return fence;
    }

    @Override
    public List<PausedLane> paused(int limit) {
        return queue.paused(limit);
    }

    @Override
    public long pause(long orderId) {
        long at = queue.pause(orderId);
        log.info("operator {} paused the lane of order {}", operator, orderId);
        record(orderId, "", "", JournalStage.PAUSED, 0, "lane paused by " + operator + ": no new claims until resumed");
        return at;
    }

    @Override
    public boolean resume(long orderId) {
        boolean was = queue.resume(orderId);
        if (was) {
            log.info("operator {} resumed the lane of order {}", operator, orderId);
            record(orderId, "", "", JournalStage.RESUMED, 0, "lane resumed by " + operator);
        }
        return was;
    }

    @Override
    public boolean retryHead(long orderId) {
        boolean ok = queue.retryParked(orderId);
        if (ok) {
            log.info("operator {} retried the parked head of order {}", operator, orderId);
            record(orderId, "", "", JournalStage.RETRIED_BY_OPERATOR, 0, "parked head retried by " + operator);
        }
        return ok;
    }

    @Override
    public boolean skipHead(long orderId) {
        String payload = queue.skipParked(orderId);
        if (payload == null) {
            return false;
        }
        String effect = "";
        String topic = "";
        try {
            var e = OrderEventCodec.decode(payload);
            effect = e.effectId();
            topic = e.topic().wire();
        } catch (RuntimeException ex) {
            log.debug("skipped head of order {} has an undecodable payload", orderId, ex);
        }
        log.warn("operator {} skipped the parked head {} of order {}", operator, effect, orderId);
        record(orderId, effect, topic, JournalStage.SKIPPED_BY_OPERATOR, 0,
                "parked head skipped by " + operator + "; its effect will never apply");
        return true;
    }
}
