package dev.lockstep.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /health}: 200 when Redis and MongoDB are both up, 503 naming the one that is down. */
final class HealthHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(HealthHandler.class);

    private final HealthProbe probe;

    HealthHandler(HealthProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!JsonAnswers.methodIs(exchange, Methods.GET)) {
            return;
        }
        // The probes ping the servers: off the IO thread.
        exchange.dispatch(() -> {
            boolean redis = up("redis", probe::redisUp);
            boolean mongo = up("mongo", probe::mongoUp);
            ObjectNode body = JsonAnswers.object()
                    .put("redis", redis ? "up" : "down")
                    .put("mongo", mongo ? "up" : "down")
                    .put("status", redis && mongo ? "ok" : "degraded");
            JsonAnswers.send(exchange, redis && mongo ? 200 : 503, body);
        });
    }

    private static boolean up(String what, BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException e) {
            log.warn("{} health probe failed, reporting it down", what, e);
            return false;
        }
    }
}
