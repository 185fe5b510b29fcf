package dev.lockstep.mode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderEventCodec;
import dev.lockstep.order.Topic;
import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.store.FencedOrderStore;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.MongoEventJournal;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator audit trail: every manual release, retry, skip, pause and resume through
 * {@link LockstepAdmin} is an entry in the order's journal naming the operator (OS user and host)
 * and the time, read back from MongoDB.
 */
class OperatorAuditTrailTest {
    private final FencedOrderStore store =
            new FencedOrderStore(TestServers.get().mongo().getDatabase(TestServers.uniqueName("db")));
    private final LaneQueue queue = new LaneQueue(TestServers.get().redis(), new Keys(TestServers.uniqueName("q"), 2),
            Duration.ofSeconds(30), Duration.ofHours(1));
    private MongoEventJournal journal;
    private LockstepAdmin admin;

    @BeforeEach
    void open() {
        journal = new MongoEventJournal(TestServers.get().mongo().getDatabase(TestServers.uniqueName("db")));
        admin = new LockstepAdmin(queue, store, journal);
    }

    @AfterEach
    void close() {
        journal.close();
        queue.purge();
    }

    @Test
    void theOperatorIsThisProcesssOsUserOnThisHost() {
        assertThat(admin.operator()).isEqualTo(LockstepAdmin.operatorHere())
                .startsWith(System.getProperty("user.name") + "@").hasSizeGreaterThan(System.getProperty("user.name").length() + 1);
    }

    @Test
    void aReleaseRetrySkipPauseAndResumeEachLeaveAnEntryNamingTheOperatorAndTheTime() {
        long before = System.currentTimeMillis();
        // a held lock, released
        queue.enqueue(6, "d6", OrderEventCodec.encode(event(6, Topic.CREATE, "c6")));
        ClaimedJob held = claim(6);
        long fence = admin.release(6);
        assertThat(fence).isGreaterThan(held.token());
        // a parked head, retried, parked again, skipped
        queue.enqueue(7, "d7", OrderEventCodec.encode(event(7, Topic.CREATE, "c7")));
        queue.park(claim(7), "boom", false);
        assertThat(admin.retryHead(7)).isTrue();
        queue.park(claim(7), "boom again", false);
        assertThat(admin.skipHead(7)).isTrue();
        // a lane paused and resumed
        admin.pause(8);
        assertThat(admin.resume(8)).isTrue();
        long after = System.currentTimeMillis();
        journal.flush();

        String operator = admin.operator();
        assertThat(journal.forOrder(6)).singleElement().satisfies(e -> {
            assertByOperator(e, JournalStage.RELEASED, operator, before, after);
            assertThat(e.token()).isEqualTo(fence);
            assertThat(e.detail()).contains("released by " + operator);
        });
        assertThat(journal.forOrder(7)).satisfiesExactly(
                e -> assertByOperator(e, JournalStage.RETRIED_BY_OPERATOR, operator, before, after),
                e -> {
                    assertByOperator(e, JournalStage.SKIPPED_BY_OPERATOR, operator, before, after);
                    assertThat(e.effectId()).isEqualTo("orders/create#c7");
                });
        assertThat(journal.forOrder(8)).satisfiesExactly(
                e -> assertByOperator(e, JournalStage.PAUSED, operator, before, after),
                e -> assertByOperator(e, JournalStage.RESUMED, operator, before, after));
    }

    @Test
    void stepsThatChangeNothingLeaveNoEntry() {
        assertThat(admin.release(9)).isEqualTo(-1);
        assertThat(admin.retryHead(9)).isFalse();
        assertThat(admin.skipHead(9)).isFalse();
        assertThat(admin.resume(9)).isFalse();
        journal.flush();

        assertThat(journal.forOrder(9)).isEmpty();
    }

    private static void assertByOperator(JournalEntry e, JournalStage stage, String operator, long from, long to) {
        assertThat(e.stage()).isEqualTo(stage);
        assertThat(e.operator()).isEqualTo(operator);
        assertThat(e.at()).isBetween(from, to);
    }

    private ClaimedJob claim(long orderId) {
        return queue.claim(queue.keys().partitionOf(orderId), List.of("w/t1")).get(0).jobs().get(0);
    }

    private static OrderEvent event(long orderId, Topic topic, String eventId) {
        return new OrderEvent("s", topic, orderId, eventId, "", 100, "pending", null, List.of(new LineItem("A", 1)));
    }
}
