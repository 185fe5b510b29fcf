package dev.lockstep.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DedupKeyTest {

    @Test
    void whatTheIngestBuildsReadsBack() {
        String written = Delivery.dedupKey("shop.myshopify.com", "orders/paid", "evt-7");

        assertThat(written).isEqualTo("shop.myshopify.com|orders/paid|evt-7");
        assertThat(DedupKey.parse(written)).isEqualTo(new DedupKey("shop.myshopify.com", "orders/paid", "evt-7"));
        assertThat(DedupKey.parse(written).toString()).isEqualTo(written);
    }

    @Test
    void anIdMayContainBars() {
        DedupKey key = new DedupKey("s.myshopify.com", "orders/create", "a|b||c|");

        assertThat(key.toString()).isEqualTo("s.myshopify.com|orders/create|a|b||c|");
        assertThat(DedupKey.parse(key.toString())).isEqualTo(key);
        assertThat(DedupKey.parse("s||")).isEqualTo(new DedupKey("s", "", ""));
    }

    @Test
    void aStringWithoutShopTopicAndIdIsRefusedClearly() {
        for (String malformed : new String[] {"", "no-bars", "shop|topic-only"}) {
            assertThatThrownBy(() -> DedupKey.parse(malformed))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a dedup key (shop|topic|id): \"" + malformed + "\"");
        }
        assertThatThrownBy(() -> DedupKey.parse(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new DedupKey("s", null, "id")).isInstanceOf(NullPointerException.class)
                .hasMessage("topic");
    }
}
