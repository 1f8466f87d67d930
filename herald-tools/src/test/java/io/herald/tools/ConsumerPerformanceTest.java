package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsumerPerformanceTest {
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final AtomicReference<Properties> props = new AtomicReference<>();
    private final AtomicLong now = new AtomicLong(1_000_000);

    private ToolOutput perf(String... args) {
        return ToolOutput.run(
                (a, o, e) -> ConsumerPerformance.run(
                        a,
                        o,
                        e,
                        p -> {
                            props.set(p);
                            return consumer;
                        },
                        () -> now.addAndGet(10)),
                args);
    }

    @Test
    void consumesAndPrintsHeaderAndSummary() {
        var tp = new TopicPartition("t", 0);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(tp));
            consumer.updateBeginningOffsets(Map.of(tp, 0L));
            for (int i = 0; i < 3; i++) {
                consumer.addRecord(new ConsumerRecord<>("t", 0, i, null, "abcd".getBytes(StandardCharsets.UTF_8)));
            }
        });
        var r = perf("--bootstrap-server", "h:9092", "--topic", "t", "--messages", "3");
        assertThat(r.exitCode()).as(r.err()).isZero();
        var lines = r.out().split("\n");
        assertThat(lines[0])
                .isEqualTo("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,"
                        + " rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec");
        assertThat(lines[1])
                .matches("[-0-9: ]+, [-0-9: ]+, 0\\.0000, [0-9.]+, 3, [0-9.]+, \\d+, \\d+, [0-9.]+, [0-9.]+");
        assertThat(props.get().getProperty("group.id")).startsWith("perf-consumer-");
        assertThat(props.get().getProperty("auto.offset.reset")).isEqualTo("earliest");
    }

    @Test
    void timeoutWarns() {
        var r = perf("--bootstrap-server", "h", "--topic", "t", "--messages", "1", "--timeout", "50", "--hide-header");
        assertThat(r.out())
                .startsWith("WARNING: Exiting before consuming the expected number of messages: timeout (50 ms)"
                        + " exceeded. You can use the --timeout option to increase the timeout.\n");
    }

    @Test
    void argumentErrors() {
        assertThat(perf("--bootstrap-server", "h", "--topic", "t").err())
                .isEqualTo("Missing required argument \"[messages]\"\n");
        assertThat(perf("--bootstrap-server", "h", "--messages", "1").err())
                .isEqualTo("Exactly one of the following arguments is required: [topic], [include]\n");
    }
}
