package dev.lockstep.ingest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Shopify-Hmac-Sha256} signature: base64 of HMAC-SHA256 over the raw body bytes with a
 * shared secret. Thread-safe.
 */
public final class WebhookSignature {
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public WebhookSignature(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("HMAC secret is empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header value for {@code body}. */
    public String sign(byte[] body) {
        return Base64.getEncoder().encodeToString(mac(body));
    }

    /**
     * Whether {@code headerValue} is the signature of exactly these bytes. Compares in constant time
     * so the answer leaks nothing about how much of a forged signature was right.
     */
    public boolean verify(byte[] body, String headerValue) {
        if (headerValue == null) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(headerValue.trim());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        return MessageDigest.isEqual(mac(body), claimed);
    }

    private byte[] mac(byte[] body) {
        // doFinal resets the Mac for its next message; a Mac is not thread-safe, so one per thread
        // (Mac.getInstance and init per request were a third of a webhook's parsing CPU)
        return macs.get().doFinal(body);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
