package dev.lockstep.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.FlatLaf;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThemeAndStatusGuiTest extends ConsoleGuiTestBase {

    @AfterEach
    void backToLight() {
        onEdt(() -> {
            Theme.apply(false);
            return null;
        });
    }

    @Test
    void theThemeToggleSwitchesToDarkAndIsRemembered() {
        assertThat(onEdt(FlatLaf::isLafDark)).isFalse();
        toggleThemeUntil(true);

        assertThat(onEdt(FlatLaf::isLafDark)).isTrue();
        assertThat(new ConsolePrefs(prefsNode).dark()).isTrue();

        toggleThemeUntil(false);
        assertThat(onEdt(FlatLaf::isLafDark)).isFalse();
        assertThat(new ConsolePrefs(prefsNode).dark()).isFalse();
    }

    /** Clicks View > Dark theme (again only if a click was lost) until the theme is {@code dark}. */
    private void toggleThemeUntil(boolean dark) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).pollDelay(java.time.Duration.ZERO)
                .pollInterval(java.time.Duration.ofSeconds(2)).until(() -> {
                    if (onEdt(FlatLaf::isLafDark) != dark) {
                        window.menuItem("menu.darkTheme").click();
                    }
                    return onEdt(FlatLaf::isLafDark) == dark;
                });
    }

    @Test
    void everyViewHasItsShortcutAndTheLastOneIsRemembered() {
        for (View v : new View[] {View.INTEGRITY, View.BURST, View.TIMELINE, View.DEDUP, View.OVERVIEW, View.LOCKS}) {
            pressViewShortcut(v);
            window.panel("view." + v.id()).requireVisible();
        }
        assertThat(new ConsolePrefs(prefsNode).lastView()).isEqualTo(View.LOCKS);
    }

    @Test
    void theStatusBarShowsTheServersAndSaysWhenTheBackendIsUnreachable() {
        eventually(() -> window.label("status.redis").target().getText(), t -> t.contains("127.0.0.1:6379"));
        window.label("status.redis").requireText(Pattern.compile("Redis 127\\.0\\.0\\.1:6379 · embedded"));
        window.label("status.mongo").requireText(Pattern.compile("MongoDB 127\\.0\\.0\\.1:27017 · embedded"));
        window.label("status.workers").requireText("8 workers");
        window.label("status.mode").requireText("lockstep mode");
        window.label("status.ingest").requireText("Ingest: http://127.0.0.1:8088/webhooks/orders");
        window.label("status.edt").requireText(Pattern.compile("EDT stall max .*ms"));

        backend.setFailing(true);
        eventually(() -> find("status.error", javax.swing.JLabel.class).isShowing(), shown -> shown);
        window.label("status.error").requireText(Pattern.compile("Backend unreachable: Connection refused.*"));

        backend.setFailing(false);
        eventually(() -> find("status.error", javax.swing.JLabel.class).isShowing(), shown -> !shown);

        // the journal's buffer through a MongoDB outage: hidden while empty, never a silent gap
        assertThat(find("status.journal", javax.swing.JLabel.class).isShowing()).isFalse();
        backend.setJournal(1_200, 35);
        eventually(() -> find("status.journal", javax.swing.JLabel.class).isShowing(), shown -> shown);
        window.label("status.journal").requireText("Journal: 1,200 waiting · 35 dropped");
    }
}
