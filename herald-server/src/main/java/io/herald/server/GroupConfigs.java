package io.herald.server;

import io.herald.coordinator.GroupConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The group coordinator's server properties with Kafka's names and defaults ({@code offsets.*}, {@code group.*}),
 * parsed into a {@link GroupConfig}; a bad value stops start-up naming the key.
 */
final class GroupConfigs {
    static final String OFFSETS_TOPIC_PARTITIONS = "offsets.topic.num.partitions";
    static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    static final String GROUP_MAX_SIZE = "group.max.size";
    static final String CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    static final String CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    static final String CONSUMER_MAX_SIZE = "group.consumer.max.size";
    static final String CONSUMER_ASSIGNORS = "group.consumer.assignors";

    private static final ConfigDef DEF = define();

    private GroupConfigs() {}

    private static ConfigDef define() {
        GroupConfig d = GroupConfig.defaults();
        return new ConfigDef()
                .define(
                        OFFSETS_TOPIC_PARTITIONS,
                        Type.INT,
                        d.offsetsTopicPartitions(),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "The number of partitions of __consumer_offsets (do not change it later).")
                .define(
                        OFFSETS_TOPIC_REPLICATION_FACTOR,
                        Type.SHORT,
                        d.offsetsTopicReplicationFactor(),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "The replication factor of __consumer_offsets; creating it fails until enough brokers live.")
                .define(
                        OFFSETS_TOPIC_SEGMENT_BYTES,
                        Type.INT,
                        d.offsetsTopicSegmentBytes(),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "The segment size of __consumer_offsets.")
                .define(
                        OFFSETS_RETENTION_MINUTES,
                        Type.INT,
                        (int) (d.offsetsRetentionMs() / 60_000),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "How long offsets of an empty group (or simple commits) are kept.")
                .define(
                        OFFSETS_RETENTION_CHECK_INTERVAL_MS,
                        Type.LONG,
                        d.offsetsRetentionCheckIntervalMs(),
                        Range.atLeast(1),
                        Importance.HIGH,
                        "How often expired offsets are looked for.")
                .define(
                        OFFSET_METADATA_MAX_BYTES,
                        Type.INT,
                        d.offsetMetadataMaxBytes(),
                        Importance.HIGH,
                        "The largest metadata string of an offset commit.")
                .define(
                        GROUP_MIN_SESSION_TIMEOUT_MS,
                        Type.INT,
                        d.groupMinSessionTimeoutMs(),
                        Importance.MEDIUM,
                        "The smallest session timeout a classic member may ask for.")
                .define(
                        GROUP_MAX_SESSION_TIMEOUT_MS,
                        Type.INT,
                        d.groupMaxSessionTimeoutMs(),
                        Importance.MEDIUM,
                        "The largest session timeout a classic member may ask for.")
                .define(
                        GROUP_INITIAL_REBALANCE_DELAY_MS,
                        Type.INT,
                        d.groupInitialRebalanceDelayMs(),
                        Importance.MEDIUM,
                        "How long the first rebalance of an empty group waits for more members.")
                .define(
                        GROUP_MAX_SIZE,
                        Type.INT,
                        d.groupMaxSize(),
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "The most members a classic group may have.")
                .define(
                        CONSUMER_SESSION_TIMEOUT_MS,
                        Type.INT,
                        d.consumerSessionTimeoutMs(),
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "The session timeout of consumer-group (KIP-848) members.")
                .define(
                        CONSUMER_HEARTBEAT_INTERVAL_MS,
                        Type.INT,
                        d.consumerHeartbeatIntervalMs(),
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "The heartbeat interval of consumer-group (KIP-848) members.")
                .define(
                        CONSUMER_MAX_SIZE,
                        Type.INT,
                        d.consumerGroupMaxSize(),
                        Range.atLeast(1),
                        Importance.MEDIUM,
                        "The most members a consumer group may have.")
                .define(
                        CONSUMER_ASSIGNORS,
                        Type.LIST,
                        String.join(",", d.consumerAssignors()),
                        ConfigDef.ValidList.in("uniform", "range"),
                        Importance.MEDIUM,
                        "The server-side assignors of consumer groups, the first being the default.");
    }

    static GroupConfig from(Map<String, String> properties) {
        Map<String, Object> v = DEF.parse(properties);
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
}
