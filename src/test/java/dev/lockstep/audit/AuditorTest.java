package dev.lockstep.audit;

import static dev.lockstep.testing.InMemoryOrderStore.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.burst.ExpectedOrder;
import dev.lockstep.burst.FireStats;
import dev.lockstep.burst.WebhookDelivery;
import dev.lockstep.order.OrderEvent;
import dev.lockstep.order.OrderState;
import dev.lockstep.order.Topic;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.pipeline.RunCounters;
import dev.lockstep.store.Application;
import dev.lockstep.store.ApplyResult;
import dev.lockstep.store.StoredOrder;
import dev.lockstep.testing.InMemoryOrderStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each anomaly on a hand-built store, counted exactly, and nothing else counted with it. */
class AuditorTest {
    private final BurstPlan plan = BurstPlan.generate(BurstSpec.of(20, 0.3, 0.0, 7));
    private final Map<String, OrderEvent> events = new HashMap<>();
    private final InMemoryOrderStore store = new InMemoryOrderStore();
    private List<ExpectedOrder> orders;

    @BeforeEach
    void buildACorrectStore() {
        for (WebhookDelivery d : plan.deliveries()) {
            events.putIfAbsent(d.event().effectId(), d.event());
        }
        orders = new ArrayList<>(plan.expected().values());
        store.seedStock(plan.expectedStock());
        orders.forEach(o -> store.put(correctDoc(o, "doc-" + o.orderId())));
    }

    @Test
    void aCorrectStoreHasNoAnomaliesAndIntegrity() {
        AuditReport r = audit(fire(0, Set.of()), counters(plan.events(), 0, 0));

        assertThat(r.anomalies()).isEqualTo(Anomalies.NONE);
        assertThat(r.integrity()).isTrue();
        assertThat(r.handled()).isEqualTo(r.accepted()).isEqualTo(plan.events());
        assertThat(r.eventsSent()).isEqualTo(plan.deliveries().size());
        assertThat(r.duplicatesDropped()).isEqualTo(plan.duplicateDeliveries()).isPositive();
        assertThat(r.orders()).isEqualTo(20);
        assertThat(r.drained()).isTrue();
    }

    @Test
    void countsEachExtraDocumentOfAnOrder() {
        ExpectedOrder a = orders.get(0);
        ExpectedOrder b = orders.get(1);
        store.put(new StoredOrder(a.orderId(), "dup-a", a.state(), a.updatedAt(), 0, List.of()));
        store.put(new StoredOrder(b.orderId(), "dup-b1", b.state(), b.updatedAt(), 0, List.of()));
        store.put(new StoredOrder(b.orderId(), "dup-b2", b.state(), b.updatedAt(), 0, List.of()));

        assertThat(anomalies()).isEqualTo(new Anomalies(3, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void sumsTheAbsoluteStockErrorOverSkus() {
        store.setStock("SKU-01", plan.expectedStock().get("SKU-01") + 3);
        store.setStock("SKU-02", plan.expectedStock().get("SKU-02") - 2);
        assertThat(anomalies()).isEqualTo(new Anomalies(0, 5, 0, 0, 0, 0, 0));

        store.removeStock("SKU-03");
        store.setStock("SKU-99", 4);
        assertThat(anomalies().lostInventoryUnits()).isEqualTo(5 + plan.expectedStock().get("SKU-03") + 4);
    }

    @Test
    void countsOrdersWhereAnOlderEventWasAppliedAfterANewerOne() {
        ExpectedOrder a = orders.get(0);
        List<Application> swapped = new ArrayList<>(history(a));
        Collections.swap(swapped, 0, swapped.size() - 1);
        StoredOrder doc = new StoredOrder(a.orderId(), "doc-" + a.orderId(), a.state(), a.updatedAt(), 0, swapped);
        // Both documents of one order out of order (with other effects, so none is applied twice): one order.
        List<Application> alsoSwapped = List.of(
                entry("orders/updated#x2", Topic.UPDATED, a.updatedAt() + 10, ApplyResult.APPLIED),
                entry("orders/updated#x1", Topic.UPDATED, a.updatedAt() + 5, ApplyResult.APPLIED));
        store.replace(a.orderId(), List.of(doc,
                new StoredOrder(a.orderId(), "dup", a.state(), a.updatedAt(), 0, alsoSwapped)));

        assertThat(anomalies()).isEqualTo(new Anomalies(1, 0, 1, 0, 0, 0, 0));
    }

    @Test
    void anOlderEventSkippedAsStaleIsNotOutOfOrder() {
        ExpectedOrder a = orders.get(0);
        List<Application> h = new ArrayList<>(history(a).subList(1, a.effectIds().size()));
        Application create = history(a).get(0);
        h.add(entry(create.effectId(), create.topic(), create.updatedAt(), ApplyResult.SKIPPED_STALE));
        store.replace(a.orderId(), List.of(new StoredOrder(a.orderId(), "d", a.state(), a.updatedAt(), 0, h)));

        assertThat(anomalies()).isEqualTo(Anomalies.NONE);
    }

    @Test
    void countsEventsAppliedMoreThanOnceAcrossAnOrdersDocuments() {
        ExpectedOrder a = orders.get(0);
        ExpectedOrder b = orders.get(1);
        List<Application> twice = new ArrayList<>(history(a));
        twice.add(1, twice.get(0)); // create applied again right after itself: same updated_at, not out of order
        store.replace(a.orderId(), List.of(doc(a, twice)));
        // Order b: a duplicate document that applied b's create again.
        store.put(new StoredOrder(b.orderId(), "dup", b.state(), b.updatedAt(), 0, List.of(history(b).get(0))));
        // A repeated stale skip is no second application.
        ExpectedOrder c = orders.get(2);
        List<Application> skips = new ArrayList<>(history(c));
        skips.add(entry(skips.get(0).effectId(), skips.get(0).topic(), skips.get(0).updatedAt(), ApplyResult.SKIPPED_STALE));
        skips.add(entry(skips.get(0).effectId(), skips.get(0).topic(), skips.get(0).updatedAt(), ApplyResult.SKIPPED_STALE));
        store.replace(c.orderId(), List.of(doc(c, skips)));

        assertThat(anomalies()).isEqualTo(new Anomalies(1, 0, 0, 2, 0, 0, 0));
    }

    @Test
    void countsAcceptedEventsWithNoHandlingAtAll() {
        ExpectedOrder a = orders.get(0);
        ExpectedOrder b = orders.get(1);
        store.replace(a.orderId(), List.of(doc(a, history(a).subList(0, 1)))); // all but the first lost
        List<Application> hb = new ArrayList<>(history(b));
        hb.remove(hb.size() - 1); // b's last event lost...
        store.replace(b.orderId(), List.of(doc(b, hb)));

        long lost = (a.effectIds().size() - 1) + 1;
        assertThat(anomalies()).isEqualTo(new Anomalies(0, 0, 0, 0, lost, 0, 0));

        // ...unless every delivery of it was refused: then it was never accepted.
        String refused = b.effectIds().get(b.effectIds().size() - 1);
        assertThat(Auditor.audit(Mode.NAIVE_LOCK, plan, fire(1, Set.of(refused)), counters(plan.events() - 1, 0, 0), store, 1)
                .anomalies().neverApplied()).isEqualTo(lost - 1);
    }

    @Test
    void anEventSkippedAsStaleOrFoundAlreadyAppliedWasHandled() {
        ExpectedOrder a = orders.get(0);
        List<Application> h = new ArrayList<>();
        for (Application x : history(a)) {
            h.add(entry(x.effectId(), x.topic(), x.updatedAt(),
                    h.isEmpty() ? ApplyResult.SKIPPED_STALE : h.size() == 1 ? ApplyResult.ALREADY_APPLIED : x.outcome()));
        }
        store.replace(a.orderId(), List.of(doc(a, h)));

        assertThat(anomalies().neverApplied()).isZero();
    }

    @Test
    void anOrderWithNoDocumentIsAMismatchAndAllItsEventsNeverApplied() {
        ExpectedOrder a = orders.get(0);
        store.replace(a.orderId(), List.of());

        assertThat(anomalies()).isEqualTo(new Anomalies(0, 0, 0, 0, a.effectIds().size(), 1, 0));
    }

    @Test
    void countsOrdersWithAWrongStateOrUpdatedAt() {
        ExpectedOrder a = orders.get(0);
        ExpectedOrder b = orders.get(1);
        ExpectedOrder c = orders.get(2);
        OrderState wrong = a.state() == OrderState.CREATED ? OrderState.PAID : OrderState.CREATED;
        store.replace(a.orderId(), List.of(new StoredOrder(a.orderId(), "d", wrong, a.updatedAt(), 0, history(a))));
        store.replace(b.orderId(), List.of(new StoredOrder(b.orderId(), "d", b.state(), b.updatedAt() - 1, 0, history(b))));
        // Of c's two documents one is right, one is stale: a reader may get either.
        store.put(new StoredOrder(c.orderId(), "dup", OrderState.CREATED, c.updatedAt() - 5, 0, List.of()));

        assertThat(anomalies()).isEqualTo(new Anomalies(1, 0, 0, 0, 0, 3, 0));
    }

    @Test
    void overlapsComeFromTheCounters() {
        RunCounters.Snapshot c = new RunCounters.Snapshot(plan.events(), 0, plan.events(), 0, 0, 4, 0, 0);
        assertThat(audit(fire(0, Set.of()), c).anomalies()).isEqualTo(new Anomalies(0, 0, 0, 0, 0, 0, 4));
    }

    @Test
    void integrityNeedsEveryAcceptedEventHandled() {
        AuditReport r = audit(fire(0, Set.of()), counters(plan.events() - 2, 0, 0));

        assertThat(r.anomalies()).isEqualTo(Anomalies.NONE);
        assertThat(r.unhandled()).isEqualTo(2);
        assertThat(r.integrity()).isFalse();
        assertThat(r.toText()).contains("INTEGRITY BROKEN").contains("2 of " + plan.events() + " accepted events not handled");
    }

    @Test
    void takesTheRunCountersAndFireStatsInTheAuditsTerms() {
        FireStats fire = fire(3, Set.of());
        AuditReport r = Auditor.audit(Mode.LOCKSTEP, plan, fire, new RunCounters.Snapshot(99, 99, 10, 5, 2, 0, 0, 0),
                store, 2.0, false);

        assertThat(r.accepted()).isEqualTo(fire.sent() - fire.duplicates() - 3);
        assertThat(r.rejected()).isEqualTo(3);
        assertThat(r.handled()).isEqualTo(15);
        assertThat(r.applied()).isEqualTo(10);
        assertThat(r.skippedStale()).isEqualTo(5);
        assertThat(r.staleWritesRejected()).isEqualTo(2);
        assertThat(r.seconds()).isEqualTo(2.0);
        assertThat(r.eventsPerSecond()).isEqualTo(r.accepted() / 2.0);
        assertThat(r.ackLatencyMs()).isEqualTo(new AuditReport.AckLatency(1.0, 2.0, 2.0));
        assertThat(r.drained()).isFalse();
    }

    @Test
    void withoutKnowingWhichEventsWereRefusedNeverAppliedIsALowerBound() {
        ExpectedOrder a = orders.get(0);
        store.replace(a.orderId(), List.of(doc(a, history(a).subList(0, 1))));
        long lost = a.effectIds().size() - 1;
        FireStats unknown = new FireStats(plan.deliveries().size(), 0, plan.duplicateDeliveries(), 1, latency(), 1);

        assertThat(unknown.refusedEventsIfKnown()).isEmpty();
        assertThat(Auditor.audit(Mode.NAIVE_LOCK, plan, unknown, counters(0, 0, 0), store, 1).anomalies().neverApplied())
                .isEqualTo(lost - 1);
    }

    @Test
    void jsonHasExactlyTheAuditTermsAndReadsBack() throws Exception {
        store.setStock("SKU-01", 0);
        AuditReport r = audit(fire(0, Set.of()), counters(plan.events(), 0, 0));
        String json = r.toJson();
        JsonNode node = new ObjectMapper().readTree(json);

        assertThat(json).doesNotContain("\n");
        assertThat(fieldNames(node)).containsExactly("runId", "compareId", "mode", "orders", "events", "eventsSent",
                "accepted", "duplicatesDropped", "rejected", "handled", "applied", "skippedStale", "staleWritesRejected",
                "seconds", "eventsPerSecond", "ackLatencyMs", "anomalies", "integrity", "drained", "journalDropped",
                "retries", "givenUp");
        assertThat(fieldNames(node.get("ackLatencyMs"))).containsExactly("p50", "p99", "max");
        assertThat(fieldNames(node.get("anomalies"))).containsExactly("duplicateOrders", "lostInventoryUnits",
                "outOfOrder", "appliedTwice", "neverApplied", "finalStateMismatch", "overlaps");
        assertThat(node.get("mode").asText()).isEqualTo("lockstep");
        assertThat(node.get("integrity").asBoolean()).isFalse();
        assertThat(node.get("anomalies").get("lostInventoryUnits").asLong()).isEqualTo(plan.expectedStock().get("SKU-01"));
        assertThat(AuditReport.fromJson(json)).isEqualTo(r);
    }

    @Test
    void compareReportWrapsRunsAndReadsBack() throws Exception {
        AuditReport clean = audit(fire(0, Set.of()), counters(plan.events(), 0, 0));
        store.put(new StoredOrder(orders.get(0).orderId(), "dup", OrderState.CREATED, 1, 0, List.of()));
        AuditReport broken = Auditor.audit(Mode.UNSAFE, plan, fire(0, Set.of()), counters(plan.events(), 0, 0), store, 1);
        CompareReport both = new CompareReport(List.of(broken, clean));

        JsonNode node = new ObjectMapper().readTree(both.toJson());
        assertThat(fieldNames(node)).containsExactly("runs");
        assertThat(node.get("runs").get(0).get("mode").asText()).isEqualTo("unsafe");
        assertThat(node.get("runs").get(1).get("integrity").asBoolean()).isTrue();
        assertThat(CompareReport.fromJson(both.toJson())).isEqualTo(both);
    }

    @Test
    void textReportExplainsEachAnomalyAndGivesAVerdict() {
        AuditReport r = audit(fire(0, Set.of()), counters(plan.events(), 0, 0));
        String text = r.toText();

        assertThat(text).contains("mode lockstep").contains("20 orders")
                .contains("Verdict: INTEGRITY HELD");
        for (AnomalyKind k : AnomalyKind.values()) {
            assertThat(text).contains(k.field()).contains(k.meaning());
        }
    }

    @Test
    void compareTableHasAColumnPerModeAndARowPerAnomalyPlusSpeedAndLatency() {
        AuditReport clean = audit(fire(0, Set.of()), counters(plan.events(), 0, 0));
        store.put(new StoredOrder(orders.get(0).orderId(), "dup", OrderState.CREATED, 1, 0, List.of()));
        AuditReport broken = Auditor.audit(Mode.UNSAFE, plan, fire(0, Set.of()), counters(plan.events(), 0, 0), store, 1);

        String table = AuditReport.compareTable(List.of(broken, clean));
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).contains("unsafe").contains("lockstep");
        assertThat(lines.get(0).indexOf("unsafe")).isLessThan(lines.get(0).indexOf("lockstep"));
        assertThat(lines).hasSize(1 + AnomalyKind.values().length + 3);
        assertThat(lines.get(1)).startsWith("duplicateOrders").matches(".*\\s1\\s+0$");
        assertThat(lines.get(6)).startsWith("finalStateMismatch").matches(".*\\s1\\s+0$");
        assertThat(table).contains("events/s").contains("p99 ack latency (ms)");
        assertThat(lines.get(lines.size() - 1)).startsWith("integrity").matches(".*NO\\s+yes$");
    }

    private AuditReport audit(FireStats fire, RunCounters.Snapshot counters) {
        return Auditor.audit(Mode.LOCKSTEP, plan, fire, counters, store, 1.5);
    }

    private Anomalies anomalies() {
        return audit(fire(0, Set.of()), counters(plan.events(), 0, 0)).anomalies();
    }

    /** Every delivery answered: one queued per event, the copies as duplicates, {@code rejected} refused. */
    private FireStats fire(long rejected, Set<String> refusedEvents) {
        long sent = plan.deliveries().size();
        return new FireStats(sent, plan.events() - rejected, plan.duplicateDeliveries(), rejected, latency(), 1.0,
                refusedEvents);
    }

    private static Histogram latency() {
        Histogram h = new Histogram(3);
        h.recordValue(1_000);
        h.recordValue(1_000);
        h.recordValue(2_000);
        return h;
    }

    private static RunCounters.Snapshot counters(long applied, long skipped, long overlaps) {
        return new RunCounters.Snapshot(applied + skipped, 0, applied, skipped, 0, overlaps, 0, 0);
    }

    private StoredOrder correctDoc(ExpectedOrder o, String id) {
        return new StoredOrder(o.orderId(), id, o.state(), o.updatedAt(), 0, history(o));
    }

    private StoredOrder doc(ExpectedOrder o, List<Application> history) {
        return new StoredOrder(o.orderId(), "doc-" + o.orderId(), o.state(), o.updatedAt(), 0, history);
    }

    /** The order's events applied once each, in generation order. */
    private List<Application> history(ExpectedOrder o) {
        List<Application> h = new ArrayList<>();
        for (String effect : o.effectIds()) {
            OrderEvent e = events.get(effect);
            h.add(entry(effect, e.topic(), e.updatedAt(), ApplyResult.APPLIED));
        }
        return h;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
