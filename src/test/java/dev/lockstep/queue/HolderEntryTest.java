package dev.lockstep.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HolderEntryTest {

    @Test
    void readsTokenHolderSinceAndJob() {
        assertThat(HolderEntry.parse("12|host:42/worker-3|1700000000123|k3x.7"))
                .isEqualTo(new HolderEntry(12, "host:42/worker-3", 1700000000123L, "k3x.7"));
    }

    @Test
    void aHolderNameWithABarReadsBackWhole() {
        assertThat(HolderEntry.parse("1|odd|name/t1|5|j.1")).isEqualTo(new HolderEntry(1, "odd|name/t1", 5, "j.1"));
    }

    @Test
    void somethingElseIsRefusedNamingIt() {
        for (String bad : new String[] {"", "12", "12|h|5", "x|h|5|j", "12|h|soon|j"}) {
            assertThatThrownBy(() -> HolderEntry.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a holder entry");
        }
    }
}
