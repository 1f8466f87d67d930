package io.herald.tools.perf;

import java.io.PrintStream;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The {@code --print-metrics} table of the perf tools: a blank line, a header, then one row per client metric sorted
 * by its {@code group:name:{tags}} label, labels padded to the longest one, doubles with three decimals.
 */
public final class MetricsTable {
    private MetricsTable() {}

    public static void print(Map<MetricName, ? extends Metric> metrics, PrintStream out) {
        SortedMap<String, String> rows = new TreeMap<>();
        for (Metric metric : metrics.values()) {
            rows.put(label(metric.metricName()), shown(metric.metricValue()));
        }
        if (rows.isEmpty()) {
            return;
        }
        int width = rows.keySet().stream().mapToInt(String::length).max().orElseThrow();
        out.println();
        out.println(padded("Metric Name", width) + "   Value");
        rows.forEach((label, value) -> out.println(padded(label, width) + " : " + value));
    }

    static String label(MetricName name) {
        return name.group() + ":" + name.name() + ":" + name.tags();
    }

    static String shown(Object value) {
        return value instanceof Double d ? String.format("%.3f", d) : String.valueOf(value);
    }

    private static String padded(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
