package dev.lockstep.pipeline;

import java.util.Objects;

/**
 * The key a delivery is deduplicated by: shop, topic and the event id (else the webhook id, else
 * a hash of the body). Written as {@code shop|topic|id} ({@link #toString()}), the form the
 * ingest hands to the queue and the queue stores; {@link #parse} reads it back.
 *
 * <p>A shop domain and a topic's wire name never contain {@code |}; the id may, so parsing splits
 * at the first two bars only.
 *
 * @param shop  the shop domain
 * @param topic the topic's wire name, e.g. {@code orders/create}
 * @param id    event id, else webhook id, else body hash
 */
public record DedupKey(String shop, String topic, String id) {
    private static final char SEPARATOR = '|';

    public DedupKey {
        Objects.requireNonNull(shop, "shop");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(id, "id");
    }

    /**
     * Reads a key written by {@link #toString()}.
     *
     * @throws IllegalArgumentException if {@code key} has fewer than two {@code |}
     */
    public static DedupKey parse(String key) {
        Objects.requireNonNull(key, "key");
        int first = key.indexOf(SEPARATOR);
        int second = first < 0 ? -1 : key.indexOf(SEPARATOR, first + 1);
        if (second < 0) {
            throw new IllegalArgumentException("not a dedup key (shop|topic|id): \"" + key + "\"");
        }
        return new DedupKey(key.substring(0, first), key.substring(first + 1, second), key.substring(second + 1));
    }

    /** {@code shop|topic|id}. */
    @Override
    public String toString() {
        return shop + SEPARATOR + topic + SEPARATOR + id;
    }
}
