package io.herald.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.Metric;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.Summary;

/** One scrape of a node's {@code /metrics}, parsed with a Prometheus text-format parser as a scraper reads it. */
record Scrape(List<MetricFamily> families) {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static Scrape of(int httpPort) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get(httpPort, null);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /metrics answered " + response.statusCode());
        }
        List<MetricFamily> families = new ArrayList<>();
        TextPrometheusMetricDataParser parser =
                new TextPrometheusMetricDataParser(new ByteArrayInputStream(response.body()));
        for (MetricFamily family = parser.parse(); family != null; family = parser.parse()) {
            families.add(family);
        }
        return new Scrape(families);
    }

    static HttpResponse<byte[]> get(int httpPort, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                .timeout(Duration.ofSeconds(20));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The samples of family {@code name} whose labels include {@code labels}. */
    List<Metric> samples(String name, Map<String, String> labels) {
        List<Metric> found = new ArrayList<>();
        for (MetricFamily family : families) {
            if (!family.getName().equals(name)) {
                continue;
            }
            for (Metric metric : family.getMetrics()) {
                if (metric.getLabels().entrySet().containsAll(labels.entrySet())) {
                    found.add(metric);
                }
            }
        }
        return found;
    }

    boolean has(String name) {
        return families.stream().anyMatch(f -> f.getName().equals(name));
    }

    /** The sum of the matching counters' or gauges' values (empty when none match). */
    OptionalDouble sum(String name, Map<String, String> labels) {
        List<Metric> found = samples(name, labels);
        if (found.isEmpty()) {
            return OptionalDouble.empty();
        }
        double total = 0;
        for (Metric metric : found) {
            total += switch (metric) {
                case Counter c -> c.getValue();
                case Gauge g -> g.getValue();
                case Summary s -> s.getSampleCount();
                default -> throw new AssertionError("unexpected sample type " + metric);
            };
        }
        return OptionalDouble.of(total);
    }

    double value(String name, Map<String, String> labels) {
        return sum(name, labels).orElse(0);
    }
}
