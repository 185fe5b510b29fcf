package dev.lockstep.queue;

/**
 * Every Redis state change of the lane queue: one Lua file each under {@code /lua/}, named
 * {@code <name>-<numKeys>.lua} (BullMQ style); the file's header documents KEYS, ARGV and returns.
 */
public enum LuaScript {
    ENQUEUE("enqueue", 6),
    CLAIM("claim", 6),
    COMPLETE("complete", 7),
    EXTEND("extend", 2),
    RETRY("retry", 6),
    PARK("park", 6),
    REAP("reap", 5),
    RELEASE("release", 5),
    RETRY_PARKED("retryParked", 4),
    SKIP_PARKED("skipParked", 4);

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
