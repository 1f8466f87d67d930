package io.herald.tools.topics;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/** Formats {@code kafka-topics.sh --describe} lines exactly as Kafka 4.x prints them (tab separated). */
public final class TopicPrinter {
    private TopicPrinter() {}

    /** The topic line; configs are the non-default entries as {@code name=value} joined by commas. */
    public static String topicLine(
            String topic, Uuid topicId, int partitionCount, int replicationFactor, Config config) {
        String configs = config.entries().stream()
                .filter(e -> !e.isDefault())
                .map(e -> e.name() + "=" + e.value())
                .collect(Collectors.joining(","));
        var line = new StringBuilder("Topic: ").append(topic);
        if (topicId != null && !topicId.equals(Uuid.ZERO_UUID)) {
            line.append("\tTopicId: ").append(topicId);
        }
        return line.append("\tPartitionCount: ")
                .append(partitionCount)
                .append("\tReplicationFactor: ")
                .append(replicationFactor)
                .append("\tConfigs: ")
                .append(configs)
                .toString();
    }

    /** One partition's line, starting with a tab. */
    public static String partitionLine(String topic, TopicPartitionInfo info, PartitionReassignment reassignment) {
        var line = new StringBuilder("\tTopic: ").append(topic);
        line.append("\tPartition: ").append(info.partition());
        line.append("\tLeader: ")
                .append(
                        info.leader() == null
                                ? "none"
                                : Integer.toString(info.leader().id()));
        line.append("\tReplicas: ").append(ids(info.replicas()));
        line.append("\tIsr: ").append(ids(info.isr()));
        if (reassignment != null) {
            line.append("\tAdding Replicas: ").append(join(reassignment.addingReplicas()));
            line.append("\tRemoving Replicas: ").append(join(reassignment.removingReplicas()));
        }
        line.append("\tElr: ").append(info.elr() == null ? "N/A" : ids(info.elr()));
        line.append("\tLastKnownElr: ").append(info.lastKnownElr() == null ? "N/A" : ids(info.lastKnownElr()));
        return line.toString();
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> Integer.toString(n.id())).collect(Collectors.joining(","));
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
