package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which directory names under a log dir are partitions. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LogManagerDirNamesTest {
    @Test
    void partitionDirectoryNames() {
        assertThat(LogManager.parsePartitionDir("orders-0")).isEqualTo(new TopicPartition("orders", 0));
        assertThat(LogManager.parsePartitionDir("my-topic-12")).isEqualTo(new TopicPartition("my-topic", 12));
        assertThat(LogManager.parsePartitionDir("orders-0.0a1b2c-delete")).isNull();
        assertThat(LogManager.parsePartitionDir("orders-0.0a1b2c-future")).isNull();
        assertThat(LogManager.parsePartitionDir("__cluster_metadata-0")).isNull();
        assertThat(LogManager.parsePartitionDir("orders-")).isNull();
        assertThat(LogManager.parsePartitionDir("lost+found")).isNull();
    }
}
