package dev.lockstep.console.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.formdev.flatlaf.extras.FlatSVGIcon;
import org.junit.jupiter.api.Test;

class IconsTest {

    @Test
    void everyIconTheConsoleUsesIsAnSvgThatLoads() {
        for (String name : new String[] {"overview", "locks", "dedup", "timeline", "burst", "integrity", "release",
                "retry", "skip", "theme", "app", "start", "stop", "export", "search", "compare", "pause"}) {
            FlatSVGIcon icon = Icons.get(name);
            assertThat(icon.hasFound()).as(name).isTrue();
            assertThat(icon.getIconWidth()).as(name).isEqualTo(16);
        }
        assertThat(Icons.get("app", 20).getIconHeight()).isEqualTo(20);
    }

    @Test
    void anUnknownIconIsAClearError() {
        assertThatThrownBy(() -> Icons.get("no-such-icon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("icons/no-such-icon.svg");
    }
}
