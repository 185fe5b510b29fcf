package dev.lockstep.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;

/** Writes the server's JSON answers; every error is {@code {"error":"<reason>"}}. Safe from any thread. */
final class JsonAnswers {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json; charset=utf-8";

    private JsonAnswers() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static void send(HttpServerExchange exchange, int status, ObjectNode body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // An ObjectNode of strings and booleans always renders; this is a bug if it happens.
            throw new IllegalStateException("cannot render a JSON answer", e);
        }
        sendRendered(exchange, status, bytes);
    }

    /** A body rendered once ahead (the 200s of {@link WebhookServer}), not per request. */
    static void sendRendered(HttpServerExchange exchange, int status, byte[] json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        exchange.getResponseSender().send(ByteBuffer.wrap(json));
    }

    static void error(HttpServerExchange exchange, int status, String reason) {
        send(exchange, status, object().put("error", reason));
    }

    /**
     * Whether the request uses {@code method}; otherwise answers 405 with an {@code Allow} header
     * (the exchange is then done).
     */
    static boolean methodIs(HttpServerExchange exchange, io.undertow.util.HttpString method) {
        if (method.equals(exchange.getRequestMethod())) {
            return true;
        }
        exchange.getResponseHeaders().put(io.undertow.util.Headers.ALLOW, method.toString());
        error(exchange, 405, "method " + exchange.getRequestMethod() + " not allowed, use " + method);
        return false;
    }
}
