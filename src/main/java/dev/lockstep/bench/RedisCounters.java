package dev.lockstep.bench;

import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * One reading of a Redis server's counters ({@code INFO commandstats}, {@code cpu}, {@code stats}).
 * Commands run by a Lua script count too (Redis counts each {@code redis.call}), so the difference
 * of two readings is everything Redis executed in between, by command.
 *
 * @param calls       command name (lower case) -> calls
 * @param usec        command name -> microseconds spent in it (a script's own time includes its calls)
 * @param cpuSeconds  used_cpu_user + used_cpu_sys of the server process
 * @param sysSeconds  used_cpu_sys alone: system calls (socket reads and writes, mostly)
 * @param netInBytes  total_net_input_bytes
 * @param netOutBytes total_net_output_bytes
 */
public record RedisCounters(Map<String, Long> calls, Map<String, Long> usec, double cpuSeconds, double sysSeconds,
                            long netInBytes, long netOutBytes) {

    /** Commands the benchmark itself sends to read counters; left out of the per-event figures. */
    static final java.util.Set<String> OBSERVER_COMMANDS = java.util.Set.of("info", "config|resetstat", "config");

    public static RedisCounters read(UnifiedJedis redis) {
        return parse(redis.info("commandstats"), redis.info("cpu"), redis.info("stats"));
    }

    static RedisCounters parse(String commandStats, String cpu, String stats) {
        Map<String, Long> calls = new HashMap<>();
        Map<String, Long> usec = new HashMap<>();
        for (String line : commandStats.split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = line.substring("cmdstat_".length(), colon);
            Map<String, String> fields = fields(line.substring(colon + 1));
            calls.put(name, Long.parseLong(fields.getOrDefault("calls", "0")));
            usec.put(name, Long.parseLong(fields.getOrDefault("usec", "0")));
        }
        Map<String, String> cpuFields = infoFields(cpu);
        Map<String, String> statFields = infoFields(stats);
        double sys = Double.parseDouble(cpuFields.getOrDefault("used_cpu_sys", "0"));
        double cpuSeconds = Double.parseDouble(cpuFields.getOrDefault("used_cpu_user", "0")) + sys;
        return new RedisCounters(Map.copyOf(calls), Map.copyOf(usec), cpuSeconds, sys,
                Long.parseLong(statFields.getOrDefault("total_net_input_bytes", "0")),
                Long.parseLong(statFields.getOrDefault("total_net_output_bytes", "0")));
    }

    /** What happened between {@code before} and this reading. */
    public Delta since(RedisCounters before) {
        Map<String, Long> dCalls = new HashMap<>();
        Map<String, Long> dUsec = new HashMap<>();
        for (Map.Entry<String, Long> e : calls.entrySet()) {
            if (OBSERVER_COMMANDS.contains(e.getKey())) {
                continue;
            }
            long d = e.getValue() - before.calls.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                dCalls.put(e.getKey(), d);
                dUsec.put(e.getKey(), usec.getOrDefault(e.getKey(), 0L) - before.usec.getOrDefault(e.getKey(), 0L));
            }
        }
        return new Delta(Map.copyOf(dCalls), Map.copyOf(dUsec), cpuSeconds - before.cpuSeconds,
                sysSeconds - before.sysSeconds, netInBytes - before.netInBytes, netOutBytes - before.netOutBytes);
    }

    /** The difference of two readings. */
    public record Delta(Map<String, Long> calls, Map<String, Long> usec, double cpuSeconds, double sysSeconds,
                        long netInBytes, long netOutBytes) {
        public long totalCalls() {
            return calls.values().stream().mapToLong(Long::longValue).sum();
        }

        public long calls(String command) {
            return calls.getOrDefault(command, 0L);
        }

        public long usec(String command) {
            return usec.getOrDefault(command, 0L);
        }
    }

    private static Map<String, String> fields(String csv) {
        Map<String, String> m = new HashMap<>();
        for (String kv : csv.split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return m;
    }

    private static Map<String, String> infoFields(String info) {
        Map<String, String> m = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                m.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return m;
    }
}
