package dev.lockstep.console;

/** The seven views of the console, in navigation order (Ctrl+1 .. Ctrl+7). */
public enum View {
    OVERVIEW("Overview", "overview", "The whole queue, live"),
    LOCKS("Locks", "locks", "Held order locks and parked lanes"),
    DEDUP("Dedup", "dedup", "Duplicate deliveries"),
    TIMELINE("Timeline", "timeline", "One order's events in time"),
    BURST("Burst", "burst", "Fire a flash sale"),
    INTEGRITY("Integrity", "integrity", "Before and after, per mode"),
    WORKERS("Workers", "workers", "The processes working this queue");

    private final String title;
    private final String id;
    private final String tip;

    View(String title, String id, String tip) {
        this.title = title;
        this.id = id;
        this.tip = tip;
    }

    public String title() {
        return title;
    }

    /** Used for the icon ({@code icons/<id>.svg}), the component name ({@code view.<id>}) and screenshot files. */
    public String id() {
        return id;
    }

    public String tip() {
        return tip;
    }
}
