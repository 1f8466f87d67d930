package io.herald.tools.groups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's {@code kafka-consumer-groups.sh} tables as text: left-aligned columns at least 15 wide (widened to the
 * longest value), each table preceded by an empty line, exactly as Kafka 4.x lays them out.
 */
public final class GroupPrinter {
    private GroupPrinter() {}

    private static String left(int width) {
        return "%-" + width + "s";
    }

    /** The offsets table (header and rows); empty rows give just the header. */
    public static String offsets(List<OffsetRow> rows) {
        int group = 15;
        int topic = 15;
        int consumer = 15;
        int host = 15;
        for (OffsetRow r : rows) {
            group = Math.max(group, r.group().length());
            topic = Math.max(topic, r.topic().length());
            consumer = Math.max(consumer, r.consumerId().length());
            host = Math.max(host, r.host().length());
        }
        String format = "\n" + left(group) + " " + left(topic) + " %-10s %-15s %-15s %-15s " + left(consumer) + " "
                + left(host) + " %s";
        var out = new StringBuilder(String.format(
                format,
                "GROUP",
                "TOPIC",
                "PARTITION",
                "CURRENT-OFFSET",
                "LOG-END-OFFSET",
                "LAG",
                "CONSUMER-ID",
                "HOST",
                "CLIENT-ID"));
        for (OffsetRow r : rows) {
            out.append(String.format(
                    format,
                    r.group(),
                    r.topic(),
                    r.partition(),
                    r.currentOffset(),
                    r.logEndOffset(),
                    r.lag(),
                    r.consumerId(),
                    r.host(),
                    r.clientId()));
        }
        return out.append('\n').toString();
    }

    /** The members table ({@code --members}); note Kafka's trailing space after #PARTITIONS. */
    public static String members(String groupId, Collection<MemberDescription> members) {
        int group = Math.max(15, groupId.length());
        int consumer = 15;
        int instance = 17;
        int host = 15;
        int client = 15;
        boolean withInstance = false;
        for (MemberDescription m : members) {
            consumer = Math.max(consumer, m.consumerId().length());
            instance = Math.max(instance, m.groupInstanceId().orElse("").length());
            host = Math.max(host, m.host().length());
            client = Math.max(client, m.clientId().length());
            withInstance |= m.groupInstanceId().isPresent()
                    && !m.groupInstanceId().get().isEmpty();
        }
        String format = withInstance
                ? left(group) + " " + left(consumer) + " " + left(instance) + " " + left(host) + " " + left(client)
                        + " %-15s "
                : left(group) + " " + left(consumer) + " " + left(host) + " " + left(client) + " %-15s ";
        var out = new StringBuilder("\n");
        out.append(
                withInstance
                        ? String.format(
                                format, "GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "HOST", "CLIENT-ID", "#PARTITIONS")
                        : String.format(format, "GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"));
        out.append('\n');
        for (MemberDescription m : members) {
            int partitions = m.assignment().topicPartitions().size();
            out.append(
                    withInstance
                            ? String.format(
                                    format,
                                    groupId,
                                    m.consumerId(),
                                    m.groupInstanceId().orElse(""),
                                    m.host(),
                                    m.clientId(),
                                    partitions)
                            : String.format(format, groupId, m.consumerId(), m.host(), m.clientId(), partitions));
            out.append('\n');
        }
        return out.toString();
    }

    /** The {@code --state} table for one group. */
    public static String state(ConsumerGroupDescription g) {
        Node c = g.coordinator();
        String coordinator = c.host() + ":" + c.port() + "  (" + c.idString() + ")";
        String format = "\n" + left(Math.max(15, g.groupId().length())) + " " + left(Math.max(25, coordinator.length()))
                + " %-20s %-20s %s";
        String strategy =
                g.partitionAssignor() == null || g.partitionAssignor().isEmpty() ? "-" : g.partitionAssignor();
        return String.format(format, "GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS")
                + String.format(
                        format,
                        g.groupId(),
                        coordinator,
                        strategy,
                        g.groupState(),
                        g.members().size())
                + "\n";
    }

    /** {@code --list --state/--type}: a GROUP column at least 25 wide, then TYPE/STATE columns of 20. */
    public static String listing(List<GroupListing> groups, boolean withType, boolean withState) {
        int width = groups.stream()
                        .mapToInt(g -> Math.max(15, g.groupId().length()))
                        .max()
                        .orElse(15)
                + 10;
        String format = left(width);
        var header = new ArrayList<Object>(List.of("GROUP"));
        if (withType) {
            format += " %-20s";
            header.add("TYPE");
        }
        if (withState) {
            format += " %-20s";
            header.add("STATE");
        }
        format += "%n";
        var out = new StringBuilder(String.format(format, header.toArray()));
        for (GroupListing g : groups) {
            var row = new ArrayList<Object>(List.of(g.groupId()));
            if (withType) {
                row.add(g.type().orElse(GroupType.UNKNOWN).toString());
            }
            if (withState) {
                row.add(g.groupState().orElse(GroupState.UNKNOWN).toString());
            }
            out.append(String.format(format, row.toArray()));
        }
        return out.toString();
    }

    /** The reset plan ({@code --reset-offsets}), ordered by group, topic and partition. */
    public static String resetPlan(Map<String, Map<TopicPartition, OffsetAndMetadata>> plan) {
        String format = "\n%-30s %-30s %-10s %-15s";
        var out = new StringBuilder();
        if (!plan.isEmpty()) {
            out.append(String.format(format, "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"));
        }
        new TreeMap<>(plan).forEach((group, offsets) -> offsets.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(TopicPartition::topic)
                        .thenComparingInt(TopicPartition::partition)))
                .forEach(e -> out.append(String.format(
                        format,
                        group,
                        e.getKey().topic(),
                        e.getKey().partition(),
                        e.getValue().offset()))));
        return out.append('\n').toString();
    }

    /** Kafka's summary of {@code --delete}. */
    public static String deletion(Map<String, Throwable> failed, List<String> deleted) {
        String ok = deleted.stream().map(g -> "'" + g + "'").collect(Collectors.joining(", "));
        if (failed.isEmpty()) {
            return "Deletion of requested consumer groups (" + ok + ") was successful.\n";
        }
        var out = new StringBuilder("\nError: Deletion of some consumer groups failed:\n");
        failed.forEach((g, e) -> out.append("* Group '")
                .append(g)
                .append("' could not be deleted due to: ")
                .append(e)
                .append('\n'));
        if (!deleted.isEmpty()) {
            out.append("\nThese consumer groups were deleted successfully: ")
                    .append(ok)
                    .append('\n');
        }
        return out.toString();
    }
}
