package io.herald.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parsers against output in the exact shape kafka-tools 4.1 prints, and the table against its own rendering. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ToolOutputTest {
    @Test
    void producerSummaryIsTheLineWithPercentilesNotAProgressLine() {
        String out =
                """
                51234 records sent, 10246.8 records/sec (10.01 MB/sec), 12.5 ms avg latency, 300.0 ms max latency.
                100000 records sent, 43459.4 records/sec (42.44 MB/sec), 438.34 ms avg latency, 714.00 ms max \
                latency, 387 ms 50th, 680 ms 95th, 698 ms 99th, 708 ms 99.9th.
                """;

        ToolOutput.ProducerSummary p = ToolOutput.producer(out).orElseThrow();

        assertThat(p.records()).isEqualTo(100_000);
        assertThat(p.recordsPerSec()).isEqualTo(43459.4);
        assertThat(p.mbPerSec()).isEqualTo(42.44);
        assertThat(p.avgLatencyMs()).isEqualTo(438.34);
        assertThat(p.p99Ms()).isEqualTo(698);
        assertThat(p.p999Ms()).isEqualTo(708);
    }

    @Test
    void consumerSummaryIsTheLineAfterTheHeader() {
        String out =
                """
                start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, \
                rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
                2026-11-25 01:54:31:111, 2026-11-25 01:54:33:244, 97.6563, 45.7835, 100000, 46882.3254, 1251, 882, \
                110.7214, 113378.6848
                """;

        ToolOutput.ConsumerSummary c = ToolOutput.consumer(out).orElseThrow();

        assertThat(c.messages()).isEqualTo(100_000);
        assertThat(c.fetchMbPerSec()).isEqualTo(110.7214);
        assertThat(c.fetchMsgPerSec()).isEqualTo(113378.6848);
    }

    @Test
    void aConsumerThatFailedHasNoSummary() {
        String out =
                """
                start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, \
                rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
                The node does not support FIND_COORDINATOR
                """;

        assertThat(ToolOutput.consumer(out)).isEmpty();
    }

    @Test
    void endToEndLatencySummary() {
        String out =
                """
                0\t158.831826
                1000\t1.655499
                Avg latency: 2.5027 ms
                Percentiles: 50th = 1, 99th = 11, 99.9th = 106
                """;

        ToolOutput.LatencySummary l = ToolOutput.latency(out).orElseThrow();

        assertThat(l.avgMs()).isEqualTo(2.5027);
        assertThat(l.p50Ms()).isEqualTo(1);
        assertThat(l.p99Ms()).isEqualTo(11);
        assertThat(l.p999Ms()).isEqualTo(106);
    }

    @Test
    void tableReportsMediansAndRatiosAndReadsBack() {
        ResultTable table = new ResultTable();
        for (double v : new double[] {30, 10, 20}) {
            table.add(ResultTable.HERALD, Metric.PRODUCE_ACKS1_RECORDS, v);
        }
        for (double v : new double[] {5, 40, 10}) {
            table.add(ResultTable.KAFKA, Metric.PRODUCE_ACKS1_RECORDS, v);
        }
        table.add(ResultTable.HERALD, Metric.CONSUME_MB, Double.NaN);
        table.add(ResultTable.HERALD, Metric.STARTUP_MS, 900);
        table.add(ResultTable.HERALD, Metric.STARTUP_MS, Double.NaN);
        table.add(ResultTable.HERALD, Metric.STARTUP_MS, 1100);

        String rendered = table.render(true, 3, EnumSet.allOf(Metric.class));
        Map<String, ResultTable.Row> rows = ResultTable.parse("intro line\n" + rendered);

        assertThat(rows).hasSize(Metric.values().length);
        ResultTable.Row produce = rows.get(Metric.PRODUCE_ACKS1_RECORDS.label);
        assertThat(produce.herald()).isEqualTo(20);
        assertThat(produce.kafka()).isEqualTo(10);
        assertThat(produce.ratio()).isEqualTo(2.0);
        assertThat(produce.better()).isEqualTo("higher");
        assertThat(rows.get(Metric.CONSUME_MB.label).herald()).isNaN();
        assertThat(rendered).contains("| " + Metric.STARTUP_MS.label + " | lower | 1000* |");
        assertThat(rows.get(Metric.STARTUP_MS.label).herald()).isEqualTo(1000);

        Map<String, ResultTable.Row> groupRows =
                ResultTable.parse(table.render(true, 3, EnumSet.of(Metric.STARTUP_MS, Metric.GROUP_CLASSIC_JOIN_MS)));
        assertThat(groupRows.keySet()).containsExactly(Metric.STARTUP_MS.label, Metric.GROUP_CLASSIC_JOIN_MS.label);
    }
}
