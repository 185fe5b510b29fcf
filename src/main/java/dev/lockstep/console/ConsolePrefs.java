package dev.lockstep.console;

import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the console remembers between starts ({@code java.util.prefs}): the theme. */
public final class ConsolePrefs {
    private static final Logger log = LoggerFactory.getLogger(ConsolePrefs.class);
    private static final String DARK = "theme.dark";
    private static final String VIEW = "view";
    private final Preferences node;

    public ConsolePrefs(Preferences node) {
        this.node = node;
    }

    /** The user's console preferences. */
    public static ConsolePrefs user() {
        return new ConsolePrefs(Preferences.userRoot().node("dev/lockstep/console"));
    }

    /** The remembered theme; light when nothing was remembered or the store cannot be read. */
    public boolean dark() {
        try {
            return node.getBoolean(DARK, false);
        } catch (IllegalStateException e) {
            log.warn("cannot read console preferences; using the light theme", e);
            return false;
        }
    }

    public void setDark(boolean dark) {
        node.putBoolean(DARK, dark);
        flush("the theme choice");
    }

    /** The view shown when the console last closed; Overview when none was remembered. */
    public View lastView() {
        try {
            return View.valueOf(node.get(VIEW, View.OVERVIEW.name()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.debug("no usable remembered view", e);
            return View.OVERVIEW;
        }
    }

    public void setLastView(View view) {
        node.put(VIEW, view.name());
        flush("the last view");
    }

    private void flush(String what) {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            log.warn("cannot save {}; it will not be remembered", what, e);
        }
    }
}
