package dev.lockstep.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AnomalyKindTest {

    @Test
    void theKindsAreTheComponentsOfAnomaliesInOrder() {
        assertThat(Arrays.stream(AnomalyKind.values()).map(AnomalyKind::field))
                .containsExactlyElementsOf(Arrays.stream(Anomalies.class.getRecordComponents())
                        .map(RecordComponent::getName).toList());
        Anomalies a = new Anomalies(1, 2, 3, 4, 5, 6, 7);
        for (AnomalyKind k : AnomalyKind.values()) {
            assertThat(k.of(a)).as(k.field()).isEqualTo(k.ordinal() + 1);
            assertThat(k.label()).isNotBlank();
            assertThat(k.meaning()).isNotBlank();
        }
    }

    @Test
    void anomaliesAddUp() {
        Anomalies a = new Anomalies(1, 2, 3, 4, 5, 6, 7);
        assertThat(a.total()).isEqualTo(28);
        assertThat(a.kindsFound()).isEqualTo(7);
        assertThat(a.none()).isFalse();
        assertThat(Anomalies.NONE.total()).isZero();
        assertThat(Anomalies.NONE.none()).isTrue();
        assertThat(new Anomalies(0, 0, 0, 0, 0, 0, 2).kindsFound()).isEqualTo(1);
    }
}
