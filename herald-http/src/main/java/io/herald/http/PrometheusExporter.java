package io.herald.http;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metered;
import com.codahale.metrics.Metric;
import com.codahale.metrics.Sampling;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.herald.metrics.HeraldMetrics;
import io.herald.metrics.MetricName;
import io.herald.metrics.SampleFamily;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a node's {@link HeraldMetrics} to Prometheus: at each scrape it reads the same meters, timers and gauges
 * the JMX beans read and builds the Prometheus client's snapshots (meters as counters, timers as summaries in
 * seconds, gauges as gauges), plus the scrape-time families and the client library's JVM, GC and process metrics.
 * The exposition (Prometheus text or OpenMetrics, by the scraper's Accept header) is the client library's.
 */
public final class PrometheusExporter implements MultiCollector {
    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};
    private static final double NANOS_PER_SECOND = 1e9;

    private final HeraldMetrics metrics;
    private final PrometheusRegistry registry = new PrometheusRegistry();

    public PrometheusExporter(HeraldMetrics metrics) {
        this.metrics = metrics;
        registry.register(this);
        JvmMetrics.builder().register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Adds {@code /metrics} to the routes. */
    public void addTo(HttpRoutes routes) {
        routes.add("/metrics", new MetricsHandler(registry));
    }

    private static final class Family {
        final PrometheusNames.Target target;
        final List<Object> points = new ArrayList<>();
        String kind;

        Family(PrometheusNames.Target target) {
            this.target = target;
        }
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new LinkedHashMap<>();
        for (Map.Entry<MetricName, Metric> entry : metrics.metrics().entrySet()) {
            MetricName name = entry.getKey();
            Metric metric = entry.getValue();
            PrometheusNames.of(name).ifPresent(target -> {
                Family family = families.computeIfAbsent(target.name(), n -> new Family(target));
                Labels labels = labels(name);
                if (metric instanceof Timer timer) {
                    family.kind = "summary";
                    family.points.add(summary(timer, labels));
                } else if (metric instanceof Metered || metric instanceof Counting) {
                    family.kind = "counter";
                    family.points.add(CounterSnapshot.CounterDataPointSnapshot.builder()
                            .value(((Counting) metric).getCount())
                            .labels(labels)
                            .build());
                } else if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number value) {
                    family.kind = "gauge";
                    family.points.add(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                            .value(value.doubleValue())
                            .labels(labels)
                            .build());
                }
            });
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        families.values().forEach(f -> {
            if (f.kind != null) {
                snapshots.add(snapshot(f));
            }
        });
        for (SampleFamily family : metrics.families()) {
            GaugeSnapshot.Builder gauge =
                    GaugeSnapshot.builder().name(family.name()).help(family.help());
            String[] labelNames = family.labelNames().toArray(String[]::new);
            for (SampleFamily.Sample sample : family.collect()) {
                gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .value(sample.value())
                        .labels(Labels.of(labelNames, sample.labelValues().toArray(String[]::new)))
                        .build());
            }
            snapshots.add(gauge.build());
        }
        return new MetricSnapshots(snapshots);
    }

    private static SummarySnapshot.SummaryDataPointSnapshot summary(Timer timer, Labels labels) {
        Snapshot snapshot = ((Sampling) timer).getSnapshot();
        Quantiles.Builder quantiles = Quantiles.builder();
        for (double q : QUANTILES) {
            quantiles.quantile(new Quantile(q, snapshot.getValue(q) / NANOS_PER_SECOND));
        }
        return SummarySnapshot.SummaryDataPointSnapshot.builder()
                .count(timer.getCount())
                .quantiles(quantiles.build())
                .labels(labels)
                .build();
    }

    private static MetricSnapshot snapshot(Family family) {
        String name = family.target.name();
        String help = family.target.help();
        switch (family.kind) {
            case "counter" -> {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                family.points.forEach(p -> b.dataPoint((CounterSnapshot.CounterDataPointSnapshot) p));
                return b.build();
            }
            case "summary" -> {
                SummarySnapshot.Builder b = SummarySnapshot.builder().name(name).help(help);
                family.points.forEach(p -> b.dataPoint((SummarySnapshot.SummaryDataPointSnapshot) p));
                return b.build();
            }
            default -> {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
                family.points.forEach(p -> b.dataPoint((GaugeSnapshot.GaugeDataPointSnapshot) p));
                return b.build();
            }
        }
    }

    private static Labels labels(MetricName name) {
        if (name.tags().isEmpty()) {
            return Labels.EMPTY;
        }
        String[] keys = name.tags().keySet().toArray(String[]::new);
        String[] values = name.tags().values().toArray(String[]::new);
        return Labels.of(keys, values);
    }
}
