package dev.lockstep.console.backend;

import dev.lockstep.config.ConfigLoader;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.config.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line that starts a headless worker on the servers a console uses (the Workers view's
 * empty state): their URIs with passwords masked ({@link Secrets#mask}), and the keys every process of
 * a queue must share whenever they differ from the packaged defaults (docs/DESIGN.md, "The fleet").
 */
public final class WorkerStartCommand {
    /** Keys a worker must share with the console to work the same queue, in the order shown. */
    private static final List<String> SHARED_KEYS = List.of("queue.name", "queue.partitions", "mongo.database",
            "worker.heartbeat.ttl.ms");

    private WorkerStartCommand() {
    }

    /**
     * @param redisUri   the Redis the console uses (an embedded one's URI too)
     * @param mongoUri   the MongoDB the console uses
     * @param noIngest   whether the worker should serve no webhooks (the console's ingest takes them)
     */
    public static String of(LockstepConfig cfg, String redisUri, String mongoUri, boolean noIngest) {
        List<String> args = new ArrayList<>(List.of("java", "-jar", jar(), "worker"));
        if (noIngest) {
            args.add("--no-ingest");
        }
        args.addAll(List.of("--redis-uri", redisUri, "--mongo-uri", mongoUri));
        Map<String, String> defaults = ConfigLoader.defaults();
        Map<String, String> here = Map.of("queue.name", cfg.queueName(),
                "queue.partitions", Integer.toString(cfg.partitions()), "mongo.database", cfg.mongoDatabase(),
                "worker.heartbeat.ttl.ms", Long.toString(cfg.workerHeartbeatTtl().toMillis()));
        for (String key : SHARED_KEYS) {
            if (!here.get(key).equals(defaults.getOrDefault(key, "").trim())) {
                args.addAll(List.of("--set", key + "=" + here.get(key)));
            }
        }
        // masked first, then quoted: the *** must not be read as a glob by the shell it is pasted into
        return String.join(" ", args.stream().map(Secrets::mask).map(WorkerStartCommand::quoted).toList());
    }

    /** The jar this console runs from, else the one the build makes. */
    private static String jar() {
        try {
            Path p = Path.of(WorkerStartCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                Path cwd = Path.of("").toAbsolutePath();
                return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // no code source to read: the build's jar is the one to name
        }
        return "target/lockstep.jar";
    }

    /** Single quotes around an argument a shell would split or expand. */
    private static String quoted(String arg) {
        return arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
