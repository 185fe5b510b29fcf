package dev.lockstep.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is secret in a configuration, and the one way it is hidden wherever a URI, a config or an
 * error is shown (logs, the console, reports, {@code /health}): the password of every URI in a text
 * becomes {@code ***} ({@code redis://user:***@host:6379}), as do query options naming a password.
 */
public final class Secrets {
    /** The {@code hmac.secret} shipped in {@code config/lockstep.properties}: public, fit for a demo only. */
    public static final String PACKAGED_HMAC_SECRET = "lockstep-dev-secret";
    /** What stands in for a hidden secret. */
    public static final String MASK = "***";

    /**
     * {@code scheme://user:password@}: the user part stops at the first {@code :}, the password runs
     * to the last {@code @} before white space, so a password holding an unescaped {@code @} or
     * {@code /} is masked whole (over-masking a path is harmless, a leak is not).
     */
    private static final Pattern USER_INFO =
            Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^\\s/?#@:]*)(:[^\\s]*)?@");
    /** A query option such as {@code password=...} or {@code tlsCertificateKeyFilePassword=...}. */
    private static final Pattern PASSWORD_OPTION =
            Pattern.compile("([?&;][A-Za-z0-9_.-]*(?i:password|secret)[A-Za-z0-9_.-]*=)[^&;#\\s]*");

    private Secrets() {
    }

    /**
     * The text with the password of every URI in it masked: {@code redis://user:***@host:6379},
     * {@code redis://***@host} for a user part without a password separator (Redis reads a lone user
     * part as the password). Null stays null.
     */
    public static String mask(String text) {
        if (text == null || text.indexOf("://") < 0) {
            return text;
        }
        Matcher m = USER_INFO.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        while (m.find()) {
            String user = m.group(2);
            String replacement = m.group(3) == null ? m.group(1) + MASK + "@" : m.group(1) + user + ":" + MASK + "@";
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        Matcher o = PASSWORD_OPTION.matcher(sb);
        return o.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
    }

    /** Whether an HMAC secret is one anybody can know: empty, or the packaged one. */
    public static boolean isWellKnownHmacSecret(String secret) {
        return secret == null || secret.isBlank() || secret.trim().equals(PACKAGED_HMAC_SECRET);
    }

    /** How to set a real HMAC secret, for error messages. */
    public static String howToSetHmacSecret() {
        return "Set hmac.secret to a secret of your own: --set hmac.secret=... or the environment variable "
                + ConfigLoader.envName("hmac.secret");
    }
}
