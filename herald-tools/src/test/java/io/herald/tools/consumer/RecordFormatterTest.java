package io.herald.tools.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RecordFormatterTest {
    private static byte[] b(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, String value, RecordHeaders headers) {
        return new ConsumerRecord<>(
                "t", 3, 42, 123L, TimestampType.CREATE_TIME, -1, -1, b(key), b(value), headers, Optional.empty());
    }

    private static String format(Map<String, String> props, ConsumerRecord<byte[], byte[]> r) {
        var bytes = new ByteArrayOutputStream();
        new RecordFormatter(props).writeTo(r, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void defaultPrintsValueOnly() {
        assertThat(format(Map.of(), record("k", "v", new RecordHeaders()))).isEqualTo("v\n");
    }

    @Test
    void allColumnsInKafkaOrder() {
        var headers = new RecordHeaders();
        headers.add(new RecordHeader("h1", b("x")));
        headers.add(new RecordHeader("h2", null));
        var props = Map.of(
                "print.timestamp", "true",
                "print.partition", "true",
                "print.offset", "true",
                "print.headers", "true",
                "print.key", "true");
        assertThat(format(props, record("k", "v", headers)))
                .isEqualTo("CreateTime:123\tPartition:3\tOffset:42\th1:x,h2:null\tk\tv\n");
    }

    @Test
    void separatorsNullLiteralAndNoValue() {
        var props = Map.of(
                "print.key", "true",
                "print.headers", "true",
                "print.value", "false",
                "key.separator", " | ",
                "null.literal", "<null>");
        assertThat(format(props, record(null, "v", new RecordHeaders()))).isEqualTo("NO_HEADERS | <null>\n");
        assertThat(format(Map.of("print.key", "true", "line.separator", ";"), record("k", null, new RecordHeaders())))
                .isEqualTo("k\tnull;");
        var noTs = new ConsumerRecord<>(
                "t",
                0,
                0,
                -1L,
                TimestampType.NO_TIMESTAMP_TYPE,
                -1,
                -1,
                b("k"),
                b("v"),
                new RecordHeaders(),
                Optional.<Integer>empty());
        assertThat(format(Map.of("print.timestamp", "true"), noTs)).isEqualTo("NO_TIMESTAMP\tv\n");
    }

    @Test
    void deserializersRenderFields() {
        var r = new ConsumerRecord<>(
                "t",
                0,
                0,
                5L,
                TimestampType.LOG_APPEND_TIME,
                -1,
                -1,
                new byte[] {0, 0, 0, 7},
                b("v"),
                new RecordHeaders(),
                Optional.<Integer>empty());
        var props = Map.of(
                "print.key", "true",
                "print.timestamp", "true",
                "key.deserializer", "org.apache.kafka.common.serialization.IntegerDeserializer");
        assertThat(format(props, r)).isEqualTo("LogAppendTime:5\t7\tv\n");
    }
}
