package dev.lockstep.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Builds a {@link LockstepConfig} from, in rising precedence: the packaged
 * {@code config/lockstep.properties}, an optional file, environment variables
 * ({@code LOCKSTEP_<KEY>}) and command-line overrides. Unknown keys and bad values are errors that
 * name the key.
 */
public final class ConfigLoader {
    private static final String DEFAULTS = "/config/lockstep.properties";

    private ConfigLoader() {
    }

    /** The packaged defaults, with the process environment and the given overrides applied. */
    public static LockstepConfig load(Path file, Map<String, String> overrides) {
        return load(file, System.getenv(), overrides);
    }

    public static LockstepConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        return load(file, env, overrides, Map.of());
    }

    /**
     * As {@link #load(Path, Map, Map)}, where {@code overrideNames} says how the user spelled each override
     * (e.g. {@code http.port -> --http-port}), so an error names what was typed; an override without a name is
     * "command line". A value from the environment is named by its variable, one from a file by the file.
     */
    public static LockstepConfig load(Path file, Map<String, String> env, Map<String, String> overrides,
                                      Map<String, String> overrideNames) {
        Map<String, String> values = defaults();
        Map<String, String> origins = new LinkedHashMap<>();
        values.keySet().forEach(k -> origins.put(k, "packaged default"));
        if (file != null) {
            Map<String, String> fromFile = checkedKeys(readFile(file), values.keySet(), "file " + file);
            values.putAll(fromFile);
            fromFile.keySet().forEach(k -> origins.put(k, "file " + file));
        }
        for (String key : values.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
                origins.put(key, "env " + envName(key));
            }
        }
        values.putAll(checkedKeys(overrides, values.keySet(), "command line"));
        overrides.keySet().forEach(k -> origins.put(k, overrideNames.getOrDefault(k, "command line")));
        return validate(new Values(values, origins));
    }

    /** The environment variable of a key: {@code redis.uri -> LOCKSTEP_REDIS_URI}. */
    public static String envName(String key) {
        return "LOCKSTEP_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The packaged defaults, key order kept. */
    public static Map<String, String> defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new ConfigException("packaged defaults " + DEFAULTS + " are missing from the classpath");
            }
            return toMap(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read packaged defaults " + DEFAULTS, e);
        }
    }

    private static Map<String, String> readFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return toMap(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> toMap(InputStream in) throws IOException {
        Properties p = new Properties();
        try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k, p.getProperty(k).trim());
        }
        return m;
    }

    private static Map<String, String> checkedKeys(Map<String, String> given, Set<String> known, String source) {
        for (String k : given.keySet()) {
            if (!known.contains(k)) {
                throw new ConfigException("unknown configuration key '" + k + "' in " + source
                        + " (known keys: " + String.join(", ", known) + ")");
            }
        }
        return given;
    }

    private static LockstepConfig validate(Values v) {
        String fsync = v.get("redis.embedded.appendfsync");
        if (!Set.of("always", "everysec", "no").contains(fsync)) {
            throw v.bad("redis.embedded.appendfsync", fsync, "always, everysec or no");
        }
        String durability = v.get("mongo.embedded.durability").trim().toLowerCase(Locale.ROOT);
        if (!Set.of("commit", "background").contains(durability)) {
            throw v.bad("mongo.embedded.durability", durability, "commit or background");
        }
        String redisUri = v.get("redis.uri");
        if (!redisUri.isBlank() && !(redisUri.startsWith("redis://") || redisUri.startsWith("rediss://")
                || redisUri.startsWith("redis-cluster://"))) {
            throw v.bad("redis.uri", redisUri, "empty, redis://host:port, rediss://host:port or redis-cluster://host:port,...");
        }
        String mongoUri = v.get("mongo.uri");
        if (!mongoUri.isBlank() && !(mongoUri.startsWith("mongodb://") || mongoUri.startsWith("mongodb+srv://"))) {
            throw v.bad("mongo.uri", mongoUri, "empty or a mongodb:// connection string");
        }
        String db = v.get("mongo.database");
        if (db.isBlank() || !db.matches("[A-Za-z0-9_-]{1,48}")) {
            throw v.bad("mongo.database", db, "1-48 letters, digits, _ or -");
        }
        String queue = v.get("queue.name");
        if (queue.isBlank() || !queue.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw v.bad("queue.name", queue, "1-64 letters, digits, _, . or -");
        }
        long backoff = longIn(v, "retry.backoff.ms", 0, 3_600_000);
        long backoffMax = longIn(v, "retry.backoff.max.ms", 0, 3_600_000);
        if (backoffMax < backoff) {
            throw v.bad("retry.backoff.max.ms", String.valueOf(backoffMax), "at least retry.backoff.ms (" + backoff + ")");
        }
        String secret = v.get("hmac.secret");
        if (secret.isEmpty()) {
            throw v.bad("hmac.secret", "", "a non-empty secret");
        }
        String journal = v.get("journal.enabled").toLowerCase(Locale.ROOT);
        if (!journal.equals("true") && !journal.equals("false")) {
            throw v.bad("journal.enabled", journal, "true or false");
        }
        String writeConcern = v.get("mongo.write.concern").toLowerCase(Locale.ROOT);
        if (!Set.of(LockstepConfig.WRITE_CONCERN_MAJORITY, LockstepConfig.WRITE_CONCERN_W1,
                LockstepConfig.WRITE_CONCERN_ACKNOWLEDGED).contains(writeConcern)) {
            throw v.bad("mongo.write.concern", v.get("mongo.write.concern"), "majority, w1 or acknowledged");
        }
        long retryBase = longIn(v, "burst.retry.base.ms", 1, 600_000);
        long retryCap = longIn(v, "burst.retry.cap.ms", 1, 3_600_000);
        if (retryCap < retryBase) {
            throw v.bad("burst.retry.cap.ms", String.valueOf(retryCap), "at least burst.retry.base.ms (" + retryBase + ")");
        }
        String insecureDev = v.get("http.insecure.dev").toLowerCase(Locale.ROOT);
        if (!insecureDev.equals("true") && !insecureDev.equals("false")) {
            throw v.bad("http.insecure.dev", insecureDev, "true or false");
        }
        String caFile = v.get("redis.tls.ca.file");
        if (!caFile.isBlank()) {
            Path ca = expandHome(v, "redis.tls.ca.file", caFile);
            if (!Files.isRegularFile(ca) || !Files.isReadable(ca)) {
                throw v.bad("redis.tls.ca.file", caFile, "empty or a readable PEM file of CA certificates");
            }
            caFile = ca.toString();
        }
        String bind = v.get("http.bind");
        if (bind.isBlank()) {
            throw v.bad("http.bind", bind, "a host name or address to bind");
        }
        return new LockstepConfig(
                redisUri,
                fsync,
                durability,
                mongoUri,
                db,
                dataDir(v),
                queue,
                (int) longIn(v, "queue.partitions", 1, 1024),
                (int) longIn(v, "worker.threads", 1, 1024),
                (int) longIn(v, "worker.lanes", 1, 4096),
                Duration.ofMillis(longIn(v, "lease.ms", 100, 3_600_000)),
                Duration.ofSeconds(longIn(v, "dedup.ttl.seconds", 60, 2_592_000)),
                (int) longIn(v, "retry.attempts", 1, 100),
                Duration.ofMillis(backoff),
                Duration.ofMillis(backoffMax),
                Duration.ofMillis(longIn(v, "handler.deadline.ms", 10, 86_400_000)),
                bind,
                (int) longIn(v, "http.port", 0, 65535),
                (int) longIn(v, "http.max.body.bytes", 1024, 67_108_864),
                secret,
                Boolean.parseBoolean(journal),
                Duration.ofMillis(longIn(v, "mongo.timeout.ms", 0, 3_600_000)),
                Duration.ofMillis(longIn(v, "mongo.connect.timeout.ms", 100, 600_000)),
                writeConcern,
                (int) longIn(v, "journal.buffer", 1_000, 10_000_000),
                (int) longIn(v, "runs.retain", 1, 1_000),
                Duration.ofSeconds(longIn(v, "wait.seconds", 0, 86_400)),
                (int) longIn(v, "burst.retry.attempts", 0, 100),
                Duration.ofMillis(retryBase),
                Duration.ofMillis(retryCap),
                Boolean.parseBoolean(insecureDev),
                caFile,
                Duration.ofMillis(longIn(v, "http.read.timeout.ms", 100, 3_600_000)),
                Duration.ofMillis(longIn(v, "http.idle.timeout.ms", 100, 86_400_000)),
                Duration.ofMillis(longIn(v, "worker.heartbeat.ttl.ms", 500, 600_000)));
    }

    private static Path dataDir(Values v) {
        String raw = v.get("data.dir");
        if (raw.isBlank()) {
            throw v.bad("data.dir", raw, "a directory path");
        }
        return expandHome(v, "data.dir", raw);
    }

    /** An absolute path; {@code ~} at the start is the user's home directory. */
    private static Path expandHome(Values v, String key, String raw) {
        String expanded = raw.startsWith("~") ? System.getProperty("user.home") + raw.substring(1) : raw;
        try {
            return Path.of(expanded).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(v.bad(key, raw, "a valid path").getMessage() + " (" + e.getMessage() + ")", e);
        }
    }

    private static long longIn(Values v, String key, long min, long max) {
        String raw = v.get(key);
        long n;
        try {
            n = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw v.bad(key, raw, "a whole number from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw v.bad(key, raw, "a whole number from " + min + " to " + max);
        }
        return n;
    }

    /** The merged values and where each came from, to name it in an error. */
    private record Values(Map<String, String> values, Map<String, String> origins) {
        String get(String key) {
            return values.get(key);
        }

        /**
         * {@code invalid value '99999' for --http-port (http.port): expected ...}: the flag or {@code --set}
         * the user typed, else the key and its source (an environment variable only when the value came
         * from it). The value is shown with its passwords masked, and a bad {@code hmac.secret} is never shown.
         */
        ConfigException bad(String key, String value, String expected) {
            String origin = origins.getOrDefault(key, "packaged default");
            String what = origin.startsWith("-") ? origin + (origin.contains(key) ? "" : " (" + key + ")")
                    : key + " (" + origin + ")";
            String shown = key.equals("hmac.secret") && !value.isEmpty() ? Secrets.MASK : Secrets.mask(value);
            if (shown.equals(value) && value.contains("://") && value.contains("@")) {
                shown = value.substring(0, value.indexOf("://") + 3) + Secrets.MASK; // user info the mask cannot parse
            }
            return new ConfigException("invalid value '" + shown + "' for " + what + ": expected " + expected);
        }
    }
}
