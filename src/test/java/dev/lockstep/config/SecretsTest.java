package dev.lockstep.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one masking helper: every URI's password, wherever it sits in a text. */
class SecretsTest {

    @Test
    void masksThePasswordOfEachUriAndKeepsTheRest() {
        assertThat(Secrets.mask("redis://user:pw@host:6379/0")).isEqualTo("redis://user:***@host:6379/0");
        assertThat(Secrets.mask("rediss://:pw@10.0.0.5:6380")).isEqualTo("rediss://:***@10.0.0.5:6380");
        assertThat(Secrets.mask("redis://pw@host:6379")).isEqualTo("redis://***@host:6379");
        assertThat(Secrets.mask("redis-cluster://u:pw@h1:7000,h2:7001")).isEqualTo("redis-cluster://u:***@h1:7000,h2:7001");
        assertThat(Secrets.mask("mongodb://app:pw@h1:27017,h2:27017/db?authSource=admin"))
                .isEqualTo("mongodb://app:***@h1:27017,h2:27017/db?authSource=admin");
        assertThat(Secrets.mask("Redis redis://a:one@h1:1 (external), MongoDB mongodb://b:two@h2:2 (external)"))
                .isEqualTo("Redis redis://a:***@h1:1 (external), MongoDB mongodb://b:***@h2:2 (external)");
    }

    @Test
    void aPasswordWithUnescapedAtOrSlashIsMaskedWhole() {
        assertThat(Secrets.mask("redis://u:p@ss/w@host:1")).isEqualTo("redis://u:***@host:1");
    }

    @Test
    void passwordOptionsInTheQueryAreMasked() {
        assertThat(Secrets.mask("mongodb://h/?tls=true&tlsCertificateKeyFilePassword=pw&appName=x"))
                .isEqualTo("mongodb://h/?tls=true&tlsCertificateKeyFilePassword=***&appName=x");
    }

    @Test
    void textWithoutCredentialsIsUnchanged() {
        for (String s : new String[] {"redis://127.0.0.1:6379", "mongodb://127.0.0.1:27017/?w=1", "plain", "", null}) {
            assertThat(Secrets.mask(s)).isEqualTo(s);
        }
    }

    @Test
    void theConfigAndItsErrorsNeverShowPasswordsOrTheSecret() {
        LockstepConfig c = ConfigLoader.load(null, Map.of("LOCKSTEP_HMAC_SECRET", "hmac-of-ours"), Map.of(
                "redis.uri", "redis://u:redis-pw@h:1", "mongo.uri", "mongodb://u:mongo-pw@h:2"));
        assertThat(c.toString()).doesNotContain("redis-pw", "mongo-pw", "hmac-of-ours")
                .contains("redis://u:***@h:1", "mongodb://u:***@h:2");

        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("redis.uri", "http://u:web-pw@h:1")))
                .hasMessageContaining("redis.uri").hasMessageNotContaining("web-pw");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("mongo.uri", "mongo://u:bad pw@h:1")))
                .hasMessageContaining("mongo.uri").hasMessageNotContaining("bad pw");
    }

    @Test
    void theWellKnownSecretsAreThePackagedAndTheEmptyOne() {
        assertThat(Secrets.isWellKnownHmacSecret(Secrets.PACKAGED_HMAC_SECRET)).isTrue();
        assertThat(Secrets.isWellKnownHmacSecret(" ")).isTrue();
        assertThat(Secrets.isWellKnownHmacSecret("ours")).isFalse();
        assertThat(ConfigLoader.defaults()).containsEntry("hmac.secret", Secrets.PACKAGED_HMAC_SECRET)
                .containsEntry("http.insecure.dev", "false").containsEntry("redis.tls.ca.file", "");
    }
}
