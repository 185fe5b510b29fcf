package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.console.FakeConsoleBackend;
import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.Transport;
import dev.lockstep.console.view.BackgroundActions;
import dev.lockstep.console.view.BurstPanel;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** One default burst: the Burst view starts where {@code lockstep burst} does, so the same seed gives the same burst. */
class DefaultBurstTest {

    @Test
    void theCliDefaultsAreTheBurstViewsInitialValuesAndGenerateTheSameEvents() {
        BurstCommand cli = new BurstCommand();
        new CommandLine(cli).parseArgs();
        BurstRequest gui;
        BackgroundActions actions = new BackgroundActions();
        try {
            gui = new BurstPanel(new FakeConsoleBackend(), actions, () -> { }).currentRequest();
        } finally {
            actions.close();
        }

        assertThat(gui).isEqualTo(BurstRequest.defaults());
        assertThat(cli.burst.spec()).isEqualTo(BurstSpec.defaults());
        assertThat(gui.orders()).isEqualTo(cli.burst.orders);
        assertThat(gui.eventsPerOrder()).isEqualTo(cli.burst.eventsPerOrder);
        assertThat(gui.duplicateRate()).isEqualTo(cli.burst.duplicates);
        assertThat(gui.reorderRate()).isEqualTo(cli.burst.reorder);
        assertThat(gui.seed()).isEqualTo(cli.burst.seed);
        assertThat(gui.inFlight()).isEqualTo(cli.burst.concurrency);
        assertThat(gui.pausedHolderFault()).isEqualTo(cli.burst.pauseRate > 0);
        assertThat(gui.transport() == Transport.HTTP).isEqualTo(cli.burst.overHttp());
        assertThat(gui.mode()).isEqualTo(cli.mode);

        // the console's mapping of a request to the generator's spec (LiveConsoleBackend.toSpec)
        BurstSpec guiSpec = BurstSpec.of(gui.orders(), gui.duplicateRate(), gui.reorderRate(), gui.seed())
                .withEventsPerOrder(gui.eventsPerOrder());
        assertThat(BurstPlan.generate(guiSpec).deliveries())
                .isEqualTo(BurstPlan.generate(cli.burst.spec()).deliveries())
                .hasSizeGreaterThan(BurstSpec.DEFAULT_ORDERS * BurstSpec.DEFAULT_EVENTS_PER_ORDER);
    }

    @Test
    void theSameFlagsOnBothSidesGiveTheSameBurst() {
        BurstCommand cli = new BurstCommand();
        new CommandLine(cli).parseArgs("--orders", "300", "--duplicates", "0.1", "--reorder", "0.2", "--seed", "7",
                "--events-per-order", "6");
        BurstRequest gui = new BurstRequest(300, 6, 0.1, 0.2, 64, cli.mode, Transport.HTTP, 7, false);
        BurstSpec guiSpec = BurstSpec.of(gui.orders(), gui.duplicateRate(), gui.reorderRate(), gui.seed())
                .withEventsPerOrder(gui.eventsPerOrder());
        assertThat(BurstPlan.generate(cli.burst.spec()).deliveries()).isEqualTo(BurstPlan.generate(guiSpec).deliveries());
    }
}
