package io.herald.console;

import static io.herald.console.ClusterClients.await;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Resetting a group's committed offsets as {@code kafka-consumer-groups.sh --reset-offsets} does: to the earliest or
 * latest offset or the first offset at a timestamp, for the group's partitions (of one topic, or all it committed), as a
 * dry run (the plan only) or executed with AlterConsumerGroupOffsets, which the group coordinator validates.
 */
final class OffsetReset {
    enum Target {
        EARLIEST,
        LATEST,
        TIMESTAMP
    }

    /** One partition's move: the current committed offset (null when none) and the new one. */
    record Move(Long current, long target) {}

    private OffsetReset() {}

    static Target target(String value) {
        return switch (value) {
            case "earliest" -> Target.EARLIEST;
            case "latest" -> Target.LATEST;
            case "timestamp" -> Target.TIMESTAMP;
            default -> throw new ActionFailed("Choose earliest, latest or timestamp");
        };
    }

    static Map<TopicPartition, Move> plan(Admin admin, String group, String topic, Target target, long timestamp) {
        Map<TopicPartition, OffsetAndMetadata> committed =
                await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> current = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        committed.forEach((tp, om) -> {
            if (topic.isEmpty() || tp.topic().equals(topic)) {
                current.put(tp, om == null ? null : om.offset());
            }
        });
        if (!topic.isEmpty() && current.isEmpty()) {
            TopicDescription description = await(
                            admin.describeTopics(java.util.List.of(topic)).allTopicNames())
                    .get(topic);
            for (TopicPartitionInfo p : description.partitions()) {
                current.put(new TopicPartition(topic, p.partition()), null);
            }
        }
        if (current.isEmpty()) {
            throw new ActionFailed("Group " + group + " has no committed offsets; name a topic to reset");
        }
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (TopicPartition tp : current.keySet()) {
            specs.put(
                    tp,
                    switch (target) {
                        case EARLIEST -> OffsetSpec.earliest();
                        case LATEST -> OffsetSpec.latest();
                        case TIMESTAMP -> OffsetSpec.forTimestamp(timestamp);
                    });
        }
        Map<TopicPartition, ListOffsetsResultInfo> found =
                await(admin.listOffsets(specs).all());
        Map<TopicPartition, ListOffsetsResultInfo> latest = target == Target.TIMESTAMP
                ? await(admin.listOffsets(latestSpecs(current.keySet())).all())
                : found;
        Map<TopicPartition, Move> plan = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        for (TopicPartition tp : current.keySet()) {
            long offset = found.get(tp).offset();
            // No record at or after the timestamp: the end of the log, as Kafka's tool does.
            plan.put(tp, new Move(current.get(tp), offset < 0 ? latest.get(tp).offset() : offset));
        }
        return plan;
    }

    private static Map<TopicPartition, OffsetSpec> latestSpecs(java.util.Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, OffsetSpec.latest()));
        return specs;
    }

    /** Commits the plan; refused while the group has members, as Kafka's tool refuses it. */
    static void execute(Admin admin, String group, GroupState state, Map<TopicPartition, Move> plan) {
        if (state != GroupState.EMPTY && state != GroupState.DEAD) {
            throw new ActionFailed("Offsets can only be reset while group " + group
                    + " has no active members; its state is " + state + ". Stop its consumers first.");
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        plan.forEach((tp, move) -> offsets.put(tp, new OffsetAndMetadata(move.target())));
        await(admin.alterConsumerGroupOffsets(group, offsets).all());
    }
}
