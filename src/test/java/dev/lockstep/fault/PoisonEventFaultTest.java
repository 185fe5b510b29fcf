package dev.lockstep.fault;

import static dev.lockstep.testing.PoisonBurst.POISONED;
import static dev.lockstep.testing.PoisonBurst.TOPICS;
import static dev.lockstep.testing.PoisonBurst.parked;
import static dev.lockstep.testing.PoisonBurst.topicsApplied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ParkedLane;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.OrderStore;
import dev.lockstep.testing.ChildProcess;
import dev.lockstep.testing.PoisonBurst;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault scenario 6 of issue 11 (docs/RELIABILITY.md): a poison event parks its lane after
 * {@code retry.attempts} while the other orders flow; {@code lockstep admin retry} (a process of its
 * own) runs it again and it parks again; {@code lockstep admin skip} drops it and the lane's later
 * events run in order, and the journal says the operator skipped it.
 */
@Tag("fault")
class PoisonEventFaultTest {
    private final List<ChildProcess> children = new ArrayList<>();

    @AfterEach
    void tearDown() {
        children.forEach(c -> c.process().destroyForcibly());
    }

    /**
     * {@code lockstep admin args...} as an operator runs it, once it has printed {@code expected}: its
     * exit code, and its output in {@code out}.
     */
    private int admin(LockstepConfig shared, String expected, List<String> out, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(PoisonBurst.serverFlags(shared));
        ChildProcess c = ChildProcess.lockstep(expected, all.toArray(String[]::new));
        children.add(c);
        c.awaitReady(60);
        assertThat(c.process().waitFor(60, TimeUnit.SECONDS)).as("admin %s exited", List.of(args)).isTrue();
        out.addAll(c.output());
        return c.process().exitValue();
    }

    @Test
    void aPoisonEventParksItsLaneOthersFlowAndTheCliRetriesThenSkipsItInOrder() throws Exception {
        LockstepConfig shared = TestServers.get().config(Map.of());
        try (LockstepRuntime runtime = LockstepRuntime.start(shared)) {
            LaneQueue queue = runtime.laneQueue();
            OrderStore store = runtime.store(Mode.LOCKSTEP);
            PoisonBurst.runUntilParked(shared, queue, store, children);
            ParkedLane lane = queue.parked(100).stream().filter(p -> p.orderId() == POISONED).findFirst().orElseThrow();
            assertThat(lane.attempts()).isEqualTo(3);
            assertThat(lane.depth()).as("the poison head and the two events behind it").isEqualTo(3);

            List<String> out = new ArrayList<>();
            assertThat(admin(shared, "order " + POISONED + ": ", out, "parked")).as("%s", out).isZero();
            assertThat(out).anyMatch(l -> l.startsWith("order " + POISONED + ": ") && l.contains("after 3 attempts")
                    && l.contains("3 event(s) waiting"));

            // retry: still poison, so it parks again after its attempts; nothing behind it ran meanwhile
            out.clear();
            assertThat(admin(shared, "parked head queued for a retry", out, "retry", "--order", String.valueOf(POISONED))).as("%s", out).isZero();
            assertThat(out).anyMatch(l -> l.contains("order " + POISONED + ": parked head queued for a retry"));
            await().atMost(Duration.ofSeconds(30)).until(() -> parked(queue, POISONED));
            assertThat(topicsApplied(store, POISONED)).containsExactly(Topic.CREATE);

            // skip: the head is dropped and the lane's later events run, in order
            out.clear();
            assertThat(admin(shared, "parked head skipped", out, "skip", "--order", String.valueOf(POISONED))).as("%s", out).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> topicsApplied(store, POISONED).equals(TOPICS));
            assertThat(parked(queue, POISONED)).isFalse();

            // nothing left to do: exit code 1, saying why
            out.clear();
            assertThat(admin(shared, "has no parked head", out, "skip", "--order", String.valueOf(POISONED))).isEqualTo(1);
            assertThat(out).anyMatch(l -> l.contains("order " + POISONED + ": has no parked head"));

            PoisonBurst.assertEveryEventAppliedOnceInOrder(store);
            assertThat(queue.stats().parkedLanes()).isZero();
            // the worker's journal writes its parks in the background: wait for them
            await().atMost(Duration.ofSeconds(20)).until(() -> runtime.journal(Mode.LOCKSTEP).forOrder(POISONED)
                    .stream().filter(e -> e.stage() == JournalStage.PARKED).count() == 2);
            List<JournalEntry> journal = runtime.journal(Mode.LOCKSTEP).forOrder(POISONED);
            assertThat(journal).filteredOn(e -> e.stage() == JournalStage.RETRIED_BY_OPERATOR).hasSize(1);
            assertThat(journal).filteredOn(e -> e.stage() == JournalStage.SKIPPED_BY_OPERATOR).singleElement()
                    .satisfies(e -> assertThat(e.operator()).contains("@"));
        }
    }
}
