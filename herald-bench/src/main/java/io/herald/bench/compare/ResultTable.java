package io.herald.bench.compare;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The samples of every run and the table made from them: per figure the median of each broker's runs and the ratio
 * Herald/Kafka. A failed measurement is a missing sample; a figure with no samples prints "n/a". {@link #parse} reads a
 * printed table back, so tests (and scripts) check the output without scraping by position.
 */
final class ResultTable {
    static final String HERALD = "Herald";
    static final String KAFKA = "Kafka";
    private static final String NOT_RUN = "-";
    private static final String MISSING = "n/a";
    static final String FEWER_RUNS = "*";

    private final Map<Metric, Map<String, List<Double>>> samples = new EnumMap<>(Metric.class);

    /** Records one run's value; NaN (a tool that failed or printed no summary) is dropped. */
    void add(String broker, Metric metric, double value) {
        List<Double> values = samples.computeIfAbsent(metric, m -> new LinkedHashMap<>())
                .computeIfAbsent(broker, b -> new ArrayList<>());
        if (!Double.isNaN(value) && !Double.isInfinite(value)) {
            values.add(value);
        }
    }

    /** The median of a broker's samples for a figure, NaN when it has none. */
    double median(String broker, Metric metric) {
        List<Double> values = samples.getOrDefault(metric, Map.of()).getOrDefault(broker, List.of()).stream()
                .sorted()
                .toList();
        if (values.isEmpty()) {
            return Double.NaN;
        }
        int mid = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(mid) : (values.get(mid - 1) + values.get(mid)) / 2;
    }

    /** The number of samples behind a median, to flag figures where some runs failed. */
    int sampleCount(String broker, Metric metric) {
        return samples.getOrDefault(metric, Map.of())
                .getOrDefault(broker, List.of())
                .size();
    }

    /**
     * A Markdown table: figure, which way is better, Herald's median, Kafka's median, Herald/Kafka. A median over fewer
     * than {@code runs} samples (a tool failed in some run) is marked with {@value #FEWER_RUNS}.
     */
    String render(boolean withKafka, int runs, Set<Metric> shown) {
        StringBuilder out = new StringBuilder();
        out.append("| figure | better | Herald | Kafka | Herald/Kafka |\n");
        out.append("| --- | --- | ---: | ---: | ---: |\n");
        for (Metric metric : shown) {
            double herald = median(HERALD, metric);
            double kafka = withKafka ? median(KAFKA, metric) : Double.NaN;
            String ratio = !withKafka
                    ? NOT_RUN
                    : Double.isNaN(herald) || Double.isNaN(kafka) || kafka == 0
                            ? MISSING
                            : String.format(Locale.ROOT, "%.2f", herald / kafka);
            out.append("| ")
                    .append(metric.label)
                    .append(" | ")
                    .append(metric.higherIsBetter ? "higher" : "lower")
                    .append(" | ")
                    .append(format(herald) + marker(HERALD, metric, runs))
                    .append(" | ")
                    .append(withKafka ? format(kafka) + marker(KAFKA, metric, runs) : NOT_RUN)
                    .append(" | ")
                    .append(ratio)
                    .append(" |\n");
        }
        return out.toString();
    }

    private String marker(String broker, Metric metric, int runs) {
        int count = sampleCount(broker, metric);
        return count > 0 && count < runs ? FEWER_RUNS : "";
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return MISSING;
        }
        double abs = Math.abs(value);
        String pattern = abs >= 100 ? "%.0f" : abs >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** One parsed row; a value is NaN when the table says "n/a" or "-". */
    record Row(String figure, String better, double herald, double kafka, double ratio) {}

    /** Reads every row of a table printed by {@link #render} out of {@code text}, keyed by figure. */
    static Map<String, Row> parse(String text) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("|") || !trimmed.endsWith("|")) {
                continue;
            }
            String[] cells = trimmed.substring(1, trimmed.length() - 1).split("\\|");
            if (cells.length != 5) {
                continue;
            }
            String figure = cells[0].trim();
            String better = cells[1].trim();
            if (!better.equals("higher") && !better.equals("lower")) {
                continue; // the header and the separator row
            }
            rows.put(figure, new Row(figure, better, value(cells[2]), value(cells[3]), value(cells[4])));
        }
        return rows;
    }

    private static double value(String cell) {
        String s = cell.trim();
        if (s.endsWith(FEWER_RUNS)) {
            s = s.substring(0, s.length() - FEWER_RUNS.length());
        }
        if (s.equals(MISSING) || s.equals(NOT_RUN)) {
            return Double.NaN;
        }
        return Double.parseDouble(s);
    }
}
