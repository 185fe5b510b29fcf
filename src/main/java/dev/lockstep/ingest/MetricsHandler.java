package dev.lockstep.ingest;

import dev.lockstep.metrics.ProcessMetrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.util.Objects;

/** {@code GET /metrics}: this process's metrics in the Prometheus text format. */
final class MetricsHandler implements HttpHandler {
    private final ProcessMetrics metrics;

    MetricsHandler(ProcessMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!JsonAnswers.methodIs(exchange, Methods.GET)) {
            return;
        }
        // Gauges read Redis (queue depth): off the IO thread.
        exchange.dispatch(() -> {
            String text = metrics.scrape();
            exchange.setStatusCode(200);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, ProcessMetrics.CONTENT_TYPE);
            exchange.getResponseSender().send(text);
        });
    }
}
