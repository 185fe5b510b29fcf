package dev.lockstep.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LaneEntryTest {
    @Test
    void roundTripsAndKeepsBarsInThePayload() {
        String entry = LaneEntry.format("k3.1z", 2, "{\"note\":\"a|b\"}");
        assertThat(entry).isEqualTo("k3.1z|2|{\"note\":\"a|b\"}");
        assertThat(LaneEntry.parse(entry)).isEqualTo(new LaneEntry("k3.1z", 2, "{\"note\":\"a|b\"}"));
    }

    @Test
    void aMalformedEntryIsNamedInTheError() {
        assertThatThrownBy(() -> LaneEntry.parse("no-bars")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-bars");
        assertThatThrownBy(() -> LaneEntry.parse("id|x|p")).isInstanceOf(NumberFormatException.class);
    }
}
