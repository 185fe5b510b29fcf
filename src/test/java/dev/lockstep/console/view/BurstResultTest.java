package dev.lockstep.console.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.pipeline.Mode;
import org.junit.jupiter.api.Test;

/** The Burst view's result accounts for every delivery and every accepted event, and checks the sums. */
class BurstResultTest {

    private static String text(String html) {
        return html.replaceAll("<[^>]+>", " ").replace("&nbsp;", " ").replaceAll("\\s+", " ");
    }

    @Test
    void skippedAsStaleFillsTheGapBetweenAcceptedAndApplied() {
        String html = text(BurstPanel.resultHtml(RunProgressTextTest.run(Mode.LOCKSTEP, 8_000, 7_315, 685, 8_000)));

        assertThat(html).contains("Accepted events 8,000", "applied 7,315", "skipped as stale 685",
                "not handled (parked, lost or still queued) 0", "= 8,000 accepted ✓", "= 8,932 sent ✓");
        assertThat(html).doesNotContain("✗ the parts");
    }

    @Test
    void partsThatDoNotAddUpAreCalledOut() {
        // an audit whose handled count is not applied + skipped: the parts miss 100 events
        String html = text(BurstPanel.resultHtml(RunProgressTextTest.run(Mode.NAIVE_LOCK, 8_000, 7_215, 685, 8_000)));

        assertThat(html).contains("✗ the parts add up to 7,900, not 8,000 accepted");
    }
}
