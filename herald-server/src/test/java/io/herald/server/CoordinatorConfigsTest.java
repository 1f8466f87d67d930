package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.coordinator.GroupConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The coordinators' properties: Kafka's names and defaults (from the broker registry), and a bad value named in the error. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CoordinatorConfigsTest {
    @Test
    void withoutPropertiesTheSettingsAreKafkasDefaults() {
        GroupConfig config = CoordinatorConfigs.group(Map.of());
        assertThat(config).isEqualTo(GroupConfig.defaults());
        assertThat(config.offsetsTopicPartitions()).isEqualTo(50);
        assertThat(config.offsetsTopicReplicationFactor()).isEqualTo((short) 3);
        assertThat(config.groupInitialRebalanceDelayMs()).isEqualTo(3_000);
        assertThat(config.offsetsRetentionMs()).isEqualTo(TimeUnit.DAYS.toMillis(7));
    }

    @Test
    void propertiesOverrideTheDefaults() {
        GroupConfig config = CoordinatorConfigs.group(Map.of(
                "offsets.topic.num.partitions", "10",
                "offsets.retention.minutes", "2",
                "group.initial.rebalance.delay.ms", "0",
                "group.consumer.assignors", "range"));
        assertThat(config.offsetsTopicPartitions()).isEqualTo(10);
        assertThat(config.offsetsRetentionMs()).isEqualTo(120_000);
        assertThat(config.groupInitialRebalanceDelayMs()).isZero();
        assertThat(config.consumerAssignors()).isEqualTo(List.of("range"));
    }

    @Test
    void aBadValueNamesItsKey() {
        assertThatThrownBy(() -> CoordinatorConfigs.group(Map.of("offsets.topic.num.partitions", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("offsets.topic.num.partitions");
        assertThatThrownBy(() -> CoordinatorConfigs.group(Map.of("group.consumer.assignors", "magic")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("group.consumer.assignors");
    }

    @Test
    void transactionSettingsDefaultToKafkasAndTakeOverrides() {
        assertThat(CoordinatorConfigs.txn(Map.of())).isEqualTo(io.herald.coordinator.TxnConfig.defaults());
        assertThat(CoordinatorConfigs.txn(Map.of("transaction.max.timeout.ms", "60000"))
                        .maxTimeoutMs())
                .isEqualTo(60_000);
        assertThatThrownBy(() -> CoordinatorConfigs.txn(Map.of("transaction.state.log.min.isr", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transaction.state.log.min.isr");
    }
}
