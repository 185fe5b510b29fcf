package dev.lockstep.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The shape of a Shopify-style order webhook body: the field names the parser reads and the one
 * renderer the firer sends. The rendered body carries a few realistic fields the ingest ignores
 * ({@code email}, {@code currency}, {@code total_price}, ...), as a real provider's does.
 */
public final class OrderWebhookJson {
    public static final String ID = "id";
    public static final String UPDATED_AT = "updated_at";
    public static final String FINANCIAL_STATUS = "financial_status";
    public static final String FULFILLMENT_STATUS = "fulfillment_status";
    public static final String LINE_ITEMS = "line_items";
    public static final String SKU = "sku";
    public static final String QUANTITY = "quantity";

    /** Demo catalogue price of every unit; only feeds the ignored {@code total_price}. */
    private static final BigDecimal UNIT_PRICE = new BigDecimal("19.90");
    /** Millisecond precision keeps {@code updated_at} exact through a render/parse round trip. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx", Locale.ROOT);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OrderWebhookJson() {
    }

    /** The JSON body a provider would send for {@code event}, UTF-8. */
    public static byte[] body(OrderEvent event) {
        ObjectNode order = MAPPER.createObjectNode();
        order.put(ID, event.orderId());
        order.put("admin_graphql_api_id", "gid://shopify/Order/" + event.orderId());
        order.put("name", "#" + event.orderId());
        order.put("email", "buyer-" + event.orderId() + "@example.com");
        order.put("currency", "USD");
        order.put(UPDATED_AT, formatTimestamp(event.updatedAt()));
        order.put(FINANCIAL_STATUS, event.financialStatus());
        order.put(FULFILLMENT_STATUS, event.fulfillmentStatus());
        BigDecimal total = BigDecimal.ZERO;
        ArrayNode items = order.putArray(LINE_ITEMS);
        for (LineItem item : event.lineItems()) {
            ObjectNode line = items.addObject();
            line.put(SKU, item.sku());
            line.put(QUANTITY, item.quantity());
            line.put("title", "Item " + item.sku());
            line.put("price", UNIT_PRICE.toPlainString());
            total = total.add(UNIT_PRICE.multiply(BigDecimal.valueOf(item.quantity())));
        }
        order.put("total_price", total.toPlainString());
        try {
            return MAPPER.writeValueAsBytes(order);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot render order webhook " + event.effectId(), e);
        }
    }

    /** ISO-8601 with an explicit offset, as {@code updated_at} carries it. */
    public static String formatTimestamp(long epochMillis) {
        return TIMESTAMP.format(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC));
    }

    /**
     * Epoch millis of an ISO-8601 offset date-time such as {@code 2024-05-01T10:15:30-04:00}.
     *
     * @throws DateTimeParseException when the text is not one (a missing offset included)
     */
    public static long parseTimestamp(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
    }
}
