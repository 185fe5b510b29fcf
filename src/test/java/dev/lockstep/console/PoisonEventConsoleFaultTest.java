package dev.lockstep.console;

import static dev.lockstep.testing.PoisonBurst.POISONED;
import static dev.lockstep.testing.PoisonBurst.TOPICS;
import static dev.lockstep.testing.PoisonBurst.parked;
import static dev.lockstep.testing.PoisonBurst.topicsApplied;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.config.LockstepConfig;
import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.backend.LiveConsoleBackend;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.queue.LaneQueue;
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
import javax.swing.JTable;
import org.assertj.swing.data.TableCell;
import org.assertj.swing.fixture.JOptionPaneFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault scenario 6 of issue 11 from the console: a worker process parks order {@value PoisonBurst#POISONED}'s lane
 * on a poison event while the other orders flow; the Locks view of a console attached to the same servers
 * (it runs no workers) shows the parked lane, Retry runs the head again (it parks again, nothing behind it runs),
 * Skip (confirmed) drops it and the lane's later events run in order. The journal names the operator.
 */
@Tag("fault")
class PoisonEventConsoleFaultTest extends ConsoleGuiTestBase {
    private final List<ChildProcess> children = new ArrayList<>();
    private LockstepConfig shared;

    @Override
    protected ConsoleBackend createBackend() {
        shared = TestServers.get().config(Map.of());
        return new LiveConsoleBackend(LockstepRuntime.start(shared), false);
    }

    @AfterEach
    void stopWorker() {
        children.forEach(c -> c.process().destroyForcibly());
    }

    @Test
    void theConsoleRetriesThenSkipsAParkedPoisonEventAndTheLaneResumesInOrder() throws Exception {
        try (LockstepRuntime runtime = LockstepRuntime.start(shared)) {
            LaneQueue queue = runtime.laneQueue();
            OrderStore store = runtime.store(Mode.LOCKSTEP);
            PoisonBurst.runUntilParked(shared, queue, store, children);

            // retry from the Locks view: still poison, so it parks again; nothing behind it ran meanwhile
            pressViewShortcut(View.LOCKS);
            JTable parkedTable = window.table("parked.table").target();
            eventually(() -> firstColumn(parkedTable), orders -> orders.contains(String.valueOf(POISONED)));
            selectFirstRow(parkedTable);
            // the retry's own answer, not the lane leaving the parked set: the worker runs the head again
            // and re-parks it within tens of ms, shorter than a poll
            clickUntil(window.button("parked.retry"), () -> window.label("locks.feedback").target().getText()
                    .contains("Order " + POISONED + " is back in the queue"));
            await().atMost(Duration.ofSeconds(30)).until(() -> parked(queue, POISONED));
            assertThat(topicsApplied(store, POISONED)).containsExactly(Topic.CREATE);

            // skip, confirmed: the head is dropped and the lane's later events run, in order
            eventually(() -> firstColumn(parkedTable), orders -> orders.contains(String.valueOf(POISONED)));
            selectFirstRow(parkedTable);
            clickUntil(window.button("parked.skip"), this::optionPaneShowing);
            JOptionPaneFixture confirm = window.optionPane(org.assertj.swing.timing.Timeout.timeout(10_000));
            clickUntilClosed(confirm.yesButton());
            eventually(() -> window.label("locks.feedback").target().getText(),
                    t -> t.startsWith("Skipped the head event of order " + POISONED));
            await().atMost(Duration.ofSeconds(30)).until(() -> topicsApplied(store, POISONED).equals(TOPICS));
            eventually(parkedTable::getRowCount, n -> n == 0);

            PoisonBurst.assertEveryEventAppliedOnceInOrder(store);
            assertThat(queue.stats().parkedLanes()).isZero();
            List<JournalEntry> journal = runtime.journal(Mode.LOCKSTEP).forOrder(POISONED);
            assertThat(journal).filteredOn(e -> e.stage() == JournalStage.RETRIED_BY_OPERATOR).singleElement()
                    .satisfies(e -> assertThat(e.operator()).contains("@"));
            assertThat(journal).filteredOn(e -> e.stage() == JournalStage.SKIPPED_BY_OPERATOR).singleElement()
                    .satisfies(e -> assertThat(e.operator()).contains("@"));
        }
    }

    private void selectFirstRow(JTable table) {
        await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).until(() -> {
            window.table(table.getName()).cell(TableCell.row(0).column(1)).click();
            return onEdt(() -> table.getSelectedRow() == 0);
        });
    }

    private static List<String> firstColumn(JTable table) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < table.getRowCount(); r++) {
            out.add(String.valueOf(table.getValueAt(r, 0)));
        }
        return out;
    }
}
