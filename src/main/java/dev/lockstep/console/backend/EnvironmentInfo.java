package dev.lockstep.console.backend;

import dev.lockstep.config.Secrets;
import dev.lockstep.pipeline.Mode;
import java.util.Objects;

/**
 * What the status bar shows about the servers and this process.
 *
 * @param redisEndpoint  Redis URI (host:port), its password masked whatever it is given ({@link Secrets#mask})
 * @param redisEmbedded  whether this process started that Redis
 * @param redisHealthy   whether it answered a PING just now
 * @param mongoEndpoint  MongoDB URI, its password masked likewise
 * @param mongoEmbedded  whether this process started that MongoDB-wire server
 * @param mongoHealthy   whether it answered just now
 * @param workerThreads  worker threads in this process (0 when only attached to headless workers elsewhere)
 * @param mode           the mode the console currently shows and bursts into
 * @param ingestUrl      the webhook ingest URL, empty when no ingest runs here
 * journalWaiting: journal entries buffered while MongoDB does not take them; journalDropped:
 * entries dropped past the journal's bound (never silently: the status bar shows both).
 */
public record EnvironmentInfo(String redisEndpoint, boolean redisEmbedded, boolean redisHealthy,
                              String mongoEndpoint, boolean mongoEmbedded, boolean mongoHealthy,
                              int workerThreads, Mode mode, String ingestUrl, long journalWaiting,
                              long journalDropped) {
    public EnvironmentInfo {
        Objects.requireNonNull(redisEndpoint, "redisEndpoint");
        Objects.requireNonNull(mongoEndpoint, "mongoEndpoint");
        Objects.requireNonNull(mode, "mode");
        // the status bar shows these and the console's screenshots keep them: never a password
        redisEndpoint = Secrets.mask(redisEndpoint);
        mongoEndpoint = Secrets.mask(mongoEndpoint);
        ingestUrl = ingestUrl == null ? "" : Secrets.mask(ingestUrl);
    }

    /** Whether the console is attached to servers it did not start. */
    public boolean attached() {
        return !redisEmbedded && !mongoEmbedded;
    }

    /** Before the first answer of the backend. */
    public static final EnvironmentInfo UNKNOWN =
            new EnvironmentInfo("—", false, false, "—", false, false, 0, Mode.LOCKSTEP, "", 0, 0);
}
