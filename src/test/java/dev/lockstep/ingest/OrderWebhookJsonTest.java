package dev.lockstep.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderWebhookJsonTest {

    @Test
    void rendersAShopifyStyleOrder() throws Exception {
        OrderEvent event = new OrderEvent("s.myshopify.com", Topic.PAID, 820982911946154508L, "evt", "wh",
                1_714_558_530_000L, "paid", null, List.of(new LineItem("SKU-A", 2), new LineItem("SKU-B", 1)));

        JsonNode order = new ObjectMapper().readTree(OrderWebhookJson.body(event));

        assertThat(order.get("id").longValue()).isEqualTo(820982911946154508L);
        assertThat(order.get("updated_at").textValue()).isEqualTo("2024-05-01T10:15:30.000+00:00");
        assertThat(order.get("financial_status").textValue()).isEqualTo("paid");
        assertThat(order.get("fulfillment_status").isNull()).isTrue();
        assertThat(order.get("line_items")).hasSize(2);
        assertThat(order.get("line_items").get(0).get("sku").textValue()).isEqualTo("SKU-A");
        assertThat(order.get("line_items").get(0).get("quantity").intValue()).isEqualTo(2);
        assertThat(order.get("email").textValue()).isEqualTo("buyer-820982911946154508@example.com");
        assertThat(order.get("currency").textValue()).isEqualTo("USD");
        assertThat(order.get("total_price").textValue()).isEqualTo("59.70");
    }

    @Test
    void timestampsKeepTheirMilliseconds() {
        long millis = 1_714_558_530_987L;

        assertThat(OrderWebhookJson.parseTimestamp(OrderWebhookJson.formatTimestamp(millis))).isEqualTo(millis);
        assertThat(OrderWebhookJson.parseTimestamp("2024-05-01T12:15:30.987+02:00")).isEqualTo(millis);
    }

    /** The hand-read common forms agree with OffsetDateTime.parse, value for value and refusal for refusal. */
    @Test
    void theFastTimestampPathAgreesWithTheStandardParser() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        java.util.List<String> texts = new java.util.ArrayList<>(List.of("2024-02-29T23:59:59Z",
                "2023-02-29T10:00:00Z", "2024-13-01T10:00:00Z", "2024-04-31T10:00:00Z", "2024-05-01T24:00:00Z",
                "2024-05-01T10:60:00Z", "2024-05-01T10:00:60Z", "2024-05-01T10:00:00+18:00", "2024-05-01T10:00:00+18:30",
                "2024-05-01T10:00:00-00:00", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00.1234567891Z",
                "2024-05-01T10:00:00", "2024-05-01T10:00:00+0200", "2024-05-01 10:00:00Z", "+12024-05-01T10:00:00Z",
                "2024-05-01T10:00:00z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999-18:00", "2024-05-01T1a:00:00Z"));
        for (int k = 0; k < 5_000; k++) {
            long millis = rnd.nextLong(-62_000_000_000_000L, 250_000_000_000_000L);
            int offsetMinutes = rnd.nextInt(-18 * 60, 18 * 60 + 1);
            java.time.OffsetDateTime t = java.time.Instant.ofEpochMilli(millis)
                    .atOffset(java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            String pattern = switch (rnd.nextInt(4)) {
                case 0 -> "yyyy-MM-dd'T'HH:mm:ssXXX";
                case 1 -> "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
                case 2 -> "yyyy-MM-dd'T'HH:mm:ss.SXXX";
                default -> "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";
            };
            texts.add(java.time.format.DateTimeFormatter.ofPattern(pattern).format(t));
        }
        for (String text : texts) {
            Long standard;
            try {
                standard = java.time.OffsetDateTime.parse(text, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant().toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                standard = null;
            }
            long fast = OrderWebhookJson.parseCommonTimestamp(text);
            if (standard == null) {
                assertThat(fast).as(text).isEqualTo(Long.MIN_VALUE);
            } else if (fast != Long.MIN_VALUE) {
                assertThat(fast).as(text).isEqualTo(standard);
            }
        }
    }
}
