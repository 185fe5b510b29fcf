package dev.lockstep.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Delivery;
import dev.lockstep.pipeline.QueueUnavailableException;
import dev.lockstep.testing.LogCapture;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ingest over real HTTP: a real server on a free port, a real client, a recording pipeline. */
class WebhookServerTest {
    private static final String SECRET = "test-secret";
    private static final int MAX_BODY = 2048;
    private static final String SHOP = "flash-sale.myshopify.com";
    /** Repeats of an oversized send: a server that reset the connection instead of answering fails one. */
    private static final int OVERSIZED_ATTEMPTS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final WebhookSignature signature = new WebhookSignature(SECRET);
    private final RecordingPipeline pipeline = new RecordingPipeline();
    private final SwitchableHealth health = new SwitchableHealth();
    private WebhookServer server;

    @BeforeEach
    void startServer() {
        server = WebhookServer.start(
                new IngestSettings("127.0.0.1", 0, MAX_BODY, SECRET).withWorkerThreads(8), pipeline, health);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    // --- accepted ---------------------------------------------------------------------------------

    @Test
    void validDeliveryIsQueuedWithTheEventIdAsDedupId() throws Exception {
        OrderEvent sent = event(1001, "evt-1", "wh-1");
        byte[] body = OrderWebhookJson.body(sent);
        long before = System.currentTimeMillis();

        HttpResponse<String> response = post(body, signedHeaders(body, sent));

        long after = System.currentTimeMillis();
        assertAnswer(response, 200, "queued", true);
        assertThat(response.body()).as("the body clients may compare as it is").isEqualTo(WebhookServer.QUEUED_ANSWER);
        assertThat(pipeline.accepted()).hasSize(1);
        Delivery delivery = pipeline.accepted().get(0);
        assertThat(delivery.event()).isEqualTo(sent);
        assertThat(delivery.dedupKey()).isEqualTo(Delivery.dedupKey(SHOP, "orders/paid", "evt-1"));
        assertThat(delivery.receivedAt()).isBetween(before, after);
    }

    @Test
    void withoutEventIdTheWebhookIdIsTheDedupId() throws Exception {
        OrderEvent sent = event(1002, "wh-2", "wh-2");
        byte[] body = OrderWebhookJson.body(sent);
        Map<String, String> headers = signedHeaders(body, sent);
        headers.remove(WebhookHeaders.EVENT_ID);

        assertAnswer(post(body, headers), 200, "queued", true);

        Delivery delivery = pipeline.accepted().get(0);
        assertThat(delivery.event().eventId()).isEqualTo("wh-2");
        assertThat(delivery.event().webhookId()).isEqualTo("wh-2");
        assertThat(delivery.dedupKey()).isEqualTo(Delivery.dedupKey(SHOP, "orders/paid", "wh-2"));
    }

    @Test
    void withoutEventOrWebhookIdTheBodyHashIsTheDedupId() throws Exception {
        OrderEvent sent = event(1003, "unused", "");
        byte[] body = OrderWebhookJson.body(sent);
        Map<String, String> headers = signedHeaders(body, sent);
        headers.remove(WebhookHeaders.EVENT_ID);
        headers.remove(WebhookHeaders.WEBHOOK_ID);
        String bodyHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));

        assertAnswer(post(body, headers), 200, "queued", true);

        Delivery delivery = pipeline.accepted().get(0);
        assertThat(delivery.event().eventId()).isEqualTo(bodyHash);
        assertThat(delivery.event().webhookId()).isEmpty();
        assertThat(delivery.dedupKey()).isEqualTo(Delivery.dedupKey(SHOP, "orders/paid", bodyHash));
    }

    @Test
    void aRepeatedDeliveryIsAnsweredAsDuplicate() throws Exception {
        OrderEvent sent = event(1004, "evt-4", "wh-4");
        byte[] body = OrderWebhookJson.body(sent);

        assertAnswer(post(body, signedHeaders(body, sent)), 200, "queued", true);
        HttpResponse<String> again = post(body, signedHeaders(body, sent));
        assertAnswer(again, 200, "duplicate", true);
        assertThat(again.body()).isEqualTo(WebhookServer.DUPLICATE_ANSWER);

        assertThat(pipeline.accepted()).hasSize(1);
        assertThat(pipeline.duplicates()).hasSize(1);
        assertThat(pipeline.duplicates().get(0).dedupKey()).isEqualTo(pipeline.accepted().get(0).dedupKey());
    }

    @Test
    void chunkedBodyWithinTheLimitIsAccepted() throws Exception {
        OrderEvent sent = event(1005, "evt-5", "wh-5");
        byte[] body = OrderWebhookJson.body(sent);

        HttpResponse<String> response = send(chunkedPost(body, signedHeaders(body, sent)));

        assertAnswer(response, 200, "queued", true);
        assertThat(pipeline.accepted()).extracting(Delivery::event).containsExactly(sent);
    }

    @Test
    void headerNamesAreCaseInsensitive() throws Exception {
        OrderEvent lower = event(1006, "evt-6", "wh-6");
        byte[] lowerBody = OrderWebhookJson.body(lower);
        Map<String, String> lowerHeaders = new LinkedHashMap<>();
        signedHeaders(lowerBody, lower).forEach((name, value) -> lowerHeaders.put(name.toLowerCase(), value));

        OrderEvent upper = event(1007, "evt-7", "wh-7");
        byte[] upperBody = OrderWebhookJson.body(upper);
        Map<String, String> upperHeaders = new LinkedHashMap<>();
        signedHeaders(upperBody, upper).forEach((name, value) -> upperHeaders.put(name.toUpperCase(), value));

        assertAnswer(post(lowerBody, lowerHeaders), 200, "queued", true);
        assertAnswer(post(upperBody, upperHeaders), 200, "queued", true);

        assertThat(pipeline.accepted()).extracting(Delivery::event).containsExactly(lower, upper);
        assertThat(pipeline.accepted()).extracting(Delivery::dedupKey).containsExactly(
                Delivery.dedupKey(SHOP, "orders/paid", "evt-6"), Delivery.dedupKey(SHOP, "orders/paid", "evt-7"));
    }

    // --- rejected: nothing reaches the pipeline ---------------------------------------------------

    @Test
    void missingHmacIs401() throws Exception {
        byte[] body = OrderWebhookJson.body(event(2001, "evt", "wh"));
        Map<String, String> headers = signedHeaders(body, event(2001, "evt", "wh"));
        headers.remove(WebhookHeaders.HMAC_SHA256);

        assertRejected(post(body, headers), 401, "missing X-Shopify-Hmac-Sha256 header");
    }

    @Test
    void badHmacIs401() throws Exception {
        OrderEvent sent = event(2002, "evt", "wh");
        byte[] body = OrderWebhookJson.body(sent);
        Map<String, String> notBase64 = signedHeaders(body, sent);
        notBase64.put(WebhookHeaders.HMAC_SHA256, "not base64 at all!");
        Map<String, String> otherSecret = signedHeaders(body, sent);
        otherSecret.put(WebhookHeaders.HMAC_SHA256, new WebhookSignature("another-secret").sign(body));

        assertRejected(post(body, notBase64), 401, "HMAC signature does not match the body");
        assertRejected(post(body, otherSecret), 401, "HMAC signature does not match the body");
    }

    @Test
    void hmacOfADifferentBodyIs401() throws Exception {
        OrderEvent signedFor = event(2003, "evt", "wh");
        OrderEvent tampered = event(2003, "evt", "wh", new LineItem("SKU-RED", 50));
        byte[] signedBody = OrderWebhookJson.body(signedFor);
        byte[] sentBody = OrderWebhookJson.body(tampered);

        assertRejected(post(sentBody, signedHeaders(signedBody, signedFor)), 401,
                "HMAC signature does not match the body");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        byte[] body = "{\"id\": 12, \"line_items\": [".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body, signedHeaders(body, event(2004, "evt", "wh")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorOf(response)).startsWith("malformed JSON: ");
        assertThat(pipeline.recordedCount()).isZero();
    }

    static Stream<Arguments> invalidFields() {
        return Stream.of(
                invalid("id missing", o -> o.remove("id"), "id must be a positive integer"),
                invalid("id a string", o -> o.put("id", "2005"), "id must be a positive integer"),
                invalid("id zero", o -> o.put("id", 0), "id must be a positive integer"),
                invalid("id negative", o -> o.put("id", -7), "id must be a positive integer"),
                invalid("id fractional", o -> o.put("id", 1.5), "id must be a positive integer"),
                invalid("updated_at missing", o -> o.remove("updated_at"),
                        "updated_at must be an ISO-8601 date-time with an offset"),
                invalid("updated_at a number", o -> o.put("updated_at", 1_700_000_000_000L),
                        "updated_at must be an ISO-8601 date-time with an offset"),
                invalid("updated_at without offset", o -> o.put("updated_at", "2024-05-01T10:15:30"),
                        "updated_at must be an ISO-8601 date-time with an offset, got: 2024-05-01T10:15:30"),
                invalid("updated_at not a date", o -> o.put("updated_at", "yesterday"),
                        "updated_at must be an ISO-8601 date-time with an offset, got: yesterday"),
                invalid("financial_status missing", o -> o.remove("financial_status"),
                        "financial_status must be a string or null"),
                invalid("financial_status a number", o -> o.put("financial_status", 3),
                        "financial_status must be a string or null"),
                invalid("fulfillment_status missing", o -> o.remove("fulfillment_status"),
                        "fulfillment_status must be a string or null"),
                invalid("fulfillment_status an array", o -> o.putArray("fulfillment_status"),
                        "fulfillment_status must be a string or null"),
                invalid("line_items missing", o -> o.remove("line_items"), "line_items must be a non-empty array"),
                invalid("line_items empty", o -> o.putArray("line_items"), "line_items must be a non-empty array"),
                invalid("line_items an object", o -> o.putObject("line_items"), "line_items must be a non-empty array"),
                invalid("line item not an object", o -> items(o).set(1, JSON.getNodeFactory().textNode("SKU")),
                        "line_items[1] must be an object"),
                invalid("sku missing", o -> item(o, 0).remove("sku"), "line_items[0].sku must be a non-empty string"),
                invalid("sku blank", o -> item(o, 1).put("sku", "  "), "line_items[1].sku must be a non-empty string"),
                invalid("sku a number", o -> item(o, 2).put("sku", 42), "line_items[2].sku must be a non-empty string"),
                invalid("quantity missing", o -> item(o, 2).remove("quantity"),
                        "line_items[2].quantity must be a positive integer"),
                invalid("quantity zero", o -> item(o, 2).put("quantity", 0),
                        "line_items[2].quantity must be a positive integer"),
                invalid("quantity negative", o -> item(o, 0).put("quantity", -1),
                        "line_items[0].quantity must be a positive integer"),
                invalid("quantity a string", o -> item(o, 1).put("quantity", "2"),
                        "line_items[1].quantity must be a positive integer"),
                invalid("quantity fractional", o -> item(o, 1).put("quantity", 1.5),
                        "line_items[1].quantity must be a positive integer"),
                invalid("quantity beyond int", o -> item(o, 1).put("quantity", 3_000_000_000L),
                        "line_items[1].quantity must be a positive integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFields")
    void missingOrIllTypedFieldIs400NamingIt(String description, Consumer<ObjectNode> breakIt, String reason)
            throws Exception {
        OrderEvent valid = event(2005, "evt", "wh",
                new LineItem("SKU-A", 1), new LineItem("SKU-B", 2), new LineItem("SKU-C", 3));
        ObjectNode order = (ObjectNode) JSON.readTree(OrderWebhookJson.body(valid));
        breakIt.accept(order);
        byte[] body = JSON.writeValueAsBytes(order);

        assertRejected(post(body, signedHeaders(body, valid)), 400, reason);
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() throws Exception {
        byte[] body = "[1,2,3]".getBytes(StandardCharsets.UTF_8);

        assertRejected(post(body, signedHeaders(body, event(2006, "evt", "wh"))), 400, "body must be a JSON object");
    }

    @Test
    void unknownOrMissingTopicIs400() throws Exception {
        OrderEvent sent = event(2007, "evt", "wh");
        byte[] body = OrderWebhookJson.body(sent);
        Map<String, String> unknown = signedHeaders(body, sent);
        unknown.put(WebhookHeaders.TOPIC, "orders/edited");
        Map<String, String> missing = signedHeaders(body, sent);
        missing.remove(WebhookHeaders.TOPIC);

        assertRejected(post(body, unknown), 400, "unknown topic: orders/edited");
        assertRejected(post(body, missing), 400, "missing X-Shopify-Topic header");
    }

    @Test
    void missingShopDomainIs400() throws Exception {
        OrderEvent sent = event(2008, "evt", "wh");
        byte[] body = OrderWebhookJson.body(sent);
        Map<String, String> headers = signedHeaders(body, sent);
        headers.remove(WebhookHeaders.SHOP_DOMAIN);

        assertRejected(post(body, headers), 400, "missing X-Shopify-Shop-Domain header");
    }

    @Test
    void contentLengthOverTheLimitIs413() throws Exception {
        byte[] body = oversizedSignedBody();

        for (int attempt = 0; attempt < OVERSIZED_ATTEMPTS; attempt++) {
            assertRejected(post(body, signedHeaders(body, event(2009, "evt", "wh"))), 413,
                    "body larger than " + MAX_BODY + " bytes");
        }
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        byte[] body = oversizedSignedBody();

        for (int attempt = 0; attempt < OVERSIZED_ATTEMPTS; attempt++) {
            HttpResponse<String> response = send(chunkedPost(body, signedHeaders(body, event(2010, "evt", "wh"))));

            assertRejected(response, 413, "body larger than " + MAX_BODY + " bytes");
        }
    }

    @Test
    void wrongOrMissingContentTypeIs415() throws Exception {
        OrderEvent sent = event(2011, "evt", "wh");
        byte[] body = OrderWebhookJson.body(sent);
        Map<String, String> text = signedHeaders(body, sent);
        text.put("Content-Type", "text/plain");
        Map<String, String> none = signedHeaders(body, sent);
        none.remove("Content-Type");

        assertRejected(post(body, text), 415, "content type must be application/json, got: text/plain");
        assertRejected(post(body, none), 415, "content type must be application/json, got: none");
    }

    @Test
    void getOnTheWebhookPathIs405AllowingPost() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url(WebhookServer.ORDERS_PATH)).GET().build());

        assertRejected(response, 405, "method GET not allowed, use POST");
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void queueUnavailableIs503() throws Exception {
        pipeline.failWith(new QueueUnavailableException("redis down", new IOException("connection refused")));
        OrderEvent sent = event(2012, "evt", "wh");
        byte[] body = OrderWebhookJson.body(sent);

        assertRejected(post(body, signedHeaders(body, sent)), 503, "queue unavailable: redis down");
    }

    /** A Redis outage refuses every delivery; the log gets a line per interval, not a trace per request. */
    @Test
    void manyRefusedDeliveriesLogOneLineWithOneTrace() throws Exception {
        List<ch.qos.logback.classic.spi.ILoggingEvent> lines;
        try (LogCapture log = LogCapture.of(OrderWebhookHandler.class)) {
            pipeline.failWith(new QueueUnavailableException("redis down", new IOException("connection refused")));
            for (int i = 0; i < 200; i++) {
                OrderEvent sent = event(3000 + i, "evt" + i, "wh" + i);
                byte[] body = OrderWebhookJson.body(sent);
                assertThat(post(body, signedHeaders(body, sent)).statusCode()).isEqualTo(503);
            }
            lines = List.copyOf(log.events());
        }
        assertThat(lines).as("log lines for 200 refused deliveries").hasSizeBetween(1, 2);
        assertThat(lines.stream().filter(e -> e.getThrowableProxy() != null)).hasSize(1);
    }

    @Test
    void anUnexpectedPipelineFailureIs500() throws Exception {
        pipeline.failWith(new IllegalStateException("bug"));
        OrderEvent sent = event(2013, "evt", "wh");
        byte[] body = OrderWebhookJson.body(sent);

        assertRejected(post(body, signedHeaders(body, sent)), 500, "internal error");
    }

    @Test
    void anyOtherPathIs404() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/webhooks/customers"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build());

        assertRejected(response, 404, "no route for POST /webhooks/customers");
    }

    // --- health -----------------------------------------------------------------------------------

    @Test
    void healthIs200WhenBothAreUp() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url(WebhookServer.HEALTH_PATH)).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()))
                .isEqualTo(JSON.readTree("{\"redis\":\"up\",\"mongo\":\"up\",\"status\":\"ok\"}"));
    }

    @Test
    void healthIs503MarkingWhatIsDown() throws Exception {
        health.redisUp = false;
        HttpResponse<String> redisDown = send(HttpRequest.newBuilder(url(WebhookServer.HEALTH_PATH)).GET().build());
        health.redisUp = true;
        health.mongoUp = false;
        HttpResponse<String> mongoDown = send(HttpRequest.newBuilder(url(WebhookServer.HEALTH_PATH)).GET().build());

        assertThat(redisDown.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(redisDown.body()))
                .isEqualTo(JSON.readTree("{\"redis\":\"down\",\"mongo\":\"up\",\"status\":\"degraded\"}"));
        assertThat(mongoDown.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(mongoDown.body()))
                .isEqualTo(JSON.readTree("{\"redis\":\"up\",\"mongo\":\"down\",\"status\":\"degraded\"}"));
    }

    @Test
    void closingFreesThePort() throws Exception {
        int port = server.port();
        server.close();

        try (WebhookServer again = WebhookServer.start(
                new IngestSettings("127.0.0.1", port, MAX_BODY, SECRET), pipeline, health)) {
            assertThat(again.port()).isEqualTo(port);
            assertThat(again.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:" + port));
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static OrderEvent event(long orderId, String eventId, String webhookId, LineItem... items) {
        List<LineItem> lines = items.length == 0 ? List.of(new LineItem("SKU-RED", 2), new LineItem("SKU-BLUE", 1))
                : List.of(items);
        return new OrderEvent(SHOP, Topic.PAID, orderId, eventId, webhookId, 1_714_560_000_123L, "paid", null, lines);
    }

    private Map<String, String> signedHeaders(byte[] body, OrderEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put(WebhookHeaders.TOPIC, event.topic().wire());
        headers.put(WebhookHeaders.HMAC_SHA256, signature.sign(body));
        headers.put(WebhookHeaders.SHOP_DOMAIN, event.shop());
        headers.put(WebhookHeaders.EVENT_ID, event.eventId());
        headers.put(WebhookHeaders.WEBHOOK_ID, event.webhookId());
        headers.put(WebhookHeaders.TRIGGERED_AT, "2024-05-01T10:40:00.123Z");
        return headers;
    }

    /**
     * A valid order padded far past the limit with an ignored field, so only its size is wrong. Large
     * enough that the client is still writing when the 413 goes out: the answer must still arrive.
     */
    private static byte[] oversizedSignedBody() throws IOException {
        ObjectNode order = (ObjectNode) JSON.readTree(OrderWebhookJson.body(event(2009, "evt", "wh")));
        order.put("note", "x".repeat(512 * 1024));
        return JSON.writeValueAsBytes(order);
    }

    private static ArrayNode items(ObjectNode order) {
        return (ArrayNode) order.get("line_items");
    }

    private static ObjectNode item(ObjectNode order, int index) {
        return (ObjectNode) items(order).get(index);
    }

    private static Arguments invalid(String description, Consumer<ObjectNode> breakIt, String reason) {
        return arguments(description, breakIt, reason);
    }

    private URI url(String path) {
        return server.baseUrl().resolve(path);
    }

    private HttpResponse<String> post(byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(WebhookServer.ORDERS_PATH))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** No length known up front, so the client sends {@code Transfer-Encoding: chunked}. */
    private HttpRequest chunkedPost(byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(WebhookServer.ORDERS_PATH))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        headers.forEach(request::header);
        return request.build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertAnswer(HttpResponse<String> response, int status, String flag, boolean value)
            throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.size()).isEqualTo(1);
        assertThat(answer.path(flag).isBoolean()).isTrue();
        assertThat(answer.path(flag).booleanValue()).isEqualTo(value);
    }

    private void assertRejected(HttpResponse<String> response, int status, String reason) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(errorOf(response)).isEqualTo(reason);
        assertThat(pipeline.recordedCount()).as("the pipeline recorded nothing").isZero();
    }

    private static String errorOf(HttpResponse<String> response) throws IOException {
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.size()).as(response.body()).isEqualTo(1);
        return answer.path("error").asText();
    }

    /** A health probe the test flips. */
    private static final class SwitchableHealth implements HealthProbe {
        volatile boolean redisUp = true;
        volatile boolean mongoUp = true;

        @Override
        public boolean redisUp() {
            return redisUp;
        }

        @Override
        public boolean mongoUp() {
            return mongoUp;
        }
    }
}
