package io.herald.tools.groups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        return offsets(rows, false);
    }

    /** The offsets table; {@code verbose} adds Kafka's LEADER-EPOCH column. */
    public static String offsets(List<OffsetRow> rows, boolean verbose) {
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
        String format = "\n" + left(group) + " " + left(topic) + " %-10s " + (verbose ? "%-15s " : "%s")
                + "%-15s %-15s %-15s " + left(consumer) + " " + left(host) + " %s";
        var out = new StringBuilder(String.format(
                format,
                "GROUP",
                "TOPIC",
                "PARTITION",
                verbose ? "LEADER-EPOCH" : "",
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
                    verbose ? r.leaderEpoch() : "",
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
        return members(groupId, members, Optional.empty(), false);
    }

    /** {@code --members [--verbose]} for one group. */
    public static String members(ConsumerGroupDescription g, boolean verbose) {
        return members(g.groupId(), g.members(), g.targetAssignmentEpoch(), verbose);
    }

    private static String members(
            String groupId, Collection<MemberDescription> members, Optional<Integer> targetEpoch, boolean verbose) {
        int group = Math.max(15, groupId.length());
        int consumer = 15;
        int instance = 17;
        int host = 15;
        int client = 15;
        int current = 20;
        int target = 20;
        boolean withInstance = false;
        boolean classic = false;
        boolean upgraded = false;
        for (MemberDescription m : members) {
            consumer = Math.max(consumer, m.consumerId().length());
            instance = Math.max(instance, m.groupInstanceId().orElse("").length());
            host = Math.max(host, m.host().length());
            client = Math.max(client, m.clientId().length());
            withInstance |= !m.groupInstanceId().orElse("").isEmpty();
            current = Math.max(
                    current, assignment(m.assignment().topicPartitions()).length());
            target = Math.max(target, targetAssignment(m).length());
            classic |= m.upgraded().filter(u -> !u).isPresent();
            upgraded |= m.upgraded().filter(u -> u).isPresent();
        }
        boolean migrating = classic && upgraded;
        String format = left(group) + " " + left(consumer) + " " + (withInstance ? left(instance) + " " : "%s")
                + left(host) + " " + left(client) + " %-15s ";
        String extra = "%-15s " + left(current) + " %-15s " + left(target) + (migrating ? " %s" : "%s");
        var out = new StringBuilder("\n");
        out.append(String.format(
                format,
                "GROUP",
                "CONSUMER-ID",
                withInstance ? "GROUP-INSTANCE-ID" : "",
                "HOST",
                "CLIENT-ID",
                "#PARTITIONS"));
        if (verbose) {
            out.append(String.format(
                    extra,
                    "CURRENT-EPOCH",
                    "CURRENT-ASSIGNMENT",
                    "TARGET-EPOCH",
                    "TARGET-ASSIGNMENT",
                    migrating ? "UPGRADED" : ""));
        }
        out.append('\n');
        for (MemberDescription m : members) {
            out.append(String.format(
                    format,
                    groupId,
                    m.consumerId(),
                    withInstance ? m.groupInstanceId().orElse("") : "",
                    m.host(),
                    m.clientId(),
                    m.assignment().topicPartitions().size()));
            if (verbose) {
                out.append(String.format(
                        extra,
                        m.memberEpoch().map(Object::toString).orElse(OffsetRow.MISSING),
                        assignment(m.assignment().topicPartitions()),
                        targetEpoch.map(Object::toString).orElse(OffsetRow.MISSING),
                        targetAssignment(m),
                        migrating ? m.upgraded().map(Object::toString).orElse(OffsetRow.MISSING) : ""));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String targetAssignment(MemberDescription m) {
        return assignment(m.targetAssignment().map(a -> a.topicPartitions()).orElse(Set.of()));
    }

    /** Kafka's {@code topic:0,1;other:2} (topics sorted), or "-" for none. */
    static String assignment(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return OffsetRow.MISSING;
        }
        var byTopic = new TreeMap<String, List<Integer>>();
        partitions.forEach(tp ->
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        return byTopic.entrySet().stream()
                .map(e -> e.getKey() + ":"
                        + e.getValue().stream().sorted().map(Object::toString).collect(Collectors.joining(",")))
                .collect(Collectors.joining(";"));
    }

    /** The {@code --state} table for one group. */
    public static String state(ConsumerGroupDescription g) {
        return state(g, false);
    }

    /** The {@code --state} table; {@code verbose} adds GROUP-EPOCH and TARGET-ASSIGNMENT-EPOCH. */
    public static String state(ConsumerGroupDescription g, boolean verbose) {
        Node c = g.coordinator();
        String coordinator = c.host() + ":" + c.port() + "  (" + c.idString() + ")";
        String format = "\n" + left(Math.max(15, g.groupId().length())) + " " + left(Math.max(25, coordinator.length()))
                + " %-20s %-20s " + (verbose ? "%-15s %-25s " : "%s%s") + "%s";
        String strategy =
                g.partitionAssignor() == null || g.partitionAssignor().isEmpty() ? "-" : g.partitionAssignor();
        return String.format(
                        format,
                        "GROUP",
                        "COORDINATOR (ID)",
                        "ASSIGNMENT-STRATEGY",
                        "STATE",
                        verbose ? "GROUP-EPOCH" : "",
                        verbose ? "TARGET-ASSIGNMENT-EPOCH" : "",
                        "#MEMBERS")
                + String.format(
                        format,
                        g.groupId(),
                        coordinator,
                        strategy,
                        g.groupState(),
                        verbose ? g.groupEpoch().map(Object::toString).orElse(OffsetRow.MISSING) : "",
                        verbose
                                ? g.targetAssignmentEpoch()
                                        .map(Object::toString)
                                        .orElse(OffsetRow.MISSING)
                                : "",
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
        // Kafka 4.x pads every column, NEW-OFFSET included, and lets longer names overflow.
        String format = "\n%-30s %-30s %-10s %-15s";
        var out = new StringBuilder();
        if (!plan.isEmpty()) {
            out.append(String.format(format, "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"));
        }
        new TreeMap<>(plan).forEach((g, offsets) -> sorted(offsets.keySet())
                .forEach(tp -> out.append(String.format(
                        format, g, tp.topic(), tp.partition(), offsets.get(tp).offset()))));
        return out.append('\n').toString();
    }

    /** Partitions ordered by topic, then partition. */
    static List<TopicPartition> sorted(Collection<TopicPartition> tps) {
        return tps.stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .toList();
    }

    /**
     * {@code --delete-offsets}: the request's outcome, then one {@code TOPIC PARTITION STATUS} row per partition
     * (partition "-" for a topic that could not be described).
     */
    public static String deletedOffsets(String groupId, Throwable topLevel, Map<TopicPartition, Throwable> status) {
        var out = new StringBuilder();
        if (topLevel == null) {
            out.append("Request succeeded for deleting offsets from group ")
                    .append(groupId)
                    .append(".\n");
        } else {
            out.append("\nError: ")
                    .append(DeleteOffsetsErrors.describe(topLevel))
                    .append('\n');
        }
        int topic = Math.max(
                15,
                status.keySet().stream()
                        .mapToInt(tp -> tp.topic().length())
                        .max()
                        .orElse(0));
        String format = "\n" + left(topic) + " %-10s %-15s";
        out.append(String.format(format, "TOPIC", "PARTITION", "STATUS"));
        status.entrySet().stream()
                .sorted(Comparator.comparing(
                        e -> e.getKey().topic() + e.getKey().partition()))
                .forEach(e -> out.append(String.format(
                        format,
                        e.getKey().topic(),
                        e.getKey().partition() >= 0
                                ? Integer.toString(e.getKey().partition())
                                : OffsetRow.MISSING,
                        e.getValue() == null
                                ? "Successful"
                                : "Error: " + e.getValue().getMessage())));
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
