package io.herald.bench.compare;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the summaries Apache Kafka's perf tools print (the formats of kafka-tools 4.1). Each returns empty when
 * the summary is missing, so a tool that failed becomes "n/a" in the table instead of a wrong number.
 */
final class ToolOutput {
    private static final String NUM = "([0-9]+(?:\\.[0-9]+)?)";

    // ProducerPerformance's last line: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency,
    // P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th."
    private static final Pattern PRODUCER = Pattern.compile(NUM + " records sent, " + NUM + " records/sec \\(" + NUM
            + " MB/sec\\), " + NUM + " ms avg latency, " + NUM + " ms max latency, " + NUM + " ms 50th, " + NUM
            + " ms 95th, " + NUM + " ms 99th, " + NUM + " ms 99.9th");

    // EndToEndLatency: "Avg latency: A ms" then "Percentiles: 50th = P50, 99th = P99, 99.9th = P999".
    private static final Pattern LATENCY_AVG = Pattern.compile("Avg latency: " + NUM + " ms");
    private static final Pattern LATENCY_PERCENTILES =
            Pattern.compile("Percentiles: 50th = " + NUM + ", 99th = " + NUM + ", 99.9th = " + NUM);

    private ToolOutput() {}

    record ProducerSummary(
            long records,
            double recordsPerSec,
            double mbPerSec,
            double avgLatencyMs,
            double maxLatencyMs,
            double p50Ms,
            double p95Ms,
            double p99Ms,
            double p999Ms) {}

    /**
     * ConsumerPerformance's data line. The fetch figures exclude the time spent joining the group (rebalance), which
     * is what a throughput comparison wants; the totals include it.
     */
    record ConsumerSummary(
            double mb,
            double mbPerSec,
            long messages,
            double messagesPerSec,
            double fetchMbPerSec,
            double fetchMsgPerSec) {}

    record LatencySummary(double avgMs, double p50Ms, double p99Ms, double p999Ms) {}

    static Optional<ProducerSummary> producer(String output) {
        Matcher m = PRODUCER.matcher(output);
        ProducerSummary last = null;
        while (m.find()) { // progress lines share the prefix but not the percentiles; the summary is the last match
            last = new ProducerSummary(
                    (long) Double.parseDouble(m.group(1)),
                    Double.parseDouble(m.group(2)),
                    Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4)),
                    Double.parseDouble(m.group(5)),
                    Double.parseDouble(m.group(6)),
                    Double.parseDouble(m.group(7)),
                    Double.parseDouble(m.group(8)),
                    Double.parseDouble(m.group(9)));
        }
        return Optional.ofNullable(last);
    }

    static Optional<ConsumerSummary> consumer(String output) {
        boolean afterHeader = false;
        for (String line : output.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("start.time, end.time")) {
                afterHeader = true;
                continue;
            }
            if (!afterHeader) {
                continue;
            }
            String[] f = trimmed.split(",\\s*");
            if (f.length < 10) {
                continue;
            }
            try {
                return Optional.of(new ConsumerSummary(
                        Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]),
                        Long.parseLong(f[4]),
                        Double.parseDouble(f[5]),
                        Double.parseDouble(f[8]),
                        Double.parseDouble(f[9])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static Optional<LatencySummary> latency(String output) {
        Matcher avg = LATENCY_AVG.matcher(output);
        Matcher pct = LATENCY_PERCENTILES.matcher(output);
        if (!avg.find() || !pct.find()) {
            return Optional.empty();
        }
        return Optional.of(new LatencySummary(
                Double.parseDouble(avg.group(1)),
                Double.parseDouble(pct.group(1)),
                Double.parseDouble(pct.group(2)),
                Double.parseDouble(pct.group(3))));
    }
}
