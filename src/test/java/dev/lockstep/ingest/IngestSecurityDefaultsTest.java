package dev.lockstep.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lockstep.config.ConfigException;
import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.Secrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Security defaults of the ingest: the packaged (public) HMAC secret serves on loopback only; on an
 * address other machines reach it refuses to start unless insecure dev mode is asked for.
 */
class IngestSecurityDefaultsTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final RecordingPipeline pipeline = new RecordingPipeline();
    private final ch.qos.logback.classic.Logger serverLog =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(WebhookServer.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        lines.start();
        serverLog.addAppender(lines);
    }

    @AfterEach
    void releaseLog() {
        serverLog.detachAppender(lines);
    }

    @Test
    void anyAddressWithThePackagedSecretIsRefusedNamingTheSetting() {
        IngestSettings settings = IngestSettings.from(ConfigLoader.load(null, Map.of(), config("0.0.0.0", null, null)));
        assertThat(settings.hmacSecret()).isEqualTo(Secrets.PACKAGED_HMAC_SECRET);

        assertThatThrownBy(() -> WebhookServer.start(settings, pipeline, HealthProbe.ALWAYS_UP))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hmac.secret")
                .hasMessageContaining("--set hmac.secret=")
                .hasMessageContaining("LOCKSTEP_HMAC_SECRET")
                .hasMessageContaining("http.insecure.dev")
                .hasMessageNotContaining(Secrets.PACKAGED_HMAC_SECRET);
    }

    @Test
    void anyAddressWithARealSecretStartsAndServes() throws Exception {
        IngestSettings settings = IngestSettings.from(ConfigLoader.load(null, Map.of(),
                config("0.0.0.0", "a-secret-of-our-own", null)));

        try (WebhookServer server = WebhookServer.start(settings, pipeline, HealthProbe.ALWAYS_UP)) {
            assertThat(health(server)).isEqualTo(200);
        }
        assertThat(warnings()).isEmpty();
    }

    @Test
    void insecureDevModeStartsWithTheAddressWithALoudWarning() throws Exception {
        IngestSettings settings = IngestSettings.from(ConfigLoader.load(null, Map.of(),
                config("0.0.0.0", null, "true")));

        try (WebhookServer server = WebhookServer.start(settings, pipeline, HealthProbe.ALWAYS_UP)) {
            assertThat(health(server)).isEqualTo(200);
        }
        assertThat(warnings()).singleElement().satisfies(w -> assertThat(w)
                .contains("INSECURE DEV MODE", "0.0.0.0", "hmac.secret").doesNotContain(Secrets.PACKAGED_HMAC_SECRET));
    }

    @Test
    void loopbackWithThePackagedSecretStarts() throws Exception {
        IngestSettings settings = IngestSettings.from(ConfigLoader.load(null, Map.of(), config("127.0.0.1", null, null)));

        try (WebhookServer server = WebhookServer.start(settings, pipeline, HealthProbe.ALWAYS_UP)) {
            assertThat(health(server)).isEqualTo(200);
        }
        assertThat(warnings()).isEmpty();
    }

    @Test
    void anEmptySecretIsRefusedOffLoopbackToo() {
        IngestSettings empty = new IngestSettings("0.0.0.0", 0, 4096, " ");

        assertThatThrownBy(() -> WebhookServer.start(empty, pipeline, HealthProbe.ALWAYS_UP))
                .isInstanceOf(ConfigException.class).hasMessageContaining("an empty hmac.secret");
    }

    @Test
    void theSettingsNeverPrintTheSecret() {
        IngestSettings settings = new IngestSettings("127.0.0.1", 0, 4096, "s3cr3t-value");

        assertThat(settings.toString()).doesNotContain("s3cr3t-value").contains("hmacSecret=***");
    }

    private static Map<String, String> config(String bind, String secret, String insecureDev) {
        Map<String, String> o = new HashMap<>();
        o.put("http.bind", bind);
        o.put("http.port", "0");
        if (secret != null) {
            o.put("hmac.secret", secret);
        }
        if (insecureDev != null) {
            o.put("http.insecure.dev", insecureDev);
        }
        return o;
    }

    private List<String> warnings() {
        return lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static int health(WebhookServer server) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + WebhookServer.HEALTH_PATH))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

}
