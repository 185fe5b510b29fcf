package dev.lockstep.queue;

/**
 * Every Redis state change of the lane queue: one Lua file each under {@code /lua/}, named
 * {@code <name>-<numKeys>.lua} (BullMQ style); the file's header documents KEYS, ARGV and returns.
 * {@code numKeys} counts the keys a script names by index; a call declares every other key the
 * script touches after them, so Redis Cluster runs it only where they all are (docs/DESIGN.md,
 * "Redis Cluster").
 */
public enum LuaScript {
    ENQUEUE("enqueue", 1),
    DRAIN("drain", 1),
    EXTEND("extend", 1),
    RETRY("retry", 1),
    PARK("park", 1),
    REAP("reap", 1),
    RELEASE("release", 1),
    HAND_ON("handOn", 1),
    RETRY_PARKED("retryParked", 1),
    SKIP_PARKED("skipParked", 1),
    PAUSE("pause", 1),
    RESUME("resume", 1);

    private final String baseName;
    private final int numKeys;

    LuaScript(String baseName, int numKeys) {
        this.baseName = baseName;
        this.numKeys = numKeys;
    }

    public int numKeys() {
        return numKeys;
    }

    /** Classpath resource of the script. */
    public String resource() {
        return "/lua/" + baseName + "-" + numKeys + ".lua";
    }
}
