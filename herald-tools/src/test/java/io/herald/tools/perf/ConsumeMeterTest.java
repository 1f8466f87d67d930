package io.herald.tools.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.SimpleDateFormat;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumeMeterTest {
    private final AtomicLong clock = new AtomicLong();
    private final ConsumeMeter meter = new ConsumeMeter(clock::get, utc(), 0);

    private static SimpleDateFormat utc() {
        var format = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss:SSS");
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        return format;
    }

    private void consume(int records, int keyBytes, int valueBytes) {
        for (int i = 0; i < records; i++) {
            meter.count(new ConsumerRecord<>("t", 0, i, new byte[keyBytes], new byte[valueBytes]));
        }
    }

    @Test
    void summaryCountsKeysAndValuesAndSubtractsRebalancing() {
        clock.set(1000);
        meter.onPartitionsAssigned(List.of(new TopicPartition("t", 0)));
        consume(128, 384, 16_000); // 2 MiB
        assertThat(meter.summary(2000))
                .isEqualTo("1970-01-01 00:00:00:000, 1970-01-01 00:00:02:000, 2.0000, 1.0000, 128, 64.0000, 1000,"
                        + " 1000, 2.0000, 128.0000");
    }

    @Test
    void progressCoversTheIntervalSinceTheLastReport() {
        clock.set(1000);
        meter.onPartitionsAssigned(List.of(new TopicPartition("t", 0)));
        consume(128, 0, 16_384);
        assertThat(meter.reportDue(1999, 2000)).isFalse();
        assertThat(meter.reportDue(2000, 2000)).isTrue();
        assertThat(meter.progress(2000))
                .isEqualTo("1970-01-01 00:00:02:000, 0, 2.0000, 1.0000, 128, 64.0000, 1000, 1000, 2.0000, 128.0000");
        consume(64, 0, 16_384);
        assertThat(meter.reportDue(3000, 2000)).isFalse();
        assertThat(meter.progress(3000))
                .isEqualTo("1970-01-01 00:00:03:000, 0, 3.0000, 1.0000, 192, 64.0000, 0, 1000, 1.0000, 64.0000");
    }

    @Test
    void rebalancingIsTimeWithoutAnyPartition() {
        var p0 = new TopicPartition("t", 0);
        var p1 = new TopicPartition("t", 1);
        clock.set(100);
        meter.onPartitionsAssigned(List.of(p0, p1));
        clock.set(500);
        meter.onPartitionsRevoked(List.of(p0)); // still owns p1: not rebalancing
        clock.set(600);
        meter.onPartitionsRevoked(List.of(p1));
        clock.set(900);
        meter.onPartitionsAssigned(List.of(p0));
        // 100 ms before the first assignment, 300 ms without partitions
        assertThat(meter.summary(1000)).contains(", 0, 0.0000, 400, 600, ");
    }

    @Test
    void progressRatesOverNoFetchTimeReadZero() {
        clock.set(1000);
        meter.onPartitionsAssigned(List.of(new TopicPartition("t", 0)));
        assertThat(meter.progress(1000)).endsWith(", 0, 0.0000, 1000, 0, 0.0000, 0.0000");
    }
}
