package dev.lockstep.cli;

import dev.lockstep.console.view.Format;
import dev.lockstep.fleet.WorkerInfo;
import dev.lockstep.mode.LockstepAdmin;
import dev.lockstep.queue.LeaseInfo;
import dev.lockstep.queue.ParkedLane;
import dev.lockstep.runtime.LockstepRuntime;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep admin ...}: the console's operator controls ({@link LockstepAdmin}) on the command
 * line, against the configured Redis/MongoDB, without starting workers or an ingest. Each step that
 * changes a lane is recorded in the order's journal with the operator, as the console's are
 * (docs/DESIGN.md, "Runs and the journal"). Exit codes: 0 done, 1 nothing to do, 2 bad input.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Operator controls of the lockstep queue: worker processes, held locks, parked lanes; release, "
                + "retry, skip, "
                + "pause, resume an order's lane.",
                "",
                "Each step that changes a lane is recorded in the order's journal with the operator (user@host).",
                "",
                "Point it at the workers' servers with --redis-uri and --mongo-uri (or run `lockstep servers` and "
                + "point workers and admin at it): without them it starts embedded servers on its own data dir, "
                + "which no worker of another process uses."},
        footer = {"", "Exit codes: 0 done, 1 nothing to do (e.g. the order has no parked head), 2 bad input."},
        subcommands = {AdminCommand.Workers.class, AdminCommand.Locks.class, AdminCommand.Parked.class, AdminCommand.Release.class,
                AdminCommand.Retry.class, AdminCommand.Skip.class, AdminCommand.Pause.class,
                AdminCommand.Resume.class})
public final class AdminCommand implements Runnable {
    /** Exit code of a step that found nothing to do. */
    static final int NOTHING_TO_DO = 1;
    /** How many paused lanes {@code pause} reads to tell "paused already" (and record nothing). */
    private static final int PAUSED_READ_LIMIT = 10_000;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One admin step: opens the configured servers, runs against {@link LockstepAdmin}, closes them. */
    abstract static class Step implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Spec
        CommandSpec spec;

        @Override
        public final Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (LockstepRuntime runtime = LockstepRuntime.start(config.load())) {
                int code = run(runtime, out);
                out.flush();
                return code;
            }
        }

        abstract int run(LockstepRuntime runtime, PrintWriter out);
    }

    /** A step through the operator controls ({@link LockstepAdmin}). */
    abstract static class AdminStep extends Step {
        @Override
        final int run(LockstepRuntime runtime, PrintWriter out) {
            return run(runtime.admin(), out);
        }

        abstract int run(LockstepAdmin admin, PrintWriter out);
    }

    /** A step on one order's lane. */
    abstract static class OrderStep extends AdminStep {
        @Option(names = "--order", required = true, paramLabel = "N", description = "The order id (positive).")
        long orderId;

        @Override
        int run(LockstepAdmin admin, PrintWriter out) {
            if (orderId <= 0) {
                throw new IllegalArgumentException("--order must be a positive order id: " + orderId);
            }
            return onOrder(admin, out);
        }

        abstract int onOrder(LockstepAdmin admin, PrintWriter out);

        /** Prints what was done (exit 0) or why there was nothing to do (exit 1). */
        int outcome(PrintWriter out, boolean done, String didIt, String nothing) {
            out.println("order " + orderId + ": " + (done ? didIt : nothing));
            return done ? 0 : NOTHING_TO_DO;
        }
    }

    abstract static class Listing extends AdminStep {
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N rows (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(LockstepAdmin admin, PrintWriter out) {
            if (limit <= 0) {
                throw new IllegalArgumentException("--limit must be positive: " + limit);
            }
            return list(admin, out);
        }

        abstract int list(LockstepAdmin admin, PrintWriter out);
    }

    @Command(name = "workers", mixinStandardHelpOptions = true,
            description = "Worker processes (and consoles running workers) on this queue, from their heartbeats: "
                    + "id (host:pid, the prefix of their lock holders' names), threads, lanes held, events/s.")
    static final class Workers extends Step {
        @Override
        int run(LockstepRuntime runtime, PrintWriter out) {
            List<WorkerInfo> workers = runtime.workerRegistry().list();
            if (workers.isEmpty()) {
                out.println("no worker processes (start one: java -jar lockstep.jar worker --redis-uri ... "
                        + "--mongo-uri ...)");
                return 0;
            }
            long now = System.currentTimeMillis();
            out.printf("%-28s %-8s %-10s %7s %6s %10s %9s  %s%n", "id", "kind", "mode", "threads", "held",
                    "events/s", "up", "ingest");
            for (WorkerInfo w : workers) {
                out.printf("%-28s %-8s %-10s %7d %6d %10.1f %9s  %s%n", w.id(), w.kind(), w.mode(), w.threads(),
                        w.lanesHeld(), w.eventsPerSecond(), Format.duration(now - w.startedAtMs()),
                        w.ingestUrl().isEmpty() ? "-" : w.ingestUrl());
            }
            return 0;
        }
    }

    @Command(name = "locks", mixinStandardHelpOptions = true,
            description = "Held leases (order locks), longest held first; a lease held past "
                    + LeaseInfo.STUCK_AFTER_LEASES + " lease lengths is marked STUCK.")
    static final class Locks extends Listing {
        @Override
        int list(LockstepAdmin admin, PrintWriter out) {
            List<LeaseInfo> leases = admin.leases(limit);
            if (leases.isEmpty()) {
                out.println("no held leases");
                return 0;
            }
            long now = System.currentTimeMillis();
            out.printf("%-6s %12s  %-12s  %8s  %s%n", "", "order", "held for", "token", "holder");
            for (LeaseInfo l : leases) {
                out.printf("%-6s %12d  %-12s  %8d  %s%n", l.stuck(now) ? "STUCK" : "", l.orderId(),
                        Format.duration(now - l.since()), l.token(), l.holder());
            }
            return 0;
        }
    }

    @Command(name = "parked", mixinStandardHelpOptions = true,
            description = "Lanes parked after their head event failed retry.attempts times, with the last error.")
    static final class Parked extends Listing {
        @Override
        int list(LockstepAdmin admin, PrintWriter out) {
            List<ParkedLane> parked = admin.parked(limit);
            if (parked.isEmpty()) {
                out.println("no parked lanes");
                return 0;
            }
            for (ParkedLane p : parked) {
                out.printf("order %d: head %s parked at %s after %d attempts, %d event(s) waiting; error: %s%n",
                        p.orderId(), p.effectId().isEmpty() ? p.headJob() : p.effectId(), Format.clock(p.parkedAt()),
                        p.attempts(), p.depth(), p.error());
            }
            return 0;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = "Revoke the order's lease: the store's fence is raised first, so the old holder's writes "
                    + "are refused; the lane is then handed on.")
    static final class Release extends OrderStep {
        @Override
        int onOrder(LockstepAdmin admin, PrintWriter out) {
            long fence = admin.release(orderId);
            return outcome(out, fence >= 0, "lease released, fence raised to " + fence, "holds no lease");
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Run the parked head event again, attempts reset; the lane resumes in order.")
    static final class Retry extends OrderStep {
        @Override
        int onOrder(LockstepAdmin admin, PrintWriter out) {
            return outcome(out, admin.retryHead(orderId), "parked head queued for a retry", "has no parked head");
        }
    }

    @Command(name = "skip", mixinStandardHelpOptions = true,
            description = "Drop the parked head event (its effect never applies) and resume the lane's later events in order.")
    static final class Skip extends OrderStep {
        @Override
        int onOrder(LockstepAdmin admin, PrintWriter out) {
            return outcome(out, admin.skipHead(orderId), "parked head skipped; the lane resumes", "has no parked head");
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Stop claims of the order's lane until it is resumed; its events wait in order.")
    static final class Pause extends OrderStep {
        @Override
        int onOrder(LockstepAdmin admin, PrintWriter out) {
            // a bounded read: operators pause a handful of lanes, not thousands
            boolean already = admin.paused(PAUSED_READ_LIMIT).stream().anyMatch(p -> p.orderId() == orderId);
            if (already) {
                return outcome(out, false, "", "is paused already");
            }
            long at = admin.pause(orderId);
            return outcome(out, true, "lane paused at " + Format.clock(at), "");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused lane.")
    static final class Resume extends OrderStep {
        @Override
        int onOrder(LockstepAdmin admin, PrintWriter out) {
            return outcome(out, admin.resume(orderId), "lane resumed", "is not paused");
        }
    }
}
