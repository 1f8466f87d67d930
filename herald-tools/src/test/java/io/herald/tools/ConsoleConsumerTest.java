package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsoleConsumerTest {
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final AtomicReference<Properties> usedProps = new AtomicReference<>();
    private final TopicPartition tp = new TopicPartition("t", 0);

    private ToolOutput consume(String... args) {
        return ToolOutput.run(
                (a, o, e) -> ConsoleConsumer.run(
                        a,
                        o,
                        e,
                        props -> {
                            usedProps.set(props);
                            return consumer;
                        },
                        loop -> {}),
                args);
    }

    private void addRecords(int n) {
        consumer.updateBeginningOffsets(Map.of(tp, 0L));
        consumer.updateEndOffsets(Map.of(tp, (long) n));
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < n; i++) {
                consumer.addRecord(new ConsumerRecord<>(
                        "t",
                        0,
                        i,
                        ("k" + i).getBytes(StandardCharsets.UTF_8),
                        ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
        });
    }

    @Test
    void partitionFromBeginningWithMaxMessages() {
        addRecords(3);
        var r = consume(
                "--bootstrap-server",
                "h:9092",
                "--topic",
                "t",
                "--partition",
                "0",
                "--offset",
                "earliest",
                "--max-messages",
                "2",
                "--property",
                "print.key=true",
                "--property",
                "print.offset=true");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Offset:0\tk0\tv0\nOffset:1\tk1\tv1\n");
        assertThat(r.err()).isEqualTo("Processed a total of 2 messages\n");
        Properties p = usedProps.get();
        assertThat(p.getProperty("group.id")).matches("console-consumer-\\d{1,5}");
        assertThat(p.getProperty("enable.auto.commit")).isEqualTo("false");
        assertThat(p.getProperty("auto.offset.reset")).isEqualTo("latest");
        assertThat(p.getProperty("isolation.level")).isEqualTo("read_uncommitted");
    }

    @Test
    void timeoutEndsWithSummary() {
        addRecords(1);
        var r = consume(
                "--bootstrap-server", "h", "--topic", "t", "--partition", "0", "--offset", "0", "--timeout-ms", "50");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("v0\n");
        assertThat(r.err()).isEqualTo("Processed a total of 1 messages\n");
    }

    @Test
    void groupAndFromBeginningSetConsumerProps() {
        consumer.schedulePollTask(() -> {});
        var r = consume(
                "--bootstrap-server",
                "h",
                "--topic",
                "t",
                "--group",
                "g1",
                "--from-beginning",
                "--timeout-ms",
                "10",
                "--consumer-property",
                "fetch.min.bytes=5");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Properties p = usedProps.get();
        assertThat(p.getProperty("group.id")).isEqualTo("g1");
        assertThat(p.getProperty("auto.offset.reset")).isEqualTo("earliest");
        assertThat(p.getProperty("fetch.min.bytes")).isEqualTo("5");
        assertThat(p.containsKey("enable.auto.commit")).isFalse();
    }

    @Test
    void argumentErrors() {
        assertThat(consume("--bootstrap-server", "h").err())
                .isEqualTo("Exactly one of the following arguments is required: [topic], [include]\n");
        assertThat(consume("--bootstrap-server", "h", "--include", "a.*", "--partition", "0")
                        .err())
                .isEqualTo("The topic is required when partition is specified.\n");
        assertThat(consume("--bootstrap-server", "h", "--topic", "t", "--offset", "5")
                        .err())
                .isEqualTo("The partition is required when offset is specified.\n");
        assertThat(consume("--topic", "t").err()).isEqualTo("Missing required argument \"[bootstrap-server]\"\n");
        assertThat(consume("--bootstrap-server", "h", "--topic", "t", "--partition", "0", "--offset", "-3")
                        .err())
                .isEqualTo("The provided offset value '-3' is incorrect. Valid values are 'earliest', 'latest', or a"
                        + " non-negative long.\n");
        assertThat(consume(
                                "--bootstrap-server",
                                "h",
                                "--topic",
                                "t",
                                "--group",
                                "a",
                                "--consumer-property",
                                "group.id=b")
                        .err())
                .isEqualTo("The group ids provided in different places (directly using '--group', via"
                        + " '--consumer-property', or via '--consumer.config') do not match. Detected group ids:"
                        + " 'a', 'b'\n");
        assertThat(consume("--bootstrap-server", "h", "--topic", "t", "--group", "a", "--partition", "0")
                        .err())
                .isEqualTo("Options group and partition cannot be specified together.\n");
        assertThat(consume(
                                "--bootstrap-server",
                                "h",
                                "--topic",
                                "t",
                                "--from-beginning",
                                "--consumer-property",
                                "auto.offset.reset=latest")
                        .err())
                .isEqualTo("Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest', please"
                        + " remove one option\n");
    }
}
