package dev.lockstep.ingest;

import java.util.Objects;

/**
 * Why a webhook request is refused: the HTTP status to answer and a reason a sender can act on.
 * A rejected request changes nothing.
 */
public record Rejection(int status, String reason) implements ParsedWebhook {
    public Rejection {
        Objects.requireNonNull(reason, "reason");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
    }

    static Rejection badRequest(String reason) {
        return new Rejection(400, reason);
    }

    static Rejection unauthorized(String reason) {
        return new Rejection(401, reason);
    }
}
