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
}
