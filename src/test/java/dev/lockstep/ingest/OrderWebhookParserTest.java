package dev.lockstep.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The parser on its own: what the HTTP tests cannot see cheaply (every topic, offsets, exact errors). */
class OrderWebhookParserTest {
    private static final WebhookSignature SIGNATURE = new WebhookSignature("s3cret");
    private final OrderWebhookParser parser = new OrderWebhookParser(SIGNATURE);

    @ParameterizedTest
    @EnumSource(Topic.class)
    void everyTopicRoundTripsThroughTheRenderedBody(Topic topic) {
        OrderEvent sent = new OrderEvent("shop.myshopify.com", topic, 9_007_199_254_740_991L, "evt-" + topic,
                "wh-" + topic, 1_714_560_000_123L, topic == Topic.CREATE ? "pending" : "paid",
                topic == Topic.FULFILLED ? "fulfilled" : null,
                List.of(new LineItem("SKU-1", 1), new LineItem("SKU-2", 7)));
        byte[] body = OrderWebhookJson.body(sent);

        ParsedWebhook parsed = parser.parse(body, headers(body, topic.wire(), "shop.myshopify.com", sent.eventId(),
                sent.webhookId()));

        assertThat(parsed).isEqualTo(new ValidWebhook(sent,
                Delivery.dedupKey("shop.myshopify.com", topic.wire(), sent.eventId())));
    }

    @Test
    void readsAnUpdatedAtWithAnyOffsetAndIgnoresUnknownFields() {
        String json = "{\"id\":450789469,\"email\":\"bob@example.com\",\"total_price\":\"199.00\","
                + "\"updated_at\":\"2024-05-01T06:15:30-04:00\",\"financial_status\":null,"
                + "\"fulfillment_status\":null,\"line_items\":[{\"sku\":\"IPOD-342-N\",\"quantity\":3,"
                + "\"title\":\"IPod Nano\"}],\"customer\":{\"id\":1}}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);

        ValidWebhook parsed = (ValidWebhook) parser.parse(body,
                headers(body, "ORDERS/CREATE", "Shop.MyShopify.com", "evt", "wh"));

        OrderEvent event = parsed.event();
        assertThat(event.topic()).isEqualTo(Topic.CREATE);
        assertThat(event.shop()).isEqualTo("shop.myshopify.com");
        assertThat(event.orderId()).isEqualTo(450789469L);
        assertThat(event.updatedAt())
                .isEqualTo(OffsetDateTime.parse("2024-05-01T10:15:30Z").toInstant().toEpochMilli());
        assertThat(event.financialStatus()).isNull();
        assertThat(event.lineItems()).containsExactly(new LineItem("IPOD-342-N", 3));
        assertThat(parsed.dedupKey()).isEqualTo(Delivery.dedupKey("shop.myshopify.com", "orders/create", "evt"));
    }

    @Test
    void checksTheHmacBeforeLookingAtAnythingElse() {
        byte[] body = "not json and no topic".getBytes(StandardCharsets.UTF_8);
        Map<String, String> unsigned = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        unsigned.put(WebhookHeaders.HMAC_SHA256, SIGNATURE.sign("other".getBytes(StandardCharsets.UTF_8)));

        assertThat(parser.parse(body, unsigned::get))
                .isEqualTo(new Rejection(401, "HMAC signature does not match the body"));
    }

    @Test
    void refusesInvisibleOrUnencodableTextNamingTheFieldAndCodePoint() {
        String valid = "{\"id\":7,\"updated_at\":\"2024-05-01T10:00:00Z\",\"financial_status\":\"paid\","
                + "\"fulfillment_status\":null,\"line_items\":[{\"sku\":\"A\",\"quantity\":1}]}";
        Map<String, String> cases = Map.of(
                "\"sku\":\"A\\ud800\"", "line_items[0].sku must be plain text, got U+D800 at index 1",
                "\"sku\":\"A\\u200b\"", "line_items[0].sku must be plain text, got U+200B at index 1",
                "\"sku\":\"\\u202eA\"", "line_items[0].sku must be plain text, got U+202E at index 0",
                "\"sku\":\"A\\u0000\"", "line_items[0].sku must be plain text, got U+0000 at index 1");
        cases.forEach((sku, reason) -> {
            byte[] body = valid.replace("\"sku\":\"A\"", sku).getBytes(StandardCharsets.UTF_8);
            assertThat(parser.parse(body, headers(body, "orders/paid", "s.myshopify.com", "e", "w")))
                    .as(sku).isEqualTo(new Rejection(400, reason));
        });
        byte[] status = valid.replace("\"paid\"", "\"pa\\u200did\"").getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(status, headers(status, "orders/paid", "s.myshopify.com", "e", "w")))
                .isEqualTo(new Rejection(400, "financial_status must be plain text, got U+200D at index 2"));
        // visible non-ASCII text is fine
        byte[] accented = valid.replace("\"sku\":\"A\"", "\"sku\":\"Café-ß-日本\"").getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(accented, headers(accented, "orders/paid", "s.myshopify.com", "e", "w")))
                .isInstanceOf(ValidWebhook.class);
    }

    @Test
    void refusesBodiesThatAreNotWellFormedUtf8() {
        byte[] overlongSlash = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] encodedSurrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        byte[] truncatedSequence = {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82};
        for (byte[] body : List.of(overlongSlash, encodedSurrogate, truncatedSequence)) {
            assertThat(parser.parse(body, headers(body, "orders/paid", "s.myshopify.com", "e", "w")))
                    .isEqualTo(new Rejection(400, "malformed JSON: body is not valid UTF-8 at byte 6"));
        }
        assertThat(OrderWebhookParser.firstInvalidUtf8("{\"a\":\"€\"}".repeat(500).getBytes(StandardCharsets.UTF_8)))
                .as("valid across the decoder's buffer").isEqualTo(-1);
    }

    @Test
    void refusesDuplicateKeysAndTrailingContent() {
        byte[] duplicateId = "{\"id\":1,\"id\":2}".getBytes(StandardCharsets.UTF_8);
        byte[] trailing = "{\"id\":1} {}".getBytes(StandardCharsets.UTF_8);
        byte[] empty = new byte[0];

        for (byte[] body : List.of(duplicateId, trailing, empty)) {
            ParsedWebhook parsed = parser.parse(body, headers(body, "orders/paid", "s.myshopify.com", "e", "w"));
            assertThat(parsed).isInstanceOfSatisfying(Rejection.class, r -> {
                assertThat(r.status()).isEqualTo(400);
                assertThat(r.reason()).startsWith("malformed JSON: ");
            });
        }
    }

    @Test
    void blankIdHeadersCountAsAbsent() {
        OrderEvent sent = new OrderEvent("s.myshopify.com", Topic.PAID, 5, "x", "", 1_000L, "paid", null,
                List.of(new LineItem("A", 1)));
        byte[] body = OrderWebhookJson.body(sent);

        ValidWebhook parsed = (ValidWebhook) parser.parse(body, headers(body, "orders/paid", "s.myshopify.com",
                "  ", "wh-9"));

        assertThat(parsed.event().eventId()).isEqualTo("wh-9");
        assertThat(parsed.dedupKey()).isEqualTo(Delivery.dedupKey("s.myshopify.com", "orders/paid", "wh-9"));
    }

    private static UnaryOperator<String> headers(byte[] body, String topic, String shop, String eventId,
                                                 String webhookId) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put(WebhookHeaders.HMAC_SHA256, SIGNATURE.sign(body));
        headers.put(WebhookHeaders.TOPIC, topic);
        headers.put(WebhookHeaders.SHOP_DOMAIN, shop);
        headers.put(WebhookHeaders.EVENT_ID, eventId);
        headers.put(WebhookHeaders.WEBHOOK_ID, webhookId);
        return headers::get;
    }
}
