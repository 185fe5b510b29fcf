package dev.lockstep.console.view;

import java.awt.Color;
import javax.swing.UIManager;

/**
 * The console's meaningful colours, read from the look and feel (set in
 * {@code dev/lockstep/console/themes/Flat*Laf.properties}) so light and dark themes each get theirs.
 */
public final class Palette {
    private Palette() {
    }

    /** Zero anomalies, applied, healthy. */
    public static Color good() {
        return color("Lockstep.good", new Color(0x27702B));
    }

    /** Anomalies, rejected writes, unhealthy. */
    public static Color bad() {
        return color("Lockstep.bad", new Color(0xC62828));
    }

    /** Waiting, skipped, parked. */
    public static Color warn() {
        return color("Lockstep.warn", new Color(0xE08A00));
    }

    /** Overlapping handlers (I1 violations, docs/DESIGN.md, "Invariants") in the timeline. */
    public static Color overlap() {
        return color("Lockstep.overlap", new Color(0xD81B60));
    }

    /** Muted text: units, captions, empty states. */
    public static Color muted() {
        return color("Label.disabledForeground", Color.GRAY);
    }

    /** Series colour {@code i} (0-based) of a chart. */
    public static Color series(int i) {
        Color[] fallback = {new Color(0x1E88E5), new Color(0x43A047), new Color(0xFB8C00), new Color(0x8E24AA),
                new Color(0xE53935)};
        return color("Lockstep.series." + (i % fallback.length + 1), fallback[i % fallback.length]);
    }

    /** Colour of a mode's bars and columns, the same in every chart. */
    public static Color mode(dev.lockstep.pipeline.Mode mode) {
        return switch (mode) {
            case UNSAFE -> color("Lockstep.mode.unsafe", new Color(0xE53935));
            case NAIVE_LOCK -> color("Lockstep.mode.naiveLock", new Color(0xFB8C00));
            case LOCKSTEP -> color("Lockstep.mode.lockstep", new Color(0x43A047));
        };
    }

    private static Color color(String key, Color fallback) {
        Color c = UIManager.getColor(key);
        return c != null ? c : fallback;
    }
}
