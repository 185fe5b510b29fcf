package dev.lockstep.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final byte[] FOX = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsWithHmacSha256InBase64() {
        // The well-known HMAC-SHA256 test value for key "key" and this message.
        String expected = Base64.getEncoder().encodeToString(HexFormat.of()
                .parseHex("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"));

        assertThat(new WebhookSignature("key").sign(FOX)).isEqualTo(expected);
    }

    @Test
    void verifiesOnlyTheSignatureOfTheseExactBytesWithThisSecret() {
        WebhookSignature signature = new WebhookSignature("key");
        String valid = signature.sign(FOX);
        byte[] oneByteChanged = FOX.clone();
        oneByteChanged[0] = 't';

        assertThat(signature.verify(FOX, valid)).isTrue();
        assertThat(signature.verify(FOX, " " + valid + " ")).isTrue();
        assertThat(signature.verify(oneByteChanged, valid)).isFalse();
        assertThat(signature.verify(FOX, new WebhookSignature("other").sign(FOX))).isFalse();
        assertThat(signature.verify(FOX, valid.substring(0, 20))).isFalse();
        assertThat(signature.verify(FOX, "%%% not base64 %%%")).isFalse();
        assertThat(signature.verify(FOX, "")).isFalse();
        assertThat(signature.verify(FOX, null)).isFalse();
    }

    @Test
    void refusesAnEmptySecret() {
        assertThatThrownBy(() -> new WebhookSignature("")).isInstanceOf(IllegalArgumentException.class);
    }
}
