package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.Transport;
import dev.lockstep.console.view.Palette;
import dev.lockstep.pipeline.Mode;
import java.awt.Color;
import java.util.UUID;
import java.util.prefs.Preferences;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the console remembers, and the theme colours it writes text in. Headless. */
class ConsolePrefsAndPaletteTest {
    private final Preferences node = Preferences.userRoot().node("dev/lockstep/console-test/" + UUID.randomUUID());

    @AfterEach
    void forget() throws Exception {
        node.removeNode();
    }

    @Test
    void theBurstSettingsOfTheLastStartAreRememberedAcrossLaunches() {
        assertThat(new ConsolePrefs(node).burst()).isEqualTo(BurstRequest.defaults());
        BurstRequest r = new BurstRequest(1_000_000, 7, 0.05, 0.3, 128, Mode.NAIVE_LOCK, Transport.DIRECT, 99L, true);

        new ConsolePrefs(node).setBurst(r);

        assertThat(new ConsolePrefs(node).burst()).isEqualTo(r);
    }

    @Test
    void rememberedSettingsThatAreNoLongerValidGiveTheDefaults() {
        node.putInt("burst.orders", 0);
        assertThat(new ConsolePrefs(node).burst()).isEqualTo(BurstRequest.defaults());
        node.putInt("burst.orders", 10);
        node.put("burst.mode", "turbo");
        assertThat(new ConsolePrefs(node).burst()).isEqualTo(BurstRequest.defaults());
    }

    @Test
    void greenTextHasAtLeastFourAndAHalfToOneContrastInBothThemes() throws Exception {
        try {
            for (boolean dark : new boolean[] {false, true}) {
                SwingUtilities.invokeAndWait(() -> Theme.apply(dark));
                Color good = Palette.good();
                Color panel = UIManager.getColor("Panel.background");
                Color card = UIManager.getColor("Lockstep.card.background");
                assertThat(contrast(good, panel)).as("good on the panel, dark=" + dark).isGreaterThanOrEqualTo(4.5);
                assertThat(contrast(good, card)).as("good on a card, dark=" + dark).isGreaterThanOrEqualTo(4.5);
            }
        } finally {
            SwingUtilities.invokeAndWait(() -> Theme.apply(false));
        }
    }

    /** WCAG 2 contrast ratio. */
    static double contrast(Color a, Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * channel(c.getRed()) + 0.7152 * channel(c.getGreen()) + 0.0722 * channel(c.getBlue());
    }

    private static double channel(int v) {
        double s = v / 255.0;
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }
}
