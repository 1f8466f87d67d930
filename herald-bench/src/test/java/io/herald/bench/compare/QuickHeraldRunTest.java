package io.herald.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end in its smallest mode against Herald alone: formats and starts a real Herald with the bin/
 * scripts, drives it with Kafka's perf tools (from this test's class path) and reads its own table back. It checks that
 * the figures are there, never what they are.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class QuickHeraldRunTest {
    @TempDir
    Path work;

    @Test
    void quickHeraldOnlyRunPrintsATableItsParserReads() throws Exception {
        Path heraldHome =
                Path.of(System.getProperty("herald.home")).toAbsolutePath().normalize();
        CompareOptions options = CompareOptions.parse(
                "--quick",
                "--herald-only",
                "--records",
                "5000",
                "--latency-messages",
                "200",
                "--group-members",
                "3",
                "--group-partitions",
                "6",
                "--commit-seconds",
                "1",
                "--herald-home",
                heraldHome.toString(),
                "--tools-classpath",
                System.getProperty("java.class.path"),
                "--work-dir",
                work.toString(),
                "--output",
                work.resolve("report.md").toString());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        String report = new CompareMain(options, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

        Map<String, ResultTable.Row> rows = ResultTable.parse(report);
        assertThat(rows.keySet()).as(progress.toString(StandardCharsets.UTF_8)).hasSize(Metric.values().length);
        for (Metric measured : new Metric[] {
            Metric.STARTUP_MS,
            Metric.PRODUCE_ACKS1_RECORDS,
            Metric.PRODUCE_ACKSALL_MB,
            Metric.FIXED_RATE_P99_MS,
            Metric.E2E_P99_MS,
            Metric.GROUP_CLASSIC_JOIN_MS,
            Metric.GROUP_CLASSIC_COMMITS,
            Metric.GROUP_CLASSIC_LEAVE_MS,
            Metric.GROUP_CONSUMER_JOIN_MS,
            Metric.GROUP_CONSUMER_COMMITS,
            Metric.GROUP_CONSUMER_LEAVE_MS,
            Metric.PEAK_RSS_MB
        }) {
            ResultTable.Row row = rows.get(measured.label);
            assertThat(row.herald())
                    .as(measured.label + "\n" + progress.toString(StandardCharsets.UTF_8))
                    .isNotNaN();
            assertThat(row.kafka()).isNaN();
        }
        assertThat(Files.readString(work.resolve("report.md"))).isEqualTo(report);
    }
}
