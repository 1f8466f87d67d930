package io.herald.metrics;

import java.util.List;

/**
 * Gauge samples of one Prometheus family computed when scraped (consumer-group lag): a name with its unit, help text,
 * label names, and the current samples. Bounded by what this node hosts.
 */
public interface SampleFamily {
    String name();

    String help();

    List<String> labelNames();

    /** The current samples; label values in {@link #labelNames()} order. */
    List<Sample> collect();

    record Sample(List<String> labelValues, double value) {}
}
