package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.Transport;
import dev.lockstep.console.view.Palette;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.BurstRun;
import java.awt.event.KeyEvent;
import java.util.regex.Pattern;
import javax.swing.JSpinner;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.JOptionPaneFixture;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.Test;

/** What an operator meets around a run: honest progress, remembered settings, refusals explained, a safe close. */
class OperatorConsoleGuiTest extends ConsoleGuiTestBase {

    @Test
    void aBurstShowsItsPhasesAndEndsWithItsFinalStateInBothViews() {
        pressViewShortcut(View.BURST);
        window.spinner("burst.orders").enterTextAndCommit("20000");
        clickUntil(window.button("burst.start"), () -> backend.runProgress().running());

        // while it runs the bar never reads complete, and the line names the phase and what it counts
        String running = eventually(() -> window.label("burst.phase").target().getText(),
                t -> t.startsWith("Firing · lockstep · ") || t.startsWith("Draining · lockstep · "));
        assertThat(running).containsPattern("(deliveries answered|accepted events handled)");

        eventually(() -> backend.runProgress(), p -> !p.running() && p.phase() == BurstRun.Phase.DONE);
        String done = eventually(() -> window.label("burst.phase").target().getText(), t -> t.startsWith("Done"));
        assertThat(done).matches("Done · lockstep · [0-9,]+ accepted · [0-9,]+ applied · [0-9,]+ skipped as stale");
        assertThat(onEdt(() -> window.progressBar("burst.progress").target().getString())).isEqualTo("Done");
        assertThat(onEdt(() -> window.progressBar("burst.progress").target().getValue())).isEqualTo(1000);
        window.label("burst.result").requireText(Pattern.compile("(?s).*skipped as stale.*= [0-9,]+ accepted ✓.*"));

        pressViewShortcut(View.INTEGRITY);
        eventually(() -> window.label("integrity.status").target().getText(), t -> t.equals(done));

        // the result is written in the theme's colours: switching theme renders it again
        try {
            GuiActionRunner.execute(() -> frame.setDarkTheme(true));
            pressViewShortcut(View.BURST);
            String darkGood = onEdt(() -> String.format("#%06x", Palette.good().getRGB() & 0xFFFFFF));
            eventually(() -> window.label("burst.result").target().getText(), t -> t.contains(darkGood));
        } finally {
            GuiActionRunner.execute(() -> frame.setDarkTheme(false));
        }
    }

    @Test
    void anOrdersValueOutOfRangeIsExplainedAndKeptNotSilentlyReverted() {
        pressViewShortcut(View.BURST);
        window.textBox("burst.orders.text").deleteText().enterText("1000025");
        window.textBox("burst.seed").focus(); // leave the field, as a person would

        window.label("burst.error").requireText(Pattern.compile(
                "Orders takes a whole number from 1 to 1,000,000; \"1000025\" is not one.*"));
        String kept = onEdt(() -> window.textBox("burst.orders.text").target().getText());
        assertThat(kept).isEqualTo("1000025");

        clickUntil(window.button("burst.start"), () -> window.label("burst.error").target().getText()
                .startsWith("Orders takes"));
        assertThat(backend.runs()).isEmpty();
        assertThat(backend.runProgress().running()).isFalse();

        window.textBox("burst.orders.text").deleteText().enterText("1000000");
        window.textBox("burst.seed").focus();
        eventually(() -> window.label("burst.error").target().getText(), String::isBlank);
    }

    @Test
    void theBurstSettingsOfTheLastStartAreThereAtTheNextLaunch() {
        pressViewShortcut(View.BURST);
        window.spinner("burst.orders").enterTextAndCommit("3000");
        window.comboBox("burst.mode").selectItem(1); // seed
        window.radioButton("burst.direct").check();
        window.textBox("burst.seed").deleteText().enterText("7");
        clickUntil(window.button("burst.start"), () -> backend.runProgress().running());

        BurstRequest remembered = new ConsolePrefs(prefsNode).burst();
        assertThat(remembered.orders()).isEqualTo(3000);
        assertThat(remembered.mode()).isEqualTo(Mode.NAIVE_LOCK);
        assertThat(remembered.transport()).isEqualTo(Transport.DIRECT);
        assertThat(remembered.seed()).isEqualTo(7);

        // the next launch: a new window on the same preferences starts from them
        ConsoleFrame next = GuiActionRunner.execute(() -> new ConsoleFrame(console, new ConsolePrefs(prefsNode)));
        try {
            JSpinner orders = window.robot().finder().findByName(next, "burst.orders", JSpinner.class, false);
            Object value = onEdt(orders::getValue);
            assertThat(value).isEqualTo(3000);
            javax.swing.JTextField seed = window.robot().finder().findByName(next, "burst.seed",
                    javax.swing.JTextField.class, false);
            String seedText = onEdt(seed::getText);
            assertThat(seedText).isEqualTo("7");
        } finally {
            GuiActionRunner.execute(next::dispose);
        }
    }

    @Test
    void closingDuringARunAsksFirstAndNoKeepsItRunning() {
        pressViewShortcut(View.BURST);
        window.spinner("burst.orders").enterTextAndCommit("500000");
        clickUntil(window.button("burst.start"), () -> backend.runProgress().running());
        eventually(() -> window.button("burst.stop").target().isEnabled(), enabled -> enabled);

        org.awaitility.Awaitility.await().atMost(PATIENCE).pollDelay(java.time.Duration.ZERO)
                .pollInterval(java.time.Duration.ofSeconds(2)).until(() -> {
                    if (!optionPaneShowing()) {
                        pressCtrl(KeyEvent.VK_Q);
                    }
                    return optionPaneShowing();
                });
        JOptionPaneFixture confirm = window.optionPane(Timeout.timeout(10_000));
        confirm.requireWarningMessage().requireMessage(Pattern.compile("(?s).*burst is running.*Close anyway.*"));
        clickUntilClosed(confirm.noButton());

        assertThat(onEdt(frame::isDisplayable)).isTrue();
        assertThat(backend.runProgress().running()).isTrue();
        clickUntil(window.button("burst.stop"), () -> !backend.runProgress().running());
    }

    @Test
    void helpAboutShowsTheVersionAndWhereTheDocsAre() {
        window.menuItem("menu.about").click();
        JOptionPaneFixture about = window.optionPane(Timeout.timeout(10_000));
        about.requireMessage(Pattern.compile("(?s).*Lockstep (dev|[0-9][^<]*)<.*README\\.md.*docs/DESIGN\\.md.*"));
        clickUntilClosed(about.okButton());
    }

    @Test
    void theOverviewSaysWhereToStartAndWhatItsCountersCount() {
        window.label("overview.hint").requireVisible()
                .requireText(Pattern.compile("(?s).*Burst.*view.*http://127\\.0\\.0\\.1:8088/webhooks/orders.*"));
        eventually(() -> window.label("overview.countersCaption").target().getText(),
                t -> t.contains("since launch"));

        pressViewShortcut(View.BURST);
        clickUntil(window.button("burst.start"), () -> backend.runProgress().running());
        pressViewShortcut(View.OVERVIEW);
        eventually(() -> find("overview.hint", javax.swing.JLabel.class).isVisible(), visible -> !visible);
        // the charts take the hint's place: no blank band is left under them
        javax.swing.JComponent view = find("view.overview", javax.swing.JComponent.class);
        java.awt.Component lastChart = find("overview.holdChart", java.awt.Component.class);
        eventually(() -> view.getHeight()
                - javax.swing.SwingUtilities.convertPoint(lastChart, 0, lastChart.getHeight(), view).y,
                below -> below <= 24);
    }
}
