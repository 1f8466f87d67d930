package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The compaction settings: Kafka's names and defaults for the topic knobs and the log.cleaner.* broker settings. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CleanerConfigsTest {
    @Test
    void topicDefaultsAreKafkas() {
        LogConfig d = LogConfig.DEFAULTS;
        assertThat(d.minCleanableDirtyRatio()).isEqualTo(0.5);
        assertThat(d.minCompactionLagMs()).isZero();
        assertThat(d.maxCompactionLagMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(d.deleteRetentionMs()).isEqualTo(86_400_000L);
        assertThat(d.compactionEnabled()).isFalse();
    }

    @Test
    void topicOverridesParse() {
        LogConfig c = LogConfig.fromProperties(
                Map.of(
                        "cleanup.policy", "compact,delete",
                        "min.cleanable.dirty.ratio", "0.25",
                        "min.compaction.lag.ms", "1000",
                        "max.compaction.lag.ms", "60000",
                        "delete.retention.ms", "5000"),
                LogConfig.DEFAULTS);
        assertThat(c.compactionEnabled()).isTrue();
        assertThat(c.deleteRetentionEnabled()).isTrue();
        assertThat(c.minCleanableDirtyRatio()).isEqualTo(0.25);
        assertThat(c.minCompactionLagMs()).isEqualTo(1000);
        assertThat(c.maxCompactionLagMs()).isEqualTo(60_000);
        assertThat(c.deleteRetentionMs()).isEqualTo(5000);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(
                        () -> LogConfig.fromProperties(Map.of("min.cleanable.dirty.ratio", "1.5"), LogConfig.DEFAULTS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("min.cleanable.dirty.ratio");
        assertThatThrownBy(() -> LogConfig.fromProperties(Map.of("min.cleanable.dirty.ratio", "x"), LogConfig.DEFAULTS))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> LogConfig.fromProperties(Map.of("delete.retention.ms", "-1"), LogConfig.DEFAULTS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("delete.retention.ms");
    }

    @Test
    void cleanerDefaultsAreKafkasAndTheOldConstructorUsesThem() {
        CleanerConfig d = CleanerConfig.DEFAULTS;
        assertThat(d.enable()).isTrue();
        assertThat(d.threads()).isEqualTo(1);
        assertThat(d.dedupeBufferSize()).isEqualTo(128L * 1024 * 1024);
        assertThat(d.ioMaxBytesPerSecond()).isEqualTo(Double.MAX_VALUE);
        assertThat(d.backoffMs()).isEqualTo(15_000L);
        LogManagerConfig m = new LogManagerConfig(List.of(new File("d")), 1, 1, 1, 1, 1, LogConfig.DEFAULTS);
        assertThat(m.cleanerConfig()).isEqualTo(CleanerConfig.DEFAULTS);
        assertThat(new CleanerConfig(true, 2, 1 << 20, 1e6, 100).bufferPerThread())
                .isEqualTo(1 << 19);
        assertThatThrownBy(() -> new CleanerConfig(true, 0, 1 << 20, 1e6, 100))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
