package dev.lockstep.console.view;

import com.formdev.flatlaf.extras.FlatSVGIcon;

/** The one way the console loads its icons: the SVG files of the top-level {@code icons/} folder. */
public final class Icons {
    private Icons() {
    }

    /** The 16 px icon {@code icons/<name>.svg}. */
    public static FlatSVGIcon get(String name) {
        return get(name, 16);
    }

    /** The icon {@code icons/<name>.svg} at {@code size} px. @throws IllegalArgumentException when there is no such icon */
    public static FlatSVGIcon get(String name, int size) {
        String path = "icons/" + name + ".svg";
        if (Icons.class.getClassLoader().getResource(path) == null) {
            throw new IllegalArgumentException("no icon '" + name + "' (expected " + path + " on the class path)");
        }
        return new FlatSVGIcon(path, size, size);
    }
}
