package dev.lockstep.testing;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A MongoDB-wire server (mongo-java-server, in memory) that requires authentication as a real
 * MongoDB with {@code --auth} does: SCRAM-SHA-256 (RFC 5802 / RFC 7677) through {@code saslStart} /
 * {@code saslContinue}, one user, and every command but the handshake refused with code 13
 * (Unauthorized) on a connection that has not authenticated. mongo-java-server itself has no
 * authentication; this lets tests drive the real driver's credential handling end to end.
 */
public final class ScramMongoServer implements AutoCloseable {
    private static final Set<String> BEFORE_AUTH = Set.of("ismaster", "hello", "saslstart", "saslcontinue", "ping",
            "buildinfo", "getlasterror", "endsessions");
    private static final int ITERATIONS = 4096;

    private final String user;
    private final byte[] salt = new byte[16];
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final MongoServer server;
    private final Map<Channel, Conversation> conversations = new ConcurrentHashMap<>();
    private final Set<Channel> authenticated = ConcurrentHashMap.newKeySet();
    /** Authentications refused (wrong user or proof), for tests. */
    public final AtomicInteger refusals = new AtomicInteger();
    /** Commands refused for want of authentication, for tests. */
    public final AtomicInteger unauthorized = new AtomicInteger();

    private record Conversation(String clientFirstBare, String serverFirst, String nonce) {
    }

    public ScramMongoServer(String user, String password) {
        this.user = user;
        new SecureRandom().nextBytes(salt);
        byte[] salted = pbkdf2(password, salt);
        this.storedKey = sha256(hmac(salted, "Client Key"));
        this.serverKey = hmac(salted, "Server Key");
        this.server = new MongoServer(new MemoryBackend() {
            @Override
            public Document handleCommand(Channel channel, String database, String command, Document query) {
                String c = command.toLowerCase(java.util.Locale.ROOT);
                if (c.equals("saslstart")) {
                    return saslStart(channel, query);
                }
                if (c.equals("saslcontinue")) {
                    return saslContinue(channel, query);
                }
                if (!BEFORE_AUTH.contains(c) && !authenticated.contains(channel)) {
                    unauthorized.incrementAndGet();
                    throw new MongoServerError(13, "Unauthorized", "command " + command + " requires authentication");
                }
                Document answer = super.handleCommand(channel, database, command, query);
                if ((c.equals("ismaster") || c.equals("hello")) && query.containsKey("saslSupportedMechs")) {
                    answer.put("saslSupportedMechs", List.of("SCRAM-SHA-256"));
                }
                return answer;
            }

            @Override
            public void handleClose(Channel channel) {
                conversations.remove(channel);
                authenticated.remove(channel);
                super.handleClose(channel);
            }
        });
        server.bind("127.0.0.1", 0);
    }

    /** {@code mongodb://user:password@127.0.0.1:port/?authSource=admin}; the password as given. */
    public String uri(String userInUri, String password) {
        return "mongodb://" + userInUri + ":" + password + "@127.0.0.1:" + server.getLocalAddress().getPort()
                + "/?authSource=admin";
    }

    /** The URI without credentials. */
    public String uriWithoutCredentials() {
        return "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    }

    private Document saslStart(Channel channel, Document query) {
        if (!"SCRAM-SHA-256".equals(query.get("mechanism"))) {
            refusals.incrementAndGet();
            throw new MongoServerError(2, "BadValue", "mechanism not supported: " + query.get("mechanism"));
        }
        String clientFirst = new String(payload(query), StandardCharsets.UTF_8);
        if (!clientFirst.startsWith("n,,")) {
            throw new MongoServerError(2, "BadValue", "unexpected GS2 header");
        }
        String bare = clientFirst.substring(3);
        Map<String, String> attrs = attributes(bare);
        if (!user.equals(attrs.get("n"))) {
            refusals.incrementAndGet();
            throw authenticationFailed();
        }
        byte[] mine = new byte[18];
        new SecureRandom().nextBytes(mine);
        String nonce = attrs.get("r") + Base64.getEncoder().encodeToString(mine);
        String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + ITERATIONS;
        conversations.put(channel, new Conversation(bare, serverFirst, nonce));
        return reply(false, serverFirst);
    }

    private Document saslContinue(Channel channel, Document query) {
        Conversation conv = conversations.remove(channel);
        if (conv == null) {
            throw new MongoServerError(17, "ProtocolError", "no SASL conversation");
        }
        String clientFinal = new String(payload(query), StandardCharsets.UTF_8);
        int proofAt = clientFinal.lastIndexOf(",p=");
        Map<String, String> attrs = attributes(clientFinal);
        if (proofAt < 0 || !conv.nonce().equals(attrs.get("r"))) {
            refusals.incrementAndGet();
            throw authenticationFailed();
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        String authMessage = conv.clientFirstBare() + "," + conv.serverFirst() + "," + withoutProof;
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] proof = Base64.getDecoder().decode(attrs.get("p"));
        if (proof.length != clientSignature.length) {
            refusals.incrementAndGet();
            throw authenticationFailed();
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(sha256(clientKey), storedKey)) {
            refusals.incrementAndGet();
            throw authenticationFailed();
        }
        authenticated.add(channel);
        return reply(true, "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage)));
    }

    private static MongoServerError authenticationFailed() {
        return new MongoServerError(18, "AuthenticationFailed", "Authentication failed.");
    }

    private static Document reply(boolean done, String payload) {
        Document d = new Document();
        d.put("conversationId", 1);
        d.put("done", done);
        d.put("payload", new BinData(payload.getBytes(StandardCharsets.UTF_8)));
        d.put("ok", 1.0);
        return d;
    }

    private static byte[] payload(Document query) {
        Object p = query.get("payload");
        if (p instanceof BinData b) {
            return b.getData();
        }
        if (p instanceof byte[] bytes) {
            return bytes;
        }
        throw new MongoServerError(2, "BadValue", "payload is not binary");
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String part : message.split(",")) {
            int eq = part.indexOf('=');
            if (eq == 1) {
                m.put(part.substring(0, 1), part.substring(2));
            }
        }
        return m;
    }

    private static byte[] pbkdf2(String password, byte[] salt) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
