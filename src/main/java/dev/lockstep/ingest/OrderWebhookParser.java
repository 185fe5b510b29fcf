package dev.lockstep.ingest;

import static dev.lockstep.ingest.OrderWebhookJson.FINANCIAL_STATUS;
import static dev.lockstep.ingest.OrderWebhookJson.FULFILLMENT_STATUS;
import static dev.lockstep.ingest.OrderWebhookJson.ID;
import static dev.lockstep.ingest.OrderWebhookJson.LINE_ITEMS;
import static dev.lockstep.ingest.OrderWebhookJson.QUANTITY;
import static dev.lockstep.ingest.OrderWebhookJson.SKU;
import static dev.lockstep.ingest.OrderWebhookJson.UPDATED_AT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lockstep.order.LineItem;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Delivery;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Turns one webhook request (raw body bytes + headers) into a {@link ValidWebhook} or a
 * {@link Rejection}. The HMAC is checked on the raw bytes before anything is parsed, so an
 * unsigned body never reaches the JSON parser. Thread-safe.
 */
public final class OrderWebhookParser {
    /** Longest piece of sender input echoed back in a reason. */
    private static final int MAX_ECHO = 80;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Two "id" fields would make the order ambiguous: refuse rather than pick one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final WebhookSignature signature;

    public OrderWebhookParser(WebhookSignature signature) {
        this.signature = Objects.requireNonNull(signature, "signature");
    }

    /**
     * @param body   the request body exactly as received
     * @param header the first value of a request header by name, looked up case-insensitively; null when absent
     */
    public ParsedWebhook parse(byte[] body, UnaryOperator<String> header) {
        String hmac = present(header.apply(WebhookHeaders.HMAC_SHA256));
        if (hmac == null) {
            return Rejection.unauthorized("missing " + WebhookHeaders.HMAC_SHA256 + " header");
        }
        if (!signature.verify(body, hmac)) {
            return Rejection.unauthorized("HMAC signature does not match the body");
        }
        String topicWire = present(header.apply(WebhookHeaders.TOPIC));
        if (topicWire == null) {
            return Rejection.badRequest("missing " + WebhookHeaders.TOPIC + " header");
        }
        Optional<Topic> topic = Topic.fromWire(topicWire);
        if (topic.isEmpty()) {
            return Rejection.badRequest("unknown topic: " + echo(topicWire));
        }
        String shop = present(header.apply(WebhookHeaders.SHOP_DOMAIN));
        if (shop == null) {
            return Rejection.badRequest("missing " + WebhookHeaders.SHOP_DOMAIN + " header");
        }
        // Host names are case-insensitive; one spelling keeps the dedup key stable.
        shop = shop.toLowerCase(Locale.ROOT);

        int notUtf8 = firstInvalidUtf8(body);
        if (notUtf8 >= 0) {
            return Rejection.badRequest("malformed JSON: body is not valid UTF-8 at byte " + notUtf8);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return Rejection.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // readTree(byte[]) does no I/O; anything else it throws is still a body it cannot read.
            return Rejection.badRequest("malformed JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return Rejection.badRequest("malformed JSON: empty body");
        }
        if (!root.isObject()) {
            return Rejection.badRequest("body must be a JSON object");
        }

        String webhookId = present(header.apply(WebhookHeaders.WEBHOOK_ID));
        String eventId = present(header.apply(WebhookHeaders.EVENT_ID));
        String dedupId = eventId != null ? eventId : webhookId != null ? webhookId : sha256Hex(body);
        try {
            OrderEvent event = new OrderEvent(
                    shop,
                    topic.get(),
                    orderId(root),
                    dedupId,
                    webhookId,
                    updatedAt(root),
                    nullableString(root, FINANCIAL_STATUS),
                    nullableString(root, FULFILLMENT_STATUS),
                    lineItems(root));
            return new ValidWebhook(event, Delivery.dedupKey(shop, event.topic().wire(), dedupId));
        } catch (InvalidField e) {
            return Rejection.badRequest(e.getMessage());
        }
    }

    /**
     * Offset of the first byte that is not well-formed UTF-8, or -1. Jackson decodes an overlong form
     * ({@code C0 AF} for {@code /}) as the character it spells, so text the signer saw as bytes could
     * reach the store as something else; the JDK's decoder refuses overlong forms, encoded surrogates
     * and code points past U+10FFFF. Decodes through a small fixed buffer: no copy of the body.
     */
    static int firstInvalidUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(1024);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                break;
            }
            out.clear();
        }
        out.clear();
        return decoder.flush(out).isError() ? in.position() : -1;
    }

    private static long orderId(JsonNode root) {
        JsonNode id = root.get(ID);
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() <= 0) {
            throw new InvalidField(ID + " must be a positive integer");
        }
        return id.longValue();
    }

    private static long updatedAt(JsonNode root) {
        JsonNode node = root.get(UPDATED_AT);
        String message = UPDATED_AT + " must be an ISO-8601 date-time with an offset";
        if (node == null || !node.isTextual()) {
            throw new InvalidField(message);
        }
        try {
            return OrderWebhookJson.parseTimestamp(node.textValue());
        } catch (DateTimeParseException e) {
            throw new InvalidField(message + ", got: " + echo(node.textValue()));
        }
    }

    private static String nullableString(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !(node.isNull() || node.isTextual())) {
            throw new InvalidField(field + " must be a string or null");
        }
        return node.isNull() ? null : plainText(field, node.textValue());
    }

    /**
     * {@code value} when it holds only visible text. JSON lets a sender escape what UTF-8 cannot carry or a
     * reader cannot see: a lone surrogate (not encodable, so the stored copy would differ from the one
     * signed), a control character such as NUL, or an invisible format character (zero-width, a
     * right-to-left override) that makes {@code "A\u200b"} a second SKU that looks like {@code "A"}.
     */
    private static String plainText(String field, String value) {
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (Character.isSurrogate((char) c) || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT) {
                throw new InvalidField(field + " must be plain text, got U+"
                        + HexFormat.of().withUpperCase().toHexDigits((short) c) + " at index " + i);
            }
            i += Character.charCount(c);
        }
        return value;
    }

    private static List<LineItem> lineItems(JsonNode root) {
        JsonNode items = root.get(LINE_ITEMS);
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new InvalidField(LINE_ITEMS + " must be a non-empty array");
        }
        List<LineItem> result = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String at = LINE_ITEMS + "[" + i + "]";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                throw new InvalidField(at + " must be an object");
            }
            JsonNode sku = item.get(SKU);
            if (sku == null || !sku.isTextual() || sku.textValue().isBlank()) {
                throw new InvalidField(at + "." + SKU + " must be a non-empty string");
            }
            JsonNode quantity = item.get(QUANTITY);
            if (quantity == null || !quantity.isIntegralNumber() || !quantity.canConvertToInt()
                    || quantity.intValue() <= 0) {
                throw new InvalidField(at + "." + QUANTITY + " must be a positive integer");
            }
            result.add(new LineItem(plainText(at + "." + SKU, sku.textValue()), quantity.intValue()));
        }
        return result;
    }

    /** The trimmed value, or null when absent or blank. */
    private static String present(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    private static String echo(String senderInput) {
        return senderInput.length() <= MAX_ECHO ? senderInput : senderInput.substring(0, MAX_ECHO) + "…";
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** A field that is missing or ill-typed; its message names the field. */
    private static final class InvalidField extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidField(String message) {
            super(message, null, false, false);
        }
    }
}
