package dev.lockstep.console;

import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.Transport;
import dev.lockstep.pipeline.Mode;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console remembers between starts ({@code java.util.prefs}): the theme, the last view and
 * the Burst view's settings.
 */
public final class ConsolePrefs {
    private static final Logger log = LoggerFactory.getLogger(ConsolePrefs.class);
    private static final String DARK = "theme.dark";
    private static final String VIEW = "view";
    private static final String BURST = "burst.";
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

    /**
     * The Burst view's settings when a burst last started; the defaults when none were remembered
     * or what was remembered is no longer a valid burst (a bound changed, a mode was renamed).
     */
    public BurstRequest burst() {
        BurstRequest d = BurstRequest.defaults();
        try {
            return new BurstRequest(node.getInt(BURST + "orders", d.orders()),
                    node.getInt(BURST + "eventsPerOrder", d.eventsPerOrder()),
                    node.getDouble(BURST + "duplicateRate", d.duplicateRate()),
                    node.getDouble(BURST + "reorderRate", d.reorderRate()),
                    node.getInt(BURST + "inFlight", d.inFlight()),
                    Mode.valueOf(node.get(BURST + "mode", d.mode().name())),
                    Transport.valueOf(node.get(BURST + "transport", d.transport().name())),
                    node.getLong(BURST + "seed", d.seed()),
                    node.getBoolean(BURST + "pausedHolderFault", d.pausedHolderFault()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.info("remembered burst settings are not usable ({}); using the defaults", e.getMessage());
            return d;
        }
    }

    public void setBurst(BurstRequest r) {
        node.putInt(BURST + "orders", r.orders());
        node.putInt(BURST + "eventsPerOrder", r.eventsPerOrder());
        node.putDouble(BURST + "duplicateRate", r.duplicateRate());
        node.putDouble(BURST + "reorderRate", r.reorderRate());
        node.putInt(BURST + "inFlight", r.inFlight());
        node.put(BURST + "mode", r.mode().name());
        node.put(BURST + "transport", r.transport().name());
        node.putLong(BURST + "seed", r.seed());
        node.putBoolean(BURST + "pausedHolderFault", r.pausedHolderFault());
        flush("the burst settings");
    }

    private void flush(String what) {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            log.warn("cannot save {}; it will not be remembered", what, e);
        }
    }
}
