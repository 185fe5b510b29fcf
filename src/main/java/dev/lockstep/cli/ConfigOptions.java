package dev.lockstep.cli;

import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The configuration flags every command shares; they override the file and the environment. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file overriding the packaged defaults.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key (repeatable), e.g. --set lease.ms=5000.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--redis-uri", paramLabel = "URI", description = "Redis to use (redis://host:port, redis-cluster://h1:p1,h2:p2); empty starts an embedded one.")
    String redisUri;

    @Option(names = "--mongo-uri", paramLabel = "URI", description = "MongoDB to use (mongodb://...); empty starts an embedded one.")
    String mongoUri;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where embedded servers keep their files.")
    String dataDir;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Webhook ingest port (0 = a free port).")
    String httpPort;

    @Option(names = "--workers", paramLabel = "N", description = "Worker threads in this process.")
    String workers;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the lane keyspace (same for every process of a queue).")
    String partitions;

    @Option(names = "--wait-seconds", paramLabel = "S", description = "How long to wait for an external Redis or MongoDB "
            + "that does not answer yet, logging once and then a line per interval (0 = fail at once; key wait.seconds).")
    String waitSeconds;

    @Option(names = "--insecure-dev", description = "Serve webhooks off loopback with the packaged (or an empty) "
            + "hmac.secret: a demo on a trusted network only.")
    boolean insecureDev;

    /** The effective configuration: packaged defaults, file, environment, then these flags. */
    public LockstepConfig load() {
        return load(System.getenv());
    }

    LockstepConfig load(Map<String, String> env) {
        Map<String, String> o = new LinkedHashMap<>(set);
        Map<String, String> typed = new LinkedHashMap<>();
        set.keySet().forEach(k -> typed.put(k, "--set " + k));
        put(o, typed, "redis.uri", "--redis-uri", redisUri);
        put(o, typed, "mongo.uri", "--mongo-uri", mongoUri);
        put(o, typed, "data.dir", "--data-dir", dataDir);
        put(o, typed, "http.port", "--http-port", httpPort);
        put(o, typed, "worker.threads", "--workers", workers);
        put(o, typed, "queue.partitions", "--partitions", partitions);
        put(o, typed, "wait.seconds", "--wait-seconds", waitSeconds);
        put(o, typed, "http.insecure.dev", "--insecure-dev", insecureDev ? "true" : null);
        return ConfigLoader.load(file, env, o, typed);
    }

    /** A flag's value overrides its key; an error about it names the flag as typed. */
    private static void put(Map<String, String> o, Map<String, String> typed, String key, String flag, String value) {
        if (value != null) {
            o.put(key, value);
            typed.put(key, flag);
        }
    }
}
