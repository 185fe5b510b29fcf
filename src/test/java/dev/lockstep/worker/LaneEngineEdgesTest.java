package dev.lockstep.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.queue.ClaimedJob;
import dev.lockstep.queue.Keys;
import dev.lockstep.queue.LaneQueue;
import dev.lockstep.queue.ResultCode;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.testing.TestServers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ZAddParams;

/**
 * Lane engine v2, one test per edge, on the test JVM's real Redis: each asserts what the engine's
 * older behaviour got wrong (issue 8). The store-side edges are in {@code mode.LaneEngineStoreEdgesTest}.
 */
class LaneEngineEdgesTest {
    private final UnifiedJedis redis = TestServers.get().redis();

    private static WorkerSettings settings(int threads, String id) {
        return WorkerSettings.defaults().withThreads(threads).withWorkerId(id).withMaxAttempts(50)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withIdleWait(Duration.ofMillis(100))
                .withReapInterval(Duration.ofMillis(50)).withHandlerDeadline(Duration.ofSeconds(60));
    }

    private static LaneQueue queue(UnifiedJedis redis, int partitions, Duration lease) {
        return new LaneQueue(redis, new Keys(TestServers.uniqueName("q"), partitions), lease, Duration.ofMinutes(5));
    }

    /** Waits for a latch ignoring interrupts, as a handler stuck in I/O would (at most 60 s). */
    static void stuckUntil(CountDownLatch latch) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean interrupted = false;
        while (latch.getCount() > 0 && System.nanoTime() < until) {
            try {
                latch.await(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean inReady(LaneQueue q, long orderId) {
        int p = q.keys().partitionOf(orderId);
        return redis.lrange(q.keys().ready(p), 0, -1).contains(Long.toString(orderId));
    }

    private List<String> revokedMembers(LaneQueue q, long orderId) {
        int p = q.keys().partitionOf(orderId);
        List<String> out = new ArrayList<>();
        for (String m : redis.zrange(q.keys().revoked(p), 0, -1)) {
            if (m.startsWith(orderId + "|")) {
                out.add(m);
            }
        }
        return out;
    }

    private List<String> leaseMembers(LaneQueue q, long orderId) {
        int p = q.keys().partitionOf(orderId);
        List<String> out = new ArrayList<>();
        for (String m : redis.zrange(q.keys().leases(p), 0, -1)) {
            if (m.startsWith(orderId + "|")) {
                out.add(m);
            }
        }
        return out;
    }

    /** Claims the order's lane for a holder that will never run it, and lets its lease lapse at once. */
    private ClaimedJob claimAndExpire(LaneQueue q, long orderId, String holder) {
        int p = q.keys().partitionOf(orderId);
        List<LaneQueue.Claim> claims = q.claim(p, List.of(holder));
        assertThat(claims).hasSize(1);
        ClaimedJob job = claims.get(0).jobs().get(0);
        assertThat(job.orderId()).isEqualTo(orderId);
        redis.zadd(q.keys().leases(p), 1, job.lease(), ZAddParams.zAddParams().xx());
        return job;
    }

    private static int liveThreads(String prefix) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    // ---- 1. partition count --------------------------------------------------------------------------

    /** A pool configured with another partition count than its queue was created with refuses to start. */
    @Test
    void aPoolWithAnotherPartitionCountRefusesToStart() {
        String name = TestServers.uniqueName("q");
        LaneQueue created = new LaneQueue(redis, new Keys(name, 4), Duration.ofSeconds(10), Duration.ofMinutes(5));
        // the queue's first worker stores its partition count with it
        try (WorkerPool first = new WorkerPool(redis, created, (job, lease) -> ApplyResult.APPLIED,
                new LaneListener() { }, settings(1, "first"), "first")) {
            first.start();
        }
        created.enqueue(7, "d7", "7:1");
        LaneQueue other = new LaneQueue(redis, new Keys(name, 8), Duration.ofSeconds(10), Duration.ofMinutes(5));
        AtomicInteger handled = new AtomicInteger();
        try (WorkerPool pool = new WorkerPool(redis, other, (job, lease) -> {
            handled.incrementAndGet();
            return ApplyResult.APPLIED;
        }, new LaneListener() { }, settings(2, "wrong"), "wrong")) {
            assertThatThrownBy(pool::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("queue.partitions=4").hasMessageContaining("queue.partitions=8");
            assertThat(pool.running()).isFalse();
        }
        assertThat(redis.get(created.keys().partitionCount())).isEqualTo("4");
        assertThat(handled).hasValue(0);
        assertThat(created.leases(10)).isEmpty();
        created.purge();
    }

    // ---- 2. revoke before hand-over ------------------------------------------------------------------

    /** An expired lease's lane stays revoked (not ready, not claimable) while the store's fence is being raised. */
    @Test
    void anExpiredLaneIsHandedOnOnlyAfterRevokedReturns() throws Exception {
        LaneQueue q = queue(redis, 2, Duration.ofSeconds(10));
        long order = 11;
        q.enqueue(order, "d1", order + ":1");
        ClaimedJob dead = claimAndExpire(q, order, "dead/t1");
        CountDownLatch inRevoked = new CountDownLatch(1);
        CountDownLatch fenceRaised = new CountDownLatch(1);
        List<Long> fences = new CopyOnWriteArrayList<>();
        List<String> stateInRevoked = new CopyOnWriteArrayList<>();
        List<Long> tokensRun = new CopyOnWriteArrayList<>();
        CountDownLatch completed = new CountDownLatch(1);
        LaneListener listener = new LaneListener() {
            @Override
            public void revoked(long orderId, long fence, String reason) {
                fences.add(fence);
                stateInRevoked.add("ready=" + inReady(q, orderId) + " revoked=" + revokedMembers(q, orderId).size()
                        + " leased=" + leaseMembers(q, orderId).size());
                inRevoked.countDown();
                stuckUntil(fenceRaised);
            }

            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completed.countDown();
            }
        };
        JobHandler handler = (job, lease) -> {
            tokensRun.add(job.token());
            return ApplyResult.APPLIED;
        };
        try (WorkerPool pool = new WorkerPool(redis, q, handler, listener, settings(2, "rb"), "rb")) {
            pool.start();
            assertThat(inRevoked.await(10, TimeUnit.SECONDS)).isTrue();
            // the fence is being raised: the lane is revoked, on nobody's ready list, and nobody ran it
            assertThat(stateInRevoked).containsExactly("ready=false revoked=1 leased=0");
            assertThat(inReady(q, order)).isFalse();
            assertThat(revokedMembers(q, order)).singleElement()
                    .satisfies(m -> assertThat(m).startsWith(order + "|" + fences.get(0) + "|"));
            assertThat(q.claim(q.keys().partitionOf(order), List.of("thief/t1"))).isEmpty();
            assertThat(tokensRun).isEmpty();
            fenceRaised.countDown();
            assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(fences).hasSize(1);
        assertThat(fences.get(0)).isGreaterThan(dead.token());
        assertThat(tokensRun).singleElement().satisfies(t -> assertThat(t).isGreaterThan(fences.get(0)));
        assertThat(revokedMembers(q, order)).isEmpty();
        assertThat(q.stats().waiting()).isZero();
        q.purge();
    }

    /** A revoked() that throws leaves the lane revoked; a reaper pass after the grace finishes it. */
    @Test
    void aRevocationWhoseListenerThrowsIsFinishedByALaterReaperPass() {
        LaneQueue q = queue(redis, 1, Duration.ofSeconds(10));
        long order = 21;
        q.enqueue(order, "d1", order + ":1");
        ClaimedJob dead = claimAndExpire(q, order, "dead/t1");
        List<Long> fences = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        LaneListener listener = new LaneListener() {
            @Override
            public void revoked(long orderId, long fence, String reason) {
                fences.add(fence);
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("store unreachable");
                }
            }
        };
        WorkerSettings s = settings(1, "rt").withReapInterval(Duration.ofHours(1));
        try (WorkerPool pool = new WorkerPool(redis, q, (job, lease) -> ApplyResult.APPLIED, listener, s, "rt");
             Reaper reaper = new Reaper(q, new WakeSignal(1), r -> pool.finishRevocation(r, "lease expired"), s,
                     "rt", () -> 0L)) {
            assertThat(reaper.reapOnce()).isEqualTo(1);
            assertThat(calls).hasValue(1);
            String member = revokedMembers(q, order).get(0);
            assertThat(member).startsWith(order + "|" + fences.get(0) + "|");
            assertThat(inReady(q, order)).isFalse();
            // within its grace the revocation is left alone
            assertThat(reaper.reapOnce()).isZero();
            assertThat(calls).hasValue(1);
            // past its grace (written into the past rather than waited for) the next pass finishes it
            redis.zadd(q.keys().revoked(0), 1, member, ZAddParams.zAddParams().xx());
            assertThat(reaper.reapOnce()).isEqualTo(1);
            assertThat(calls).hasValue(2);
            assertThat(fences).containsExactly(fences.get(0), fences.get(0));
            assertThat(revokedMembers(q, order)).isEmpty();
            assertThat(inReady(q, order)).isTrue();
            ClaimedJob again = q.claim(0, List.of("next/t1")).get(0).jobs().get(0);
            assertThat(again.jobId()).isEqualTo(dead.jobId());
            assertThat(again.token()).isGreaterThan(fences.get(0));
        }
        q.purge();
    }

    /** One revocation whose listener throws does not stop the rest of the reaper's batch. */
    @Test
    void aThrowingRevocationDoesNotStopTheOthersInTheBatch() {
        LaneQueue q = queue(redis, 1, Duration.ofSeconds(10));
        long failing = 31;
        List<Long> others = List.of(32L, 33L, 34L);
        q.enqueue(failing, "f", failing + ":1");
        for (long o : others) {
            q.enqueue(o, "d" + o, o + ":1");
        }
        claimAndExpire(q, failing, "dead/t1");
        for (long o : others) {
            ClaimedJob j = claimAndExpire(q, o, "dead/t" + o);
            // the failing one comes first in the batch
            redis.zadd(q.keys().leases(0), 2, j.lease(), ZAddParams.zAddParams().xx());
        }
        Set<Long> raised = ConcurrentHashMap.newKeySet();
        LaneListener listener = new LaneListener() {
            @Override
            public void revoked(long orderId, long fence, String reason) {
                if (orderId == failing) {
                    throw new IllegalStateException("store refused");
                }
                raised.add(orderId);
            }
        };
        WorkerSettings s = settings(1, "rb").withReapInterval(Duration.ofHours(1));
        try (WorkerPool pool = new WorkerPool(redis, q, (job, lease) -> ApplyResult.APPLIED, listener, s, "rb");
             Reaper reaper = new Reaper(q, new WakeSignal(1), r -> pool.finishRevocation(r, "lease expired"), s,
                     "rb", () -> 0L)) {
            assertThat(reaper.reapOnce()).isEqualTo(4);
        }
        assertThat(raised).containsExactlyInAnyOrderElementsOf(others);
        for (long o : others) {
            assertThat(inReady(q, o)).as("order %d", o).isTrue();
            assertThat(revokedMembers(q, o)).isEmpty();
        }
        assertThat(inReady(q, failing)).isFalse();
        assertThat(revokedMembers(q, failing)).hasSize(1);
        q.purge();
    }

    // ---- 3. shutdown hands back its own leases ---------------------------------------------------------

    /** close() of a pool stuck in a handler hands its lane back, fence first; another pool's lease is untouched. */
    @Test
    void closeHandsBackOnlyItsOwnLeaseFenceFirst() throws Exception {
        LaneQueue q = queue(redis, 2, Duration.ofMillis(1500));
        long mine = 41;
        long theirs = 42;
        CountDownLatch unstickA = new CountDownLatch(1);
        CountDownLatch unstickB = new CountDownLatch(1);
        CountDownLatch aStuck = new CountDownLatch(1);
        CountDownLatch bStuck = new CountDownLatch(1);
        Map<Long, List<String>> revokedState = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
        LaneListener listener = new LaneListener() {
            @Override
            public void revoked(long orderId, long fence, String reason) {
                revokedState.computeIfAbsent(orderId, k -> new CopyOnWriteArrayList<>())
                        .add(reason + ": ready=" + inReady(q, orderId) + " revoked=" + revokedMembers(q, orderId).size());
            }

            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completed.computeIfAbsent(job.payload(), k -> new AtomicInteger()).incrementAndGet();
            }
        };
        JobHandler a = (job, lease) -> {
            aStuck.countDown();
            stuckUntil(unstickA);
            return ApplyResult.APPLIED;
        };
        JobHandler b = (job, lease) -> {
            if (job.orderId() == theirs) {
                bStuck.countDown();
                stuckUntil(unstickB);
            }
            return ApplyResult.APPLIED;
        };
        WorkerPool poolB = new WorkerPool(redis, q, b, listener, settings(1, "B"), "B");
        try {
            poolB.start();
            q.enqueue(theirs, "t1", theirs + ":1");
            assertThat(bStuck.await(10, TimeUnit.SECONDS)).isTrue();
            String theirLease = leaseMembers(q, theirs).get(0);
            try (WorkerPool poolA = new WorkerPool(redis, q, a, listener, settings(1, "A"), "A")) {
                poolA.start();
                q.enqueue(mine, "m1", mine + ":1");
                assertThat(aStuck.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(leaseMembers(q, mine)).singleElement().satisfies(m -> assertThat(m).contains("|A/"));
            } // close(): A's handler stays stuck
            assertThat(revokedState.get(mine)).containsExactly("handed back at shutdown: ready=false revoked=1");
            assertThat(revokedState).doesNotContainKey(theirs);
            assertThat(leaseMembers(q, mine)).isEmpty();
            assertThat(revokedMembers(q, mine)).isEmpty();
            assertThat(inReady(q, mine)).isTrue(); // B's only thread is busy: the lane waits on ready
            assertThat(leaseMembers(q, theirs)).containsExactly(theirLease);
            unstickB.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> completed.containsKey(mine + ":1"));
            assertThat(completed.get(theirs + ":1")).hasValue(1);
        } finally {
            unstickA.countDown();
            unstickB.countDown();
            poolB.close();
        }
        assertThat(completed.get(mine + ":1")).hasValue(1);
        assertThat(q.stats().waiting()).isZero();
        q.purge();
    }

    /** A closing pool whose lost lease was taken over by another holder never revokes the new holder's lease. */
    @Test
    void closeNeverReleasesAnotherHoldersLeaseOnTheSameOrder() throws Exception {
        LaneQueue q = queue(redis, 2, Duration.ofMillis(500));
        long order = 51;
        CountDownLatch unstickA = new CountDownLatch(1);
        CountDownLatch unstickB = new CountDownLatch(1);
        CountDownLatch aStuck = new CountDownLatch(1);
        CountDownLatch bStuck = new CountDownLatch(1);
        List<String> revocations = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
        LaneListener listener = new LaneListener() {
            @Override
            public void revoked(long orderId, long fence, String reason) {
                revocations.add(orderId + ": " + reason);
            }

            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completed.computeIfAbsent(job.payload(), k -> new AtomicInteger()).incrementAndGet();
            }
        };
        JobHandler a = (job, lease) -> {
            lease.freeze(); // stops renewing: the lease lapses and is reaped
            aStuck.countDown();
            stuckUntil(unstickA);
            return ApplyResult.APPLIED;
        };
        JobHandler b = (job, lease) -> {
            bStuck.countDown();
            stuckUntil(unstickB);
            return ApplyResult.APPLIED;
        };
        WorkerPool poolA = new WorkerPool(redis, q, a, listener, settings(1, "A"), "A");
        WorkerPool poolB = new WorkerPool(redis, q, b, listener, settings(1, "B"), "B");
        try {
            poolA.start();
            q.enqueue(order, "d1", order + ":1");
            assertThat(aStuck.await(10, TimeUnit.SECONDS)).isTrue();
            poolB.start();
            assertThat(bStuck.await(10, TimeUnit.SECONDS)).isTrue();
            String bLease = leaseMembers(q, order).get(0);
            assertThat(bLease).contains("|B/");
            assertThat(revocations).containsExactly(order + ": lease expired: lane recovered");
            poolA.close();
            assertThat(leaseMembers(q, order)).containsExactly(bLease);
            assertThat(revocations).containsExactly(order + ": lease expired: lane recovered");
            assertThat(poolB.watchdog().held()).singleElement().satisfies(l -> assertThat(l.lost()).isFalse());
            unstickB.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> completed.containsKey(order + ":1"));
        } finally {
            unstickA.countDown();
            unstickB.countDown();
            poolA.close();
            poolB.close();
        }
        assertThat(completed.get(order + ":1")).hasValue(1);
        assertThat(q.stats().waiting()).isZero();
        q.purge();
    }

    // ---- 4. handler deadline -------------------------------------------------------------------------

    /** A call past its deadline fails its attempt; the lane runs again on a fresh thread; the pool keeps its width. */
    @Test
    void aHungHandlerIsReplacedAndItsAttemptRetried() throws Exception {
        LaneQueue q = queue(redis, 4, Duration.ofSeconds(10));
        long hung = 61;
        CountDownLatch unhang = new CountDownLatch(1);
        AtomicInteger hungCalls = new AtomicInteger();
        List<String> retried = new CopyOnWriteArrayList<>();
        List<String> revoked = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
        List<String> leaseLost = new CopyOnWriteArrayList<>();
        Map<String, String> ranOn = new ConcurrentHashMap<>();
        CountDownLatch together = new CountDownLatch(2);
        LaneListener listener = new LaneListener() {
            @Override
            public void retried(ClaimedJob job, String error, int attempts, String worker) {
                retried.add(job.orderId() + " attempt " + attempts + ": " + error);
            }

            @Override
            public void revoked(long orderId, long fence, String reason) {
                revoked.add(orderId + ": " + reason);
            }

            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completed.computeIfAbsent(job.payload(), k -> new AtomicInteger()).incrementAndGet();
            }

            @Override
            public void leaseLost(ClaimedJob job, String worker) {
                leaseLost.add(job.payload());
            }
        };
        JobHandler handler = (job, lease) -> {
            ranOn.put(job.payload() + "#" + job.attempts(), Thread.currentThread().getName());
            if (job.orderId() == hung && hungCalls.incrementAndGet() == 1) {
                stuckUntil(unhang); // ignores the interrupt, as a call stuck in I/O does
            } else if (job.orderId() != hung) {
                // two other orders must be inside the handler at once: both threads are working
                together.countDown();
                together.await(10, TimeUnit.SECONDS);
            }
            return ApplyResult.APPLIED;
        };
        WorkerSettings s = settings(2, "dl").withHandlerDeadline(Duration.ofMillis(300));
        try (WorkerPool pool = new WorkerPool(redis, q, handler, listener, s, "dl")) {
            pool.start();
            q.enqueue(hung, "h1", hung + ":1");
            await().atMost(Duration.ofSeconds(10)).until(() -> completed.containsKey(hung + ":1"));
            assertThat(pool.replacedHandlers()).isEqualTo(1);
            assertThat(retried).containsExactly(hung + " attempt 1: deadline of 300 ms passed");
            assertThat(revoked).containsExactly(hung + ": deadline of 300 ms passed");
            assertThat(ranOn.get(hung + ":1#1")).isNotEqualTo(ranOn.get(hung + ":1#0"));
            // the stuck call still occupies its thread; the pool still runs two calls at once
            assertThat(unhang.getCount()).isEqualTo(1);
            q.enqueue(62, "x62", "62:1");
            q.enqueue(63, "x63", "63:1");
            assertThat(together.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> completed.containsKey("62:1")
                    && completed.containsKey("63:1"));
            assertThat(pool.busy()).isZero();
            unhang.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> hungCalls.get() >= 2 && pool.busy() == 0);
            assertThat(liveThreads("dl-worker-")).isEqualTo(2);
        }
        assertThat(completed.get(hung + ":1")).hasValue(1);
        assertThat(hungCalls).hasValue(2);
        assertThat(leaseLost).isEmpty();
        assertThat(q.stats().waiting()).isZero();
        q.purge();
    }

    /**
     * A hung call that returns after its deadline with its write refused by the store's fence is
     * reported as a stale write (the listener's {@code fenced}, counted and journaled), once, for the
     * attempt past its deadline; the retry's outcome is reported as usual.
     */
    @Test
    void aLateWriteRefusedByTheFenceIsReportedAsFenced() throws Exception {
        LaneQueue q = queue(redis, 2, Duration.ofSeconds(10));
        long hung = 64;
        CountDownLatch unhang = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        List<String> fenced = new CopyOnWriteArrayList<>();
        Map<String, ApplyResult> completed = new ConcurrentHashMap<>();
        LaneListener listener = new LaneListener() {
            @Override
            public void fenced(ClaimedJob job, String worker) {
                fenced.add(job.payload() + " attempt " + job.attempts());
            }

            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completed.put(job.payload(), result);
            }
        };
        JobHandler handler = (job, lease) -> {
            if (calls.incrementAndGet() == 1) {
                stuckUntil(unhang);
                return ApplyResult.REJECTED_FENCE; // the fence went up while it hung
            }
            return ApplyResult.APPLIED;
        };
        try (WorkerPool pool = new WorkerPool(redis, q, handler, listener,
                settings(2, "late").withHandlerDeadline(Duration.ofMillis(300)), "late")) {
            pool.start();
            q.enqueue(hung, "h1", hung + ":1");
            await().atMost(Duration.ofSeconds(10)).until(() -> completed.containsKey(hung + ":1"));
            assertThat(fenced).isEmpty();
            unhang.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> !fenced.isEmpty());
            assertThat(fenced).containsExactly(hung + ":1 attempt 0");
            assertThat(completed).containsExactly(Map.entry(hung + ":1", ApplyResult.APPLIED));
        } finally {
            unhang.countDown();
            q.purge();
        }
    }

    // ---- 5. errors ---------------------------------------------------------------------------------------

    /** Handlers throwing Errors neither lose a thread nor an event: everything completes once, in order. */
    @Test
    void handlerErrorsAreRetriedAndKillNoThread() throws Exception {
        LaneQueue q = queue(redis, 4, Duration.ofSeconds(10));
        int orders = 30;
        int perOrder = 10;
        int threads = 4;
        SplittableRandom random = new SplittableRandom(8);
        AtomicInteger errors = new AtomicInteger();
        Map<Long, List<Integer>> applied = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
        AtomicInteger completions = new AtomicInteger();
        JobHandler handler = (job, lease) -> {
            int roll;
            synchronized (random) {
                roll = random.nextInt(10);
            }
            if (roll == 0) {
                errors.incrementAndGet();
                throw new AssertionError("injected error");
            }
            if (roll == 1) {
                errors.incrementAndGet();
                throw new StackOverflowError("injected overflow");
            }
            applied.computeIfAbsent(job.orderId(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(Integer.parseInt(job.payload().split(":")[1]));
            return ApplyResult.APPLIED;
        };
        LaneListener listener = new LaneListener() {
            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completed.computeIfAbsent(job.payload(), k -> new AtomicInteger()).incrementAndGet();
                completions.incrementAndGet();
            }
        };
        try (WorkerPool pool = new WorkerPool(redis, q, handler, listener, settings(threads, "err"), "err")) {
            pool.start();
            for (int seq = 1; seq <= perOrder; seq++) {
                List<LaneQueue.Enqueue> batch = new ArrayList<>();
                for (long o = 1; o <= orders; o++) {
                    batch.add(new LaneQueue.Enqueue(o, o + "-" + seq, o + ":" + seq));
                }
                q.enqueueAll(batch);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> completions.get() == orders * perOrder);
            assertThat(liveThreads("err-worker-")).isEqualTo(threads);
            assertThat(pool.replacedHandlers()).isZero();
            assertThat(pool.busy()).isZero();
        }
        assertThat(errors.get()).isPositive();
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= perOrder; i++) {
            expected.add(i);
        }
        for (long o = 1; o <= orders; o++) {
            assertThat(applied.get(o)).as("order %d", o).containsExactlyElementsOf(expected);
        }
        assertThat(completed.values()).allSatisfy(c -> assertThat(c).hasValue(1));
        assertThat(completed).hasSize(orders * perOrder);
        assertThat(q.stats().waiting()).isZero();
        q.purge();
    }

    // ---- 6. no spurious lease losses ---------------------------------------------------------------------

    /** Contended bursts without faults, under a short lease that must be renewed: no lease is ever reported lost. */
    @Test
    void noLeaseIsLostWithoutAFault() {
        LaneQueue q = queue(redis, 8, Duration.ofMillis(600));
        int rounds = 20;
        int orders = 200;
        int perOrder = 3;
        Map<Long, List<Integer>> applied = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
        AtomicInteger completions = new AtomicInteger();
        List<String> lost = new CopyOnWriteArrayList<>();
        Map<Long, AtomicInteger> inside = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        JobHandler handler = (job, lease) -> {
            AtomicInteger in = inside.computeIfAbsent(job.orderId(), k -> new AtomicInteger());
            if (in.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
            }
            try {
                applied.computeIfAbsent(job.orderId(), k -> Collections.synchronizedList(new ArrayList<>()))
                        .add(Integer.parseInt(job.payload().split(":")[1]));
                return ApplyResult.APPLIED;
            } finally {
                in.decrementAndGet();
            }
        };
        LaneListener listener = new LaneListener() {
            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completed.computeIfAbsent(job.payload(), k -> new AtomicInteger()).incrementAndGet();
                completions.incrementAndGet();
            }

            @Override
            public void leaseLost(ClaimedJob job, String worker) {
                lost.add(job.payload() + " token " + job.token() + " by " + worker);
            }

            @Override
            public void fenced(ClaimedJob job, String worker) {
                lost.add("fenced " + job.payload());
            }
        };
        WorkerSettings s = settings(4, "c").withReapIntervalFor(Duration.ofMillis(600));
        try (WorkerPool a = new WorkerPool(redis, q, handler, listener, s.withWorkerId("c1"), "c1");
             WorkerPool b = new WorkerPool(redis, q, handler, listener, s.withWorkerId("c2"), "c2")) {
            a.start();
            b.start();
            for (int round = 0; round < rounds; round++) {
                for (int seq = 1; seq <= perOrder; seq++) {
                    List<LaneQueue.Enqueue> batch = new ArrayList<>();
                    for (long o = 1; o <= orders; o++) {
                        long id = round * 1000L + o;
                        batch.add(new LaneQueue.Enqueue(id, id + "-" + seq, id + ":" + seq));
                    }
                    q.enqueueAll(batch);
                }
                int want = (round + 1) * orders * perOrder;
                await().atMost(Duration.ofSeconds(30)).until(() -> completions.get() >= want);
                assertThat(lost).as("round %d", round).isEmpty();
            }
        }
        assertThat(lost).isEmpty();
        assertThat(overlaps).hasValue(0);
        assertThat(completions.get()).isEqualTo(rounds * orders * perOrder);
        assertThat(completed.values()).allSatisfy(c -> assertThat(c).hasValue(1));
        for (List<Integer> seqs : applied.values()) {
            assertThat(seqs).containsExactly(1, 2, 3);
        }
        assertThat(applied).hasSize(rounds * orders);
        assertThat(q.stats().stallsRecovered()).isZero();
        q.purge();
    }

    // ---- 7. idle cost ------------------------------------------------------------------------------------

    /** A started, idle pool costs Redis at most 5 top-level calls a second (no sweeping, a slow reaper). */
    @Test
    void anIdlePoolCostsAtMostFiveCallsASecond() throws Exception {
        var config = TestServers.get().config(Map.of());
        LaneQueue q = new LaneQueue(redis, new Keys(config.queueName(), config.partitions()), config.lease(),
                config.dedupTtl());
        Set<String> scriptOnly = commandsOnlyScriptsCall();
        Map<String, Long> before;
        try (WorkerPool pool = new WorkerPool(redis, q, (job, lease) -> ApplyResult.APPLIED, new LaneListener() { },
                WorkerSettings.from(config).withWorkerId("idle"), "idle")) {
            Map<String, Long> atStart = commandCalls();
            pool.start();
            // its first claim round: one drain call per partition
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    commandCalls().getOrDefault("evalsha", 0L) - atStart.getOrDefault("evalsha", 0L)
                            >= config.partitions());
            before = commandCalls();
            long t0 = System.nanoTime();
            Thread.sleep(5000); // the measuring window, not synchronisation
            Map<String, Long> after = commandCalls();
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Long> delta = new HashMap<>();
            long total = 0;
            for (Map.Entry<String, Long> e : after.entrySet()) {
                String cmd = e.getKey();
                long d = e.getValue() - before.getOrDefault(cmd, 0L);
                if (d == 0 || cmd.equals("info") || scriptOnly.contains(cmd)) {
                    continue;
                }
                delta.put(cmd, d);
                total += d;
            }
            assertThat(total / seconds).as("top-level calls per second over %.1f s: %s", seconds, delta)
                    .isLessThanOrEqualTo(5.0);
        }
        q.purge();
    }

    /** INFO commandstats: calls per command (lower case, subcommands as "a|b"). */
    private Map<String, Long> commandCalls() {
        Map<String, Long> out = new HashMap<>();
        Matcher m = Pattern.compile("cmdstat_([^:]+):calls=(\\d+)").matcher(redis.info("commandstats"));
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    /** Commands the Lua scripts call (counted in commandstats too, though inside one EVALSHA). */
    private static Set<String> commandsOnlyScriptsCall() throws IOException {
        Set<String> out = new HashSet<>();
        String[] scripts = {"drain-1", "enqueue-1", "extend-1", "handOn-1", "park-1", "reap-1", "release-1",
                "retry-1", "retryParked-1", "skipParked-1"};
        String[] includes = {"failedHead", "headEntry", "leaseMember", "now", "orderOf", "recordFailure", "revoke",
                "wake"};
        List<String> paths = new ArrayList<>();
        for (String s : scripts) {
            paths.add("/lua/" + s + ".lua");
        }
        for (String s : includes) {
            paths.add("/lua/includes/" + s + ".lua");
        }
        Pattern call = Pattern.compile("redis\\.call\\('([A-Za-z]+)'");
        for (String path : paths) {
            try (InputStream in = LaneEngineEdgesTest.class.getResourceAsStream(path)) {
                assertThat(in).as(path).isNotNull();
                Matcher m = call.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (m.find()) {
                    out.add(m.group(1).toLowerCase());
                }
            }
        }
        assertThat(out).contains("time", "zrangebyscore", "publish");
        return out;
    }

    // ---- 8. a completion's reply lost ------------------------------------------------------------------

    /** A completion resent after its first send ran is recognised: completed once, the lane continues from its next job. */
    @Test
    void aResentCompletionCountsOnceAndTheLaneContinues() {
        LaneQueue q = queue(redis, 1, Duration.ofSeconds(10));
        long order = 81;
        for (int seq = 1; seq <= 3; seq++) {
            q.enqueue(order, "d" + seq, order + ":" + seq);
        }
        List<ClaimedJob> jobs = q.claim(0, List.of("h/t1")).get(0).jobs();
        assertThat(jobs).extracting(ClaimedJob::payload).containsExactly("81:1", "81:2", "81:3");
        String lease = jobs.get(0).lease();
        LaneQueue.Finished first = new LaneQueue.Finished(lease, List.of(jobs.get(0).jobId()), true, false);

        LaneQueue.FinishResult sent = q.drain(0, List.of(first), List.of()).finished().get(0);
        assertThat(sent.code()).isEqualTo(ResultCode.CONTINUE);
        // its reply was lost: the worker sends it again, marked as a resend
        LaneQueue.FinishResult resent = q.drain(0,
                List.of(new LaneQueue.Finished(lease, first.jobIds(), true, true)), List.of()).finished().get(0);
        assertThat(resent.code()).isEqualTo(ResultCode.COMPLETED_EARLIER);
        assertThat(resent.completed()).isTrue();
        assertThat(resent.next()).extracting(ClaimedJob::payload).containsExactly("81:2", "81:3");
        assertThat(resent.next()).allSatisfy(j -> assertThat(j.token()).isEqualTo(jobs.get(0).token()));
        assertThat(q.stats().completed()).isEqualTo(1);
        assertThat(redis.llen(q.keys().lane(0, order))).isEqualTo(2);
        // the same completion sent again without the resend mark is refused, never popped twice
        assertThat(q.drain(0, List.of(first), List.of()).finished().get(0).code()).isEqualTo(ResultCode.NOT_HEAD);
        assertThat(redis.llen(q.keys().lane(0, order))).isEqualTo(2);

        LaneQueue.FinishResult rest = q.drain(0, List.of(new LaneQueue.Finished(lease,
                List.of(jobs.get(1).jobId(), jobs.get(2).jobId()), true, false)), List.of()).finished().get(0);
        assertThat(rest.code()).isEqualTo(ResultCode.DONE);
        // a resend after the lane ended is recognised too, and hands nothing out
        LaneQueue.FinishResult late = q.drain(0, List.of(new LaneQueue.Finished(lease,
                List.of(jobs.get(1).jobId(), jobs.get(2).jobId()), true, true)), List.of()).finished().get(0);
        assertThat(late.code()).isEqualTo(ResultCode.COMPLETED_EARLIER);
        assertThat(late.next()).isEmpty();
        assertThat(q.stats().completed()).isEqualTo(3);
        assertThat(q.stats().waiting()).isZero();
        assertThat(q.leases(10)).isEmpty();
        q.purge();
    }

    /**
     * A holder whose lease was frozen (paused past it) and revoked never goes on to the lane's later
     * events it had at hand: those run once, under the new holder, never beside the revoked one.
     */
    @Test
    void aRevokedHolderDoesNotRunTheEventsItHadAtHand() throws Exception {
        LaneQueue q = queue(redis, 2, Duration.ofMillis(300));
        Map<String, List<String>> runBy = new ConcurrentHashMap<>();
        AtomicInteger completions = new AtomicInteger();
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch pausedReturned = new CountDownLatch(1);
        JobHandler handler = (job, lease) -> {
            // by lease (token and slot), not by thread: a handler thread runs whichever slot's lane is next
            runBy.computeIfAbsent(job.payload(), k -> new CopyOnWriteArrayList<>()).add(job.lease());
            if (job.payload().equals("e1") && paused.getCount() > 0) {
                paused.countDown();
                lease.freeze();
                await().atMost(Duration.ofSeconds(20)).until(() -> !q.holds(job)); // the reaper revoked it
                pausedReturned.countDown();
            }
            return ApplyResult.APPLIED;
        };
        LaneListener listener = new LaneListener() {
            @Override
            public void completed(ClaimedJob job, ApplyResult result, String worker) {
                completions.incrementAndGet();
            }
        };
        for (int i = 1; i <= 3; i++) {
            q.enqueue(7, "d" + i, "e" + i);
        }
        try (WorkerPool pool = new WorkerPool(redis, q, handler, listener, settings(2, "w"), "frozen")) {
            pool.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> completions.get() >= 3 && q.stats().drained());
            // the revoked holder has come back from its pause and reported: whatever it ran, it ran by now
            assertThat(pausedReturned.await(20, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> pool.busy() == 0);
        }
        String revokedLease = runBy.get("e1").get(0);
        assertThat(runBy.get("e2")).as("e2 runs once, not by the revoked holder").hasSize(1)
                .doesNotContain(revokedLease);
        assertThat(runBy.get("e3")).hasSize(1).doesNotContain(revokedLease);
        q.purge();
    }
}
