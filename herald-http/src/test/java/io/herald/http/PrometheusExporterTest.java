package io.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metrics.BrokerTopicMetrics;
import io.herald.metrics.HeraldMetrics;
import io.herald.metrics.MetricName;
import io.herald.metrics.MetricNames;
import io.herald.metrics.RequestMetrics;
import io.herald.metrics.SampleFamily;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.hawkular.agent.prometheus.types.Summary;
import org.junit.jupiter.api.Test;

class PrometheusExporterTest {
    private static List<MetricFamily> parse(String text) throws Exception {
        List<MetricFamily> families = new ArrayList<>();
        TextPrometheusMetricDataParser parser =
                new TextPrometheusMetricDataParser(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        for (MetricFamily f = parser.parse(); f != null; f = parser.parse()) {
            families.add(f);
        }
        return families;
    }

    private static String scrape(PrometheusExporter exporter) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, exporter.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static MetricFamily family(List<MetricFamily> families, String name) {
        return families.stream()
                .filter(f -> f.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no family " + name));
    }

    @Test
    void metersBecomeCountersWithTheMBeanTagsAsLabels() throws Exception {
        HeraldMetrics metrics = HeraldMetrics.create();
        BrokerTopicMetrics topics = new BrokerTopicMetrics(metrics);
        topics.topic("orders").produced(3, 300, false);
        topics.topic("orders").produced(2, 200, false);
        topics.topic("audit").produced(0, 0, true);

        List<MetricFamily> families = parse(scrape(new PrometheusExporter(metrics)));

        MetricFamily messagesIn = family(families, "herald_topic_messages_in_total");
        assertThat(messagesIn.getType()).isEqualTo(MetricType.COUNTER);
        assertThat(messagesIn.getMetrics())
                .extracting(m -> m.getLabels().get("topic"), m -> ((Counter) m).getValue())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("orders", 5.0),
                        org.assertj.core.groups.Tuple.tuple("audit", 0.0));
        assertThat(family(families, "herald_topic_bytes_in_total").getMetrics())
                .anySatisfy(m -> assertThat(((Counter) m).getValue()).isEqualTo(500.0));
        assertThat(family(families, "herald_topic_failed_produce_requests_total")
                        .getMetrics())
                .anySatisfy(m -> {
                    assertThat(m.getLabels()).containsEntry("topic", "audit");
                    assertThat(((Counter) m).getValue()).isEqualTo(1.0);
                });
        // The all-topics meters are JMX's; Prometheus sums the per-topic series instead of double counting.
        assertThat(messagesIn.getMetrics())
                .allSatisfy(m -> assertThat(m.getLabels()).containsKey("topic"));
        assertThat(families).anySatisfy(f -> assertThat(f.getName()).startsWith("jvm_"));
    }

    @Test
    void requestLatencyIsASummaryInSeconds() throws Exception {
        HeraldMetrics metrics = HeraldMetrics.create();
        RequestMetrics requests = new RequestMetrics(metrics);
        for (int i = 0; i < 100; i++) {
            requests.received();
            requests.completed(0, "Produce", (short) 11, TimeUnit.MILLISECONDS.toNanos(20), null);
        }
        requests.received();
        requests.completed(0, "Produce", (short) 9, TimeUnit.MILLISECONDS.toNanos(20), "NOT_LEADER_OR_FOLLOWER");

        List<MetricFamily> families = parse(scrape(new PrometheusExporter(metrics)));

        assertThat(family(families, "herald_requests_total").getMetrics())
                .extracting(m -> m.getLabels().get("version"), m -> ((Counter) m).getValue())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("11", 100.0),
                        org.assertj.core.groups.Tuple.tuple("9", 1.0));
        Summary latency = (Summary) family(families, "herald_request_total_time_seconds")
                .getMetrics()
                .get(0);
        assertThat(latency.getLabels()).containsEntry("request", "Produce");
        assertThat(latency.getSampleCount()).isEqualTo(101);
        assertThat(latency.getQuantiles()).anySatisfy(q -> {
            assertThat(q.getQuantile()).isEqualTo(0.99);
            assertThat(q.getValue()).isCloseTo(0.020, org.assertj.core.data.Offset.offset(1e-6));
        });
        assertThat(family(families, "herald_request_errors_total").getMetrics())
                .singleElement()
                .satisfies(m -> assertThat(m.getLabels()).containsEntry("error", "NOT_LEADER_OR_FOLLOWER"));
        assertThat(family(families, "herald_requests_in_flight").getMetrics())
                .singleElement()
                .satisfies(m -> assertThat(((org.hawkular.agent.prometheus.types.Gauge) m).getValue())
                        .isZero());
    }

    @Test
    void removedMeasurementsLeaveTheScrape() throws Exception {
        HeraldMetrics metrics = HeraldMetrics.create();
        BrokerTopicMetrics topics = new BrokerTopicMetrics(metrics);
        topics.topic("gone").produced(1, 10, false);
        metrics.gauge(MetricNames.log("LogEndOffset", "gone", 0), () -> 1L);
        metrics.addFamily(new SampleFamily() {
            @Override
            public String name() {
                return "herald_consumer_group_lag_records";
            }

            @Override
            public String help() {
                return "lag";
            }

            @Override
            public List<String> labelNames() {
                return List.of("group", "topic", "partition");
            }

            @Override
            public List<Sample> collect() {
                return List.of(new Sample(List.of("g", "gone", "0"), 4));
            }
        });
        PrometheusExporter exporter = new PrometheusExporter(metrics);
        assertThat(scrape(exporter))
                .contains("herald_topic_messages_in_total{topic=\"gone\"} 1")
                .contains("herald_log_end_offset{partition=\"0\",topic=\"gone\"} 1")
                .contains("herald_consumer_group_lag_records{group=\"g\",partition=\"0\",topic=\"gone\"} 4");

        topics.removeTopic("gone");
        metrics.removeIf(n -> "gone".equals(n.tags().get("topic")));

        assertThat(scrape(exporter)).doesNotContain("topic=\"gone\"} 1");
    }

    @Test
    void unmappedMeasurementsGetANameFromTheirTypeAndName() {
        assertThat(PrometheusNames.of(MetricName.of("kafka.server", "SomeNewType", "ThingsPerSec")))
                .hasValueSatisfying(t -> assertThat(t.name()).isEqualTo("herald_some_new_type_things_per_sec"));
        assertThat(PrometheusNames.of(MetricNames.brokerTopic("MessagesInPerSec", null)))
                .isEmpty();
        assertThat(PrometheusNames.of(MetricNames.UNDER_REPLICATED_PARTITIONS))
                .hasValueSatisfying(t -> assertThat(t.name()).isEqualTo("herald_under_replicated_partitions"));
        assertThat(PrometheusNames.of(MetricNames.requestTotalTime("Fetch")))
                .hasValueSatisfying(t -> assertThat(t.name()).endsWith("_seconds"));
    }

    @Test
    void routesAreServedOverHttpIncludingOnesAddedAfterStart() throws Exception {
        HeraldMetrics metrics = HeraldMetrics.create();
        HttpRoutes routes = new HttpRoutes();
        new PrometheusExporter(metrics).addTo(routes);
        try (HttpServers servers = HttpServers.start(List.of(new HttpServers.Listener("127.0.0.1", 0)), routes)) {
            int port = servers.addresses().get(0).getPort();
            routes.add("/hello", exchange -> {
                byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> metricsPage = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metricsPage.statusCode()).isEqualTo(200);
            assertThat(metricsPage.body()).contains("jvm_");
            HttpResponse<String> hello = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hello.body()).isEqualTo("hi");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> routes.add("/metrics", exchange -> {}))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theGrafanaDashboardQueriesOnlyNamesHeraldExports() throws Exception {
        java.nio.file.Path dashboard = java.nio.file.Path.of("..", "config", "grafana", "herald-dashboard.json");
        String json = java.nio.file.Files.readString(dashboard);
        java.util.Set<String> known = new java.util.HashSet<>(PrometheusNames.names());
        known.add("herald_consumer_group_lag_records");
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("herald_[a-z_]+").matcher(json);
        int found = 0;
        while (m.find()) {
            String name = m.group().replaceAll("_(total|sum|count)$", "");
            assertThat(known).as("dashboard query name %s", m.group()).contains(name);
            found++;
        }
        assertThat(found).isGreaterThan(10);
    }

    @Test
    void listenersParseAsUrls() {
        assertThat(HttpServers.Listener.parse("http://localhost:8080"))
                .isEqualTo(new HttpServers.Listener("localhost", 8080));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpServers.Listener.parse("localhost:8080"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpServers.Listener.parse("https://h:1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
