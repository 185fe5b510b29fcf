package dev.lockstep.console;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;

/** Sets the look and feel: once at start-up, and again when the user toggles light / dark. */
public final class Theme {
    private static volatile boolean sourcesRegistered;

    private Theme() {
    }

    /** Installs the light or dark FlatLaf theme with the console's own colours. Call on the EDT. */
    public static void apply(boolean dark) {
        if (!sourcesRegistered) {
            FlatLaf.registerCustomDefaultsSource("dev.lockstep.console.themes");
            sourcesRegistered = true;
        }
        if (dark) {
            FlatDarkLaf.setup();
        } else {
            FlatLightLaf.setup();
        }
    }

    /** Switches the theme of every open window. Call on the EDT. */
    public static void switchTo(boolean dark) {
        apply(dark);
        FlatLaf.updateUI();
    }

    public static boolean isDark() {
        return FlatLaf.isLafDark();
    }
}
