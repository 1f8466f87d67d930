package io.herald.server;

import io.herald.coordinator.GroupConfig;
import io.herald.coordinator.TxnConfig;
import io.herald.metadata.BrokerConfigs;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The coordinators' server properties ({@code offsets.*}, {@code group.*}, {@code transaction.*},
 * {@code transactional.id.expiration.ms}), parsed with their definitions in {@link BrokerConfigs} into a
 * {@link GroupConfig} and a {@link TxnConfig}; a bad value stops start-up naming the key.
 */
final class CoordinatorConfigs {
    private static final String OFFSETS_TOPIC_PARTITIONS = "offsets.topic.num.partitions";
    private static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    private static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    private static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    private static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    private static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    private static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    private static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    private static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    private static final String GROUP_MAX_SIZE = "group.max.size";
    private static final String CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    private static final String CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    private static final String CONSUMER_MAX_SIZE = "group.consumer.max.size";
    private static final String CONSUMER_ASSIGNORS = "group.consumer.assignors";

    private static final String STATE_LOG_PARTITIONS = "transaction.state.log.num.partitions";
    private static final String STATE_LOG_REPLICATION_FACTOR = "transaction.state.log.replication.factor";
    private static final String STATE_LOG_MIN_ISR = "transaction.state.log.min.isr";
    private static final String STATE_LOG_SEGMENT_BYTES = "transaction.state.log.segment.bytes";
    private static final String MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    private static final String ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    private static final String ABORT_INTERVAL_MS = "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    private static final String REMOVE_EXPIRED_INTERVAL_MS =
            "transaction.remove.expired.transaction.cleanup.interval.ms";

    private static final ConfigDef GROUP = BrokerConfigs.configDef(List.of(
            OFFSETS_TOPIC_PARTITIONS,
            OFFSETS_TOPIC_REPLICATION_FACTOR,
            OFFSETS_TOPIC_SEGMENT_BYTES,
            OFFSETS_RETENTION_MINUTES,
            OFFSETS_RETENTION_CHECK_INTERVAL_MS,
            OFFSET_METADATA_MAX_BYTES,
            GROUP_MIN_SESSION_TIMEOUT_MS,
            GROUP_MAX_SESSION_TIMEOUT_MS,
            GROUP_INITIAL_REBALANCE_DELAY_MS,
            GROUP_MAX_SIZE,
            CONSUMER_SESSION_TIMEOUT_MS,
            CONSUMER_HEARTBEAT_INTERVAL_MS,
            CONSUMER_MAX_SIZE,
            CONSUMER_ASSIGNORS));
    private static final ConfigDef TXN = BrokerConfigs.configDef(List.of(
            STATE_LOG_PARTITIONS,
            STATE_LOG_REPLICATION_FACTOR,
            STATE_LOG_MIN_ISR,
            STATE_LOG_SEGMENT_BYTES,
            MAX_TIMEOUT_MS,
            ID_EXPIRATION_MS,
            ABORT_INTERVAL_MS,
            REMOVE_EXPIRED_INTERVAL_MS));

    private CoordinatorConfigs() {}

    static GroupConfig group(Map<String, String> properties) {
        Map<String, Object> v = GROUP.parse(only(GROUP, properties));
        @SuppressWarnings("unchecked")
        List<String> assignors = (List<String>) v.get(CONSUMER_ASSIGNORS);
        return new GroupConfig(
                (Integer) v.get(OFFSETS_TOPIC_PARTITIONS),
                (Short) v.get(OFFSETS_TOPIC_REPLICATION_FACTOR),
                (Integer) v.get(OFFSETS_TOPIC_SEGMENT_BYTES),
                (Integer) v.get(OFFSETS_RETENTION_MINUTES) * 60_000L,
                (Long) v.get(OFFSETS_RETENTION_CHECK_INTERVAL_MS),
                (Integer) v.get(OFFSET_METADATA_MAX_BYTES),
                (Integer) v.get(GROUP_MIN_SESSION_TIMEOUT_MS),
                (Integer) v.get(GROUP_MAX_SESSION_TIMEOUT_MS),
                (Integer) v.get(GROUP_INITIAL_REBALANCE_DELAY_MS),
                (Integer) v.get(GROUP_MAX_SIZE),
                (Integer) v.get(CONSUMER_SESSION_TIMEOUT_MS),
                (Integer) v.get(CONSUMER_HEARTBEAT_INTERVAL_MS),
                (Integer) v.get(CONSUMER_MAX_SIZE),
                assignors);
    }

    static TxnConfig txn(Map<String, String> properties) {
        Map<String, Object> v = TXN.parse(only(TXN, properties));
        return new TxnConfig(
                (Integer) v.get(STATE_LOG_PARTITIONS),
                (Short) v.get(STATE_LOG_REPLICATION_FACTOR),
                (Integer) v.get(STATE_LOG_MIN_ISR),
                (Integer) v.get(STATE_LOG_SEGMENT_BYTES),
                (Integer) v.get(MAX_TIMEOUT_MS),
                (Integer) v.get(ID_EXPIRATION_MS),
                (Integer) v.get(ABORT_INTERVAL_MS),
                (Integer) v.get(REMOVE_EXPIRED_INTERVAL_MS));
    }

    private static Map<String, String> only(ConfigDef def, Map<String, String> properties) {
        Map<String, String> some = new java.util.HashMap<>();
        properties.forEach((k, value) -> {
            if (def.configKeys().containsKey(k)) {
                some.put(k, value);
            }
        });
        return some;
    }
}
