package dev.lockstep.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Mode names: one id each, the former name of naive-lock still read. */
class ModeTest {

    @Test
    void eachModeReadsBackFromItsId() {
        assertThat(Arrays.stream(Mode.values()).map(Mode::id)).containsExactly("unsafe", "naive-lock", "lockstep");
        for (Mode m : Mode.values()) {
            assertThat(Mode.parse(m.id())).isEqualTo(m);
            assertThat(Mode.parse(" " + m.id().toUpperCase() + " ")).isEqualTo(m);
        }
    }

    @Test
    void theFormerNameSeedStillMeansNaiveLockAndNothingElseIsGuessed() {
        assertThat(Mode.parse("seed")).isEqualTo(Mode.NAIVE_LOCK);
        assertThatThrownBy(() -> Mode.parse("naive_lock")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected unsafe, naive-lock or lockstep");
    }
}
