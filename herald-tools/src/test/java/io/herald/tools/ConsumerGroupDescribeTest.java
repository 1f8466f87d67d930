package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code kafka-consumer-groups.sh} --list, --describe, --delete and --delete-offsets against an in-memory cluster. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsumerGroupDescribeTest {
    private static final TopicPartition T0 = new TopicPartition("orders", 0);
    private static final TopicPartition T1 = new TopicPartition("orders", 1);

    private final MockAdminClient admin = MockAdminClient.create().numBrokers(1).build();
    private final FakeGroups cluster = new FakeGroups().topic("orders", 2, 0, 100);

    private ToolOutput groups(String... args) {
        return ToolOutput.run(
                (a, o, e) -> ConsumerGroupCommand.run(a, o, e, p -> admin, x -> cluster, Clock.systemUTC()), args);
    }

    private void stableGroup() {
        var member = new MemberDescription(
                "consumer-1",
                Optional.empty(),
                "client-1",
                "/10.0.0.1",
                new MemberAssignment(Set.of(T0, T1)),
                Optional.of(new MemberAssignment(Set.of(T0))),
                Optional.of(7),
                Optional.empty());
        cluster.group("g", GroupState.STABLE, Map.of(T0, 40L));
        cluster.groups.put(
                "g",
                new ConsumerGroupDescription(
                        "g",
                        false,
                        List.of(member),
                        "uniform",
                        GroupType.CONSUMER,
                        GroupState.STABLE,
                        FakeGroups.NODE,
                        Set.of(),
                        Optional.of(7),
                        Optional.of(6)));
    }

    @Test
    void describeOffsets() {
        stableGroup();
        var r = groups("--bootstrap-server", "h", "--describe", "--group", "g");
        String f = "%n%-15s %-15s %-10s %-15s %-15s %-15s %-15s %-15s %s";
        assertThat(r.out())
                .isEqualTo(String.format(
                                f,
                                "GROUP",
                                "TOPIC",
                                "PARTITION",
                                "CURRENT-OFFSET",
                                "LOG-END-OFFSET",
                                "LAG",
                                "CONSUMER-ID",
                                "HOST",
                                "CLIENT-ID")
                        + String.format(f, "g", "orders", 0, 40, 100, 60, "consumer-1", "/10.0.0.1", "client-1")
                        + String.format(f, "g", "orders", 1, "-", 100, "-", "consumer-1", "/10.0.0.1", "client-1")
                        + "\n");
        String v = "%n%-15s %-15s %-10s %-15s %-15s %-15s %-15s %-15s %-15s %s";
        assertThat(groups("--bootstrap-server", "h", "--describe", "--group", "g", "--verbose")
                        .out())
                .startsWith(String.format(
                        v,
                        "GROUP",
                        "TOPIC",
                        "PARTITION",
                        "LEADER-EPOCH",
                        "CURRENT-OFFSET",
                        "LOG-END-OFFSET",
                        "LAG",
                        "CONSUMER-ID",
                        "HOST",
                        "CLIENT-ID"));
    }

    @Test
    void describeMissingAndEmptyGroups() {
        var missing = groups("--bootstrap-server", "h", "--describe", "--group", "nope");
        assertThat(missing.out()).isEqualTo("\nError: Consumer group 'nope' does not exist.\n");
        cluster.group("idle", GroupState.EMPTY, Map.of(T1, 5L));
        var idle = groups("--bootstrap-server", "h", "--describe", "--group", "idle", "--offsets");
        assertThat(idle.err()).isEqualTo("\nConsumer group 'idle' has no active members.\n");
        assertThat(idle.out())
                .contains("idle            orders          1          5               100             95");
    }

    @Test
    void describeMembersVerboseAndState() {
        stableGroup();
        var members = groups("--bootstrap-server", "h", "--describe", "--group", "g", "--members", "--verbose");
        String f = "%-15s %-15s %-15s %-15s %-15s %-15s %-20s %-15s %-20s";
        assertThat(members.out())
                .isEqualTo("\n"
                        + String.format(
                                f,
                                "GROUP",
                                "CONSUMER-ID",
                                "HOST",
                                "CLIENT-ID",
                                "#PARTITIONS",
                                "CURRENT-EPOCH",
                                "CURRENT-ASSIGNMENT",
                                "TARGET-EPOCH",
                                "TARGET-ASSIGNMENT")
                        + "\n"
                        + String.format(
                                f, "g", "consumer-1", "/10.0.0.1", "client-1", 2, 7, "orders:0,1", 6, "orders:0")
                        + "\n");
        var state = groups("--bootstrap-server", "h", "--describe", "--group", "g", "--state");
        assertThat(state.out())
                .isEqualTo(String.format(
                        "%n%-15s %-25s %-20s %-20s %s%n%-15s %-25s %-20s %-20s %s%n",
                        "GROUP",
                        "COORDINATOR (ID)",
                        "ASSIGNMENT-STRATEGY",
                        "STATE",
                        "#MEMBERS",
                        "g",
                        "localhost:9092  (1)",
                        "uniform",
                        "Stable",
                        1));
        assertThat(groups("--bootstrap-server", "h", "--describe", "--group", "g", "--state", "Stable")
                        .err())
                .isEqualTo("Option [describe] does not take a value for [state]\n");
    }

    @Test
    void verboseStateAndOffsets() {
        stableGroup();
        cluster.committed.put(
                "g", Map.of(T0, new org.apache.kafka.clients.consumer.OffsetAndMetadata(40, Optional.of(3), "")));
        String s = "%n%-15s %-25s %-20s %-20s %-15s %-25s %s";
        assertThat(groups("--bootstrap-server", "h", "--describe", "--group", "g", "--state", "--verbose")
                        .out())
                .isEqualTo(String.format(
                                s,
                                "GROUP",
                                "COORDINATOR (ID)",
                                "ASSIGNMENT-STRATEGY",
                                "STATE",
                                "GROUP-EPOCH",
                                "TARGET-ASSIGNMENT-EPOCH",
                                "#MEMBERS")
                        + String.format(s, "g", "localhost:9092  (1)", "uniform", "Stable", 7, 6, 1)
                        + "\n");
        String v = "%n%-15s %-15s %-10s %-15s %-15s %-15s %-15s %-15s %-15s %s";
        assertThat(groups("--bootstrap-server", "h", "--describe", "--group", "g", "--offsets", "--verbose")
                        .out())
                .isEqualTo(String.format(
                                v,
                                "GROUP",
                                "TOPIC",
                                "PARTITION",
                                "LEADER-EPOCH",
                                "CURRENT-OFFSET",
                                "LOG-END-OFFSET",
                                "LAG",
                                "CONSUMER-ID",
                                "HOST",
                                "CLIENT-ID")
                        + String.format(v, "g", "orders", 0, 3, 40, 100, 60, "consumer-1", "/10.0.0.1", "client-1")
                        + String.format(v, "g", "orders", 1, "-", "-", 100, "-", "consumer-1", "/10.0.0.1", "client-1")
                        + "\n");
    }

    @Test
    void listWithState() {
        stableGroup();
        cluster.group("idle", GroupState.EMPTY, Map.of());
        assertThat(groups("--bootstrap-server", "h", "--list").out()).isEqualTo("g\nidle\n");
        assertThat(groups("--bootstrap-server", "h", "--list", "--state").out())
                .isEqualTo(String.format(
                        "%-25s %-20s%n%-25s %-20s%n%-25s %-20s%n", "GROUP", "STATE", "g", "Stable", "idle", "Empty"));
    }

    @Test
    void deleteGroups() {
        cluster.group("a", GroupState.EMPTY, Map.of());
        cluster.group("b", GroupState.STABLE, Map.of());
        cluster.deleteFailures.put("b", new GroupNotEmptyException("The group is not empty."));
        assertThat(groups("--bootstrap-server", "h", "--delete", "--group", "a").out())
                .isEqualTo("Deletion of requested consumer groups ('a') was successful.\n");
        assertThat(groups("--bootstrap-server", "h", "--delete", "--group", "b").out())
                .isEqualTo("\nError: Deletion of some consumer groups failed:\n* Group 'b' could not be deleted due"
                        + " to: org.apache.kafka.common.errors.GroupNotEmptyException: The group is not empty.\n");
        assertThat(groups("--bootstrap-server", "h", "--delete", "--group", "b", "--topic", "t")
                        .err())
                .isEqualTo("The consumer does not support topic-specific offset deletion from a consumer group.\n");
    }

    @Test
    void deleteOffsets() {
        cluster.group("g", GroupState.EMPTY, Map.of(T0, 1L, T1, 2L));
        var ok = groups("--bootstrap-server", "h", "--delete-offsets", "--group", "g", "--topic", "orders");
        String f = "%n%-15s %-10s %-15s";
        assertThat(ok.out())
                .isEqualTo("Request succeeded for deleting offsets from group g.\n"
                        + String.format(f, "TOPIC", "PARTITION", "STATUS")
                        + String.format(f, "orders", 0, "Successful")
                        + String.format(f, "orders", 1, "Successful")
                        + "\n");
        var subscribed = new GroupSubscribedToTopicException("The group is subscribed to the topic.");
        cluster.deleteOffsetsError = subscribed;
        cluster.deleteOffsetsPartitionErrors.put(T1, subscribed);
        var partial = groups(
                "--bootstrap-server", "h", "--delete-offsets", "--group", "g", "--topic", "orders:1", "--topic", "x");
        assertThat(partial.out())
                .isEqualTo("\nError: Encountered some partition-level error, see the follow-up details.\n"
                        + String.format(f, "TOPIC", "PARTITION", "STATUS")
                        + String.format(f, "orders", 1, "Error: " + subscribed)
                        + String.format(
                                f,
                                "x",
                                "-",
                                "Error: org.apache.kafka.common.errors"
                                        + ".UnknownTopicOrPartitionException: This server does not host this topic-partition.")
                        + "\n");
        var missing = groups("--bootstrap-server", "h", "--delete-offsets", "--group", "nope", "--topic", "orders:0");
        assertThat(missing.out()).startsWith("\nError: The group id does not exist.\n");
        assertThat(groups("--bootstrap-server", "h", "--delete-offsets", "--group", "g")
                        .err())
                .isEqualTo("Option [delete-offsets] takes the following options: [group], [topic]\n");
    }
}
