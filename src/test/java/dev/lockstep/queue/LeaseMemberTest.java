package dev.lockstep.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeaseMemberTest {

    @Test
    void parsesTheMemberTheLeaseMemberIncludeBuilds() {
        assertThat(LeaseMember.parse("42|7|w1/t1|1700000000123"))
                .isEqualTo(new LeaseMember(42, 7, "w1/t1", 1700000000123L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"host-a:4711/worker-3", "host.example:1/t:1/x", "a", "::/::", ""})
    void roundTripsHolderNamesWithSlashesAndColons(String holder) {
        LeaseMember m = new LeaseMember(9_000_000_001L, 123_456_789_012L, holder, 1_700_000_000_000L);
        String member = m.orderId() + "|" + m.token() + "|" + m.holder() + "|" + m.since();
        assertThat(LeaseMember.parse(member)).isEqualTo(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "42", "42|7", "42|7|w1/t1", "x|7|w1/t1|1", "42|y|w1/t1|1", "42|7|w1/t1|now"})
    void refusesMalformedMembers(String member) {
        assertThatThrownBy(() -> LeaseMember.parse(member)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMalformedMemberIsNamedInTheError() {
        assertThatThrownBy(() -> LeaseMember.parse("42|7"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'42|7'");
    }
}
