package dev.lockstep;

import dev.lockstep.cli.BurstCommand;
import dev.lockstep.cli.CompareCommand;
import dev.lockstep.cli.ConsoleCommand;
import dev.lockstep.cli.WorkerCommand;
import dev.lockstep.config.ConfigException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar lockstep.jar [console|worker|burst|compare|bench] ...}; no command opens the console. */
@Command(name = "lockstep", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Per-order serialized webhook queue on Redis: console, headless worker, bursts and audits.",
        subcommands = {ConsoleCommand.class, WorkerCommand.class, BurstCommand.class, CompareCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args.length == 0 ? new String[] {"console"} : args));
    }

    /** The CLI with Lockstep's error handling: bad input gets one clear line, not a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("lockstep: " + ex.getMessage());
                return 2;
            }
            LoggerFactory.getLogger(Main.class).debug("command failed", ex);
            cmd.getErr().println("lockstep: could not run: " + ex);
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Version from the jar manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"lockstep " + (v == null ? "dev" : v)};
        }
    }
}
