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
        long fast = parseCommonTimestamp(text);
        if (fast != NOT_COMMON) {
            return fast;
        }
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
    }

    private static final long NOT_COMMON = Long.MIN_VALUE;

    /**
     * The forms every webhook carries, {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM)}, read by hand:
     * {@code OffsetDateTime.parse} was the largest single cost of parsing a webhook. Anything else,
     * valid or not, is left to it ({@link #NOT_COMMON}), so the accepted forms and errors stay its own.
     */
    static long parseCommonTimestamp(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return NOT_COMMON;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_COMMON;
        }
        int i = 19;
        long millis = 0;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                if (i - start < 3) {
                    millis = millis * 10 + (t.charAt(i) - '0');
                }
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 9) {
                return NOT_COMMON;
            }
            for (int k = len; k < 3; k++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, i + 4, 2);
            if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 18 * 60) {
                return NOT_COMMON;
            }
            offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return NOT_COMMON;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return epochSecond * 1000 + millis;
    }

    /** The number in {@code len} decimal digits at {@code from}, or -1 if any is not a digit. */
    private static int digits(String t, int from, int len) {
        int v = 0;
        for (int k = from; k < from + len; k++) {
            char c = t.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
