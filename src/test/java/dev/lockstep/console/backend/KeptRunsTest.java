package dev.lockstep.console.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.audit.AuditReport;
import dev.lockstep.burst.BurstPlan;
import dev.lockstep.burst.BurstSpec;
import dev.lockstep.config.LockstepConfig;
import dev.lockstep.console.view.TimelineAnalysis;
import dev.lockstep.pipeline.Mode;
import dev.lockstep.runtime.BurstLauncher;
import dev.lockstep.runtime.BurstRun;
import dev.lockstep.runtime.LockstepRuntime;
import dev.lockstep.store.JournalEntry;
import dev.lockstep.store.JournalStage;
import dev.lockstep.store.RunIds;
import dev.lockstep.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, runs are first-class, on the real store: every run's journal entries and report carry
 * its id, the journal writes two entries per applied event (ingest, handler), a console started
 * later finds the kept runs again, and runs past {@code runs.retain} are pruned.
 */
class KeptRunsTest {
    private static final BurstLauncher.Options DIRECT = new BurstLauncher.Options(false, 4, 0, Duration.ofSeconds(60));

    @Test
    void runsAreKeptAcrossARestartTwoEntriesPerEventAndPrunedPastTheBound() throws Exception {
        LockstepConfig cfg = TestServers.get().config(Map.of("runs.retain", "2"));
        BurstPlan plan = BurstPlan.generate(BurstSpec.of(5, 0, 0, 7)); // no duplicates: one delivery per event
        long order = plan.expected().keySet().iterator().next();
        long eventsOfOrder = plan.deliveries().stream().filter(d -> d.event().orderId() == order).count();
        List<AuditReport> reports = new ArrayList<>();
        try (LockstepRuntime first = LockstepRuntime.start(cfg)) {
            for (int i = 0; i < 3; i++) {
                reports.add(BurstLauncher.run(first, new BurstLauncher.Target.NewPipeline(Mode.LOCKSTEP), plan, DIRECT,
                        BurstRun.ProgressListener.NONE));
            }
            assertThat(reports).extracting(AuditReport::runId).allMatch(RunIds::valid).doesNotHaveDuplicates();
            assertThat(reports).allMatch(AuditReport::integrity);

            // one ingest entry and one handler entry per event, nothing else, in the run's own id
            String lastRun = reports.get(2).runId();
            List<JournalEntry> entries = first.journal(Mode.LOCKSTEP).forOrder(order).stream()
                    .filter(e -> e.runId().equals(lastRun)).toList();
            assertThat(entries).hasSize((int) (2 * eventsOfOrder));
            Map<String, List<JournalStage>> byEvent = entries.stream().collect(Collectors.groupingBy(
                    JournalEntry::effectId, Collectors.mapping(JournalEntry::stage, Collectors.toList())));
            assertThat(byEvent).hasSize((int) eventsOfOrder).allSatisfy((effect, stages) -> {
                assertThat(stages).hasSize(2).contains(JournalStage.ENQUEUED);
                assertThat(stages.get(1).handlerOutcome()).isTrue();
            });
            assertThat(entries).filteredOn(e -> e.stage().handlerOutcome())
                    .allSatisfy(e -> assertThat(e.startedAt()).isPositive().isLessThanOrEqualTo(e.at()));
        }

        // a console started afterwards (the same servers) shows the kept runs: the newest two
        try (LiveConsoleBackend console = new LiveConsoleBackend(LockstepRuntime.start(cfg), false)) {
            assertThat(console.runs()).extracting(RunResult::runId)
                    .containsExactly(reports.get(1).runId(), reports.get(2).runId());
            assertThat(console.runs().get(1).report().orders()).isEqualTo(5);
            assertThat(console.runs().get(1).seed()).isEqualTo(7);

            OrderTimeline latest = console.timeline(Mode.LOCKSTEP, order);
            assertThat(latest.runs()).containsExactly(reports.get(2).runId(), reports.get(1).runId()); // first pruned
            assertThat(latest.runId()).isEqualTo(reports.get(2).runId());
            TimelineAnalysis a = TimelineAnalysis.of(latest);
            assertThat(a.rows()).hasSize((int) eventsOfOrder).allSatisfy(r -> assertThat(r.segments())
                    .extracting(TimelineAnalysis.Segment::kind).first().isEqualTo(TimelineAnalysis.Kind.WAITING));
            assertThat(a.rows()).allSatisfy(r -> assertThat(r.segments()).anyMatch(s -> s.kind().handler()));
            assertThat(a.storeShown()).isTrue();

            OrderTimeline older = console.timeline(Mode.LOCKSTEP, order, reports.get(1).runId());
            assertThat(older.runId()).isEqualTo(reports.get(1).runId());
            assertThat(older.journal()).hasSize((int) (2 * eventsOfOrder));
            assertThat(older.storeHoldsRun()).isFalse();

            console.clearRuns();
            assertThat(console.runs()).isEmpty();
            assertThat(console.timeline(Mode.LOCKSTEP, order).journal()).isEmpty();
        }
    }
}
