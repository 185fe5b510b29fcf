package dev.lockstep.queue;

/** A Lua script or one of its includes is missing, unreadable or includes itself. */
public class ScriptLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScriptLoadException(String message) {
        super(message);
    }

    public ScriptLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
