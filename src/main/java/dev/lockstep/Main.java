package dev.lockstep;

import dev.lockstep.bench.CompareBench;
import dev.lockstep.bench.QueueBenchCommand;
import dev.lockstep.cli.AdminCommand;
import dev.lockstep.cli.BurstCommand;
import dev.lockstep.cli.CompareCommand;
import dev.lockstep.cli.ConsoleCommand;
import dev.lockstep.cli.JvmRelaunch;
import dev.lockstep.cli.ScreenshotsCommand;
import dev.lockstep.cli.ServersCommand;
import dev.lockstep.cli.SoakCommand;
import dev.lockstep.cli.WorkerCommand;
import dev.lockstep.config.ConfigException;
import java.util.OptionalInt;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar lockstep.jar [console|worker|burst|compare|screenshots|soak|bench|bench-compare|servers|admin] ...}; no
 * command opens the console. The usage line lists the commands from the registered subcommands
 * ({@link #synopsis}), so it cannot fall behind them.
 */
@Command(name = "lockstep", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Per-order serialized webhook queue on Redis: console, headless worker, bursts and audits.",
        subcommands = {ConsoleCommand.class, WorkerCommand.class, BurstCommand.class, CompareCommand.class,
                ScreenshotsCommand.class, SoakCommand.class, QueueBenchCommand.class, CompareBench.class,
                ServersCommand.class, AdminCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        String[] full = withDefaultCommand(args);
        JvmRelaunch.exitWithParent();
        OptionalInt child = JvmRelaunch.runInChild(full, Main.class.getName());
        System.exit(child.isPresent() ? child.getAsInt() : commandLine().execute(full));
    }

    /** No command, or only options (e.g. {@code --data-dir X}), means the console. */
    static String[] withDefaultCommand(String[] args) {
        boolean onlyOptions = args.length == 0 || (args[0].startsWith("-")
                && !java.util.Set.of("-h", "--help", "-V", "--version").contains(args[0]));
        if (!onlyOptions) {
            return args;
        }
        String[] out = new String[args.length + 1];
        out[0] = "console";
        System.arraycopy(args, 0, out, 1, args.length);
        return out;
    }

    /**
     * The CLI with Lockstep's error handling: a bad flag value or bad input gets one line naming the flag and
     * a one-line hint, exit code 2; not the full usage, not a stack trace.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getCommandSpec().usageMessage().customSynopsis(synopsis(cl));
        cl.setParameterExceptionHandler((ex, args) -> {
            String message = ex.getMessage();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                message += " (did you mean " + String.join(" or ", u.getSuggestions().stream().limit(3).toList()) + "?)";
            }
            return badInput(ex.getCommandLine(), message);
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException || ex instanceof IllegalArgumentException) {
                return badInput(cmd, ex.getMessage());
            }
            LoggerFactory.getLogger(Main.class).debug("command failed", ex);
            // our own IllegalStateExceptions say what is wrong and what to do; others are shown as they are
            cmd.getErr().println("lockstep: could not run: "
                    + (ex instanceof IllegalStateException && ex.getMessage() != null ? ex.getMessage() : ex));
            return 1;
        });
        return cl;
    }

    /** {@code lockstep: <what is wrong>} and {@code see `lockstep burst --help`}: two lines, exit code 2. */
    private static int badInput(CommandLine cmd, String message) {
        String oneLine = String.valueOf(message).strip().replaceAll("\\s*\\R\\s*", "; ");
        cmd.getErr().println("lockstep: " + oneLine);
        cmd.getErr().println("see `" + cmd.getCommandSpec().qualifiedName() + " --help`");
        cmd.getErr().flush();
        return 2;
    }

    /** {@code lockstep [-hV] [console|worker|...] [ARGS...]}: every registered command, in registration order. */
    static String synopsis(CommandLine cl) {
        return cl.getCommandName() + " [-hV] [" + String.join("|", cl.getSubcommands().keySet()) + "] [ARGS...]";
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
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
