package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** LogConfig defaults and parsing of Kafka topic config names. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LogConfigTest {
    @Test
    void defaultsAreKafkas() {
        LogConfig d = LogConfig.DEFAULTS;
        assertThat(d.segmentBytes()).isEqualTo(1_073_741_824);
        assertThat(d.segmentMs()).isEqualTo(604_800_000L);
        assertThat(d.segmentIndexBytes()).isEqualTo(10_485_760);
        assertThat(d.indexIntervalBytes()).isEqualTo(4096);
        assertThat(d.retentionMs()).isEqualTo(604_800_000L);
        assertThat(d.retentionBytes()).isEqualTo(-1);
        assertThat(d.maxMessageBytes()).isEqualTo(1_048_588);
        assertThat(d.messageTimestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(d.timestampBeforeMaxMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(d.timestampAfterMaxMs()).isEqualTo(3_600_000L);
        assertThat(d.compressionType()).isEqualTo(TopicCompression.PRODUCER);
        assertThat(d.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(d.flushMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(d.fileDeleteDelayMs()).isEqualTo(60_000L);
        assertThat(d.cleanupPolicy()).containsExactly("delete");
    }

    @Test
    void overridesUseKafkaNames() {
        LogConfig c = LogConfig.fromProperties(
                Map.of(
                        "retention.ms", "-1",
                        "retention.bytes", "1000",
                        "message.timestamp.type", "LogAppendTime",
                        "compression.type", "zstd",
                        "cleanup.policy", "compact,delete",
                        "min.insync.replicas", "2"),
                LogConfig.DEFAULTS);
        assertThat(c.retentionMs()).isEqualTo(-1);
        assertThat(c.retentionBytes()).isEqualTo(1000);
        assertThat(c.messageTimestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(c.compressionType().targetCodec()).contains(CompressionType.ZSTD);
        assertThat(c.cleanupPolicy()).isEqualTo(Set.of("compact", "delete"));
        assertThat(c.segmentBytes()).isEqualTo(LogConfig.DEFAULTS.segmentBytes());
        assertThat(TopicCompression.PRODUCER.targetCodec()).isEmpty();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> LogConfig.fromProperties(Map.of("segment.bytes", "abc"), LogConfig.DEFAULTS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("segment.bytes");
        assertThatThrownBy(() -> LogConfig.fromProperties(Map.of("segment.bytes", "1048575"), LogConfig.DEFAULTS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("segment.bytes");
        assertThat(LogConfig.fromProperties(Map.of("internal.segment.bytes", "500"), LogConfig.DEFAULTS)
                        .segmentBytes())
                .isEqualTo(500);
        assertThatThrownBy(() -> LogConfig.fromProperties(Map.of("retention.ms", "-2"), LogConfig.DEFAULTS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retention.ms");
        assertThatThrownBy(() -> LogConfig.fromProperties(Map.of("compression.type", "brotli"), LogConfig.DEFAULTS))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() ->
                        LogConfig.fromProperties(Map.of("message.timestamp.type", "Whenever"), LogConfig.DEFAULTS))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> LogConfig.fromProperties(Map.of("cleanup.policy", "forever"), LogConfig.DEFAULTS))
                .isInstanceOf(ConfigException.class);
    }
}
