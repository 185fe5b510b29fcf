package dev.lockstep.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.MetricFamily;

/** A scrape of {@code GET /metrics} read by an independent Prometheus text-format parser, by family name. */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** @throws IllegalStateException when a family appears twice (a scraper would reject the scrape) */
    public static Map<String, MetricFamily> parse(String text) throws IOException {
        Map<String, MetricFamily> families = new HashMap<>();
        TextPrometheusMetricDataParser parser =
                new TextPrometheusMetricDataParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        MetricFamily f;
        while ((f = parser.parse()) != null) {
            if (families.put(f.getName(), f) != null) {
                throw new IllegalStateException("metric family " + f.getName() + " appears twice");
            }
        }
        return families;
    }
}
