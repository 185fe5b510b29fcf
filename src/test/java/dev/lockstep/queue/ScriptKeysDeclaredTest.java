package dev.lockstep.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.testing.TestServers;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every key a queue script writes is declared by its call (docs/DESIGN.md, "Redis Cluster"): a
 * key built inside Lua but not declared is not checked by Redis Cluster while its slot moves, so a
 * call could run where that key is not. Watched with MONITOR on the test Redis, which shows the
 * commands a script runs right after the call: every command of a script on a key of the queue
 * names a declared key, except the reads a claim or the reaper's sweep makes of lanes (LLEN,
 * LRANGE, LINDEX) before any write, and SCAN.
 */
class ScriptKeysDeclaredTest {
    private static final Set<String> UNDECLARED_READS = Set.of("LLEN", "LRANGE", "LINDEX", "SCAN");
    private static final String W = "host-a:101/t1";

    @Test
    void everyKeyAScriptWritesIsDeclaredByItsCall() throws Exception {
        UnifiedJedis redis = TestServers.get().redis();
        Keys keys = new Keys(TestServers.uniqueName("q"), 2);
        // every key declared, as on Redis Cluster (on one Redis only the indexed ones are sent)
        LaneQueue queue = new LaneQueue(redis, keys, Duration.ofSeconds(30), Duration.ofMinutes(5), 16, true);
        URI uri = URI.create(TestServers.get().redisUri());
        List<String> lines = new CopyOnWriteArrayList<>();
        Jedis monitorConnection = new Jedis(uri.getHost(), uri.getPort());
        Thread monitor = new Thread(() -> {
            try {
                monitorConnection.monitor(new JedisMonitor() {
                    @Override
                    public void onCommand(String command) {
                        lines.add(command);
                    }
                });
            } catch (RuntimeException e) {
                // the connection closed: monitoring ends
            }
        }, "script-keys-monitor");
        monitor.setDaemon(true);
        monitor.start();
        String start = keys.queue() + ":start";
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            redis.get(start);
            return lines.stream().anyMatch(l -> l.contains(start));
        });
        try {
            runEveryScript(redis, keys, queue);
            String end = keys.queue() + ":end";
            redis.get(end);
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.contains(end)));
        } finally {
            monitorConnection.close();
            monitor.join(5000);
            queue.purge();
        }

        String keyPrefix = keys.queue() + ":{";
        Set<String> declared = new HashSet<>();
        Set<String> scriptsSeen = new HashSet<>();
        List<String> undeclared = new ArrayList<>();
        for (String line : lines) {
            List<String> f = tokens(line);
            if (f.isEmpty()) {
                continue;
            }
            String cmd = f.get(0).toUpperCase();
            if (!line.contains(" lua]")) {
                if (cmd.equals("EVALSHA") && f.size() > 3 && f.get(3).startsWith(keyPrefix)) {
                    int n = Integer.parseInt(f.get(2));
                    declared = new HashSet<>(f.subList(3, 3 + n));
                    scriptsSeen.add(f.get(1));
                }
                continue;
            }
            for (String arg : f.subList(1, f.size())) {
                if (arg.startsWith(keyPrefix) && !declared.contains(arg) && !UNDECLARED_READS.contains(cmd)) {
                    undeclared.add(cmd + " " + arg);
                }
            }
        }
        assertThat(scriptsSeen).as("scripts run").hasSize(LuaScript.values().length);
        assertThat(undeclared).as("commands of a script on keys its call did not declare").isEmpty();
    }

    /** Every script at least once, on paths that write each key it may write. */
    private static void runEveryScript(UnifiedJedis redis, Keys keys, LaneQueue queue) {
        long a = 1;
        long b = 2;
        while (keys.partitionOf(b) != keys.partitionOf(a)) {
            b++;
        }
        long bOrder = b;
        int p = keys.partitionOf(a);
        queue.enqueueAll(List.of(new LaneQueue.Enqueue(a, "a1", "a1"), new LaneQueue.Enqueue(a, "a2", "a2"),
                new LaneQueue.Enqueue(b, "b1", "b1"), new LaneQueue.Enqueue(b, "b1", "b1")));
        // claim a; complete its first job and continue; retry its head; the due retry is promoted by a claim
        LaneQueue.Claim ca = queue.claim(p, List.of(W)).get(0);
        ClaimedJob a1 = ca.jobs().get(0);
        queue.extend(p, List.of(a1.lease()));
        LaneQueue.FinishResult fa = queue.drain(p, List.of(new LaneQueue.Finished(a1.lease(), List.of(a1.jobId()), true,
                false)), List.of()).finished().get(0);
        ClaimedJob a2 = fa.next().get(0);
        queue.retry(a2, "boom", Duration.ZERO, false);
        // b: claimed with a (promoted), parked, retried by an operator, parked again (revoking) and skipped
        List<LaneQueue.Claim> claims = queue.drain(p, List.of(), List.of(W, W + "2")).claims();
        ClaimedJob b1 = claims.stream().map(c -> c.jobs().get(0)).filter(j -> j.orderId() == bOrder)
                .findFirst().orElseThrow();
        queue.park(b1, "boom", false);
        queue.retryParked(b1.orderId());
        ClaimedJob b1again = queue.claim(p, List.of(W)).get(0).jobs().get(0);
        queue.handOn(queue.park(b1again, "boom", true).revocation());
        // whichever holds a now: released by an operator, handed on; paused and resumed; a revoking retry
        LaneQueue.Revocation released = queue.release(a);
        if (released != null) {
            queue.handOn(released);
        }
        queue.pause(a);
        queue.claim(p, List.of(W));
        queue.resume(a);
        queue.skipParked(b1.orderId());
        // an expired lease reaped, its revocation handed on; a lane in no state swept back to ready
        List<LaneQueue.Claim> more = queue.claim(p, List.of(W));
        if (!more.isEmpty()) {
            ClaimedJob held = more.get(0).jobs().get(0);
            redis.zadd(keys.leases(p), 1, held.lease());
            for (LaneQueue.Revocation r : queue.reap(p, 10).revocations()) {
                queue.handOn(r);
            }
        }
        queue.enqueue(a, "a3", "a3");
        redis.lrem(keys.ready(p), 0, Long.toString(a));
        queue.reap(p, 10);
        for (ClaimedJob j : queue.claim(p, List.of(W)).stream().map(c -> c.jobs().get(0)).toList()) {
            queue.retry(j, "overran", Duration.ofMillis(1), true);
        }
    }

    /** The quoted arguments of a MONITOR line, unescaped enough to compare key names. */
    static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        int i = line.indexOf(']');
        if (i < 0) {
            return out;
        }
        StringBuilder cur = null;
        for (i = i + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (cur == null) {
                if (c == '"') {
                    cur = new StringBuilder();
                }
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
            } else if (c == '"') {
                out.add(cur.toString());
                cur = null;
            } else {
                cur.append(c);
            }
        }
        return out;
    }
}
