package dev.lockstep.embedded;

import dev.lockstep.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS of a {@code rediss://} Redis: whom to trust ({@code redis.tls.ca.file}, else the JVM's default
 * trust store) and a check that the server's certificate names the host the URI names (Jedis checks
 * no host name unless told to).
 */
final class RedisTls {
    private RedisTls() {
    }

    /** A socket factory trusting the CA certificates of a PEM file; null for an empty path (the JVM's default). */
    static SSLSocketFactory socketFactory(String caFile) {
        if (caFile == null || caFile.isBlank()) {
            return null;
        }
        try (InputStream in = Files.newInputStream(Path.of(caFile))) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ConfigException("redis.tls.ca.file " + caFile + " holds no PEM certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trusted.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot use redis.tls.ca.file " + caFile + " (env LOCKSTEP_REDIS_TLS_CA_FILE): "
                    + e.getMessage(), e);
        }
    }

    /** Parameters that make the handshake check the server's name against its certificate. */
    static SSLParameters verifyHostName() {
        SSLParameters p = new SSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        return p;
    }
}
