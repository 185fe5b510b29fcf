package dev.lockstep.ingest;

/**
 * Names of the Shopify-style webhook headers, shared by the ingest and the HTTP firer.
 * HTTP header names are case-insensitive; these are the canonical spellings a sender uses.
 */
public final class WebhookHeaders {
    /** The webhook topic, e.g. {@code orders/paid}. */
    public static final String TOPIC = "X-Shopify-Topic";
    /** Base64 HMAC-SHA256 of the raw body with the shared secret. */
    public static final String HMAC_SHA256 = "X-Shopify-Hmac-Sha256";
    /** This delivery's id; a provider retry of one delivery repeats it. */
    public static final String WEBHOOK_ID = "X-Shopify-Webhook-Id";
    /** Shared by every delivery of one merchant action (the dedup id of choice). */
    public static final String EVENT_ID = "X-Shopify-Event-Id";
    /** When the provider triggered the delivery, ISO-8601. */
    public static final String TRIGGERED_AT = "X-Shopify-Triggered-At";
    /** The shop the event belongs to. */
    public static final String SHOP_DOMAIN = "X-Shopify-Shop-Domain";

    private WebhookHeaders() {
    }
}
