package io.herald.coordinator;

import java.util.List;

/**
 * The group coordinator's settings, with Kafka's property names noted on each component. Built by the server from
 * {@code offsets.*} and {@code group.*} properties; {@link #defaults()} holds Kafka's defaults.
 */
public record GroupConfig(
        /* offsets.topic.num.partitions */ int offsetsTopicPartitions,
        /* offsets.topic.replication.factor */ short offsetsTopicReplicationFactor,
        /* offsets.topic.segment.bytes */ int offsetsTopicSegmentBytes,
        /* offsets.retention.minutes, in ms */ long offsetsRetentionMs,
        /* offsets.retention.check.interval.ms */ long offsetsRetentionCheckIntervalMs,
        /* offset.metadata.max.bytes */ int offsetMetadataMaxBytes,
        /* group.min.session.timeout.ms */ int groupMinSessionTimeoutMs,
        /* group.max.session.timeout.ms */ int groupMaxSessionTimeoutMs,
        /* group.initial.rebalance.delay.ms */ int groupInitialRebalanceDelayMs,
        /* group.max.size */ int groupMaxSize,
        /* group.consumer.session.timeout.ms */ int consumerSessionTimeoutMs,
        /* group.consumer.heartbeat.interval.ms */ int consumerHeartbeatIntervalMs,
        /* group.consumer.max.size */ int consumerGroupMaxSize,
        /* group.consumer.assignors, the first is the default */ List<String> consumerAssignors) {

    public GroupConfig {
        consumerAssignors = List.copyOf(consumerAssignors);
        if (offsetsTopicPartitions < 1) {
            throw new IllegalArgumentException("offsets.topic.num.partitions must be at least 1");
        }
        if (consumerAssignors.isEmpty()) {
            throw new IllegalArgumentException("group.consumer.assignors must name at least one assignor");
        }
    }

    public static GroupConfig defaults() {
        return new GroupConfig(
                50,
                (short) 3,
                104_857_600,
                7L * 24 * 60 * 60 * 1000,
                600_000,
                4096,
                6_000,
                1_800_000,
                3_000,
                Integer.MAX_VALUE,
                45_000,
                5_000,
                Integer.MAX_VALUE,
                List.of("uniform", "range"));
    }
}
