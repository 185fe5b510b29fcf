package dev.lockstep.testing;

import dev.lockstep.ingest.OrderWebhookJson;
import dev.lockstep.ingest.WebhookHeaders;
import dev.lockstep.ingest.WebhookServer;
import dev.lockstep.ingest.WebhookSignature;
import dev.lockstep.order.OrderEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Posts one order event as a Shopify-style webhook, signed with a secret, to an ingest. */
public final class SignedWebhooks {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SignedWebhooks() {
    }

    public static HttpResponse<String> post(URI base, OrderEvent e, String secret) throws IOException,
            InterruptedException {
        byte[] body = OrderWebhookJson.body(e);
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + WebhookServer.ORDERS_PATH))
                .header("Content-Type", "application/json")
                .header(WebhookHeaders.TOPIC, e.topic().wire())
                .header(WebhookHeaders.HMAC_SHA256, new WebhookSignature(secret).sign(body))
                .header(WebhookHeaders.SHOP_DOMAIN, e.shop())
                .header(WebhookHeaders.EVENT_ID, e.eventId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }
}
