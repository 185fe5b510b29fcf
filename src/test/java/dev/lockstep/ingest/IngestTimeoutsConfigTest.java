package dev.lockstep.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.config.ConfigException;
import dev.lockstep.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code http.read.timeout.ms} and {@code http.idle.timeout.ms}: packaged defaults, overrides, bounds. */
class IngestTimeoutsConfigTest {

    @Test
    void thePackagedDefaultsReachTheIngestSettings() {
        IngestSettings settings = IngestSettings.from(ConfigLoader.load(null, Map.of(), Map.of()));
        assertThat(settings.readTimeout()).isEqualTo(IngestSettings.DEFAULT_READ_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.idleTimeout()).isEqualTo(IngestSettings.DEFAULT_IDLE_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void overridesApplyAndOutOfRangeValuesNameTheirKey() {
        IngestSettings settings = IngestSettings.from(ConfigLoader.load(null,
                Map.of("LOCKSTEP_HTTP_READ_TIMEOUT_MS", "5000"), Map.of("http.idle.timeout.ms", "700")));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofMillis(700));

        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.read.timeout.ms", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.read.timeout.ms");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("http.idle.timeout.ms", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.idle.timeout.ms");
    }
}
