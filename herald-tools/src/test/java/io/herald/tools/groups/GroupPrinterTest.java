package io.herald.tools.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupPrinterTest {
    private static final Node COORDINATOR = new Node(1, "localhost", 9092);

    private static ConsumerGroupDescription group(GroupState state, List<MemberDescription> members) {
        return new ConsumerGroupDescription(
                "g",
                false,
                members,
                "range",
                GroupType.CLASSIC,
                state,
                COORDINATOR,
                Set.of(),
                Optional.empty(),
                Optional.empty());
    }

    private static MemberDescription member(String id, TopicPartition... tps) {
        return new MemberDescription(
                id,
                Optional.empty(),
                "console-consumer",
                "/127.0.0.1",
                new MemberAssignment(Set.of(tps)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    @Test
    void offsetsTableMatchesKafkaLayout() {
        var t0 = new TopicPartition("orders", 0);
        var t1 = new TopicPartition("orders", 1);
        var desc = group(GroupState.STABLE, List.of(member("consumer-1-abc", t1, t0)));
        var rows = GroupService.offsetRows(
                "g",
                desc,
                Map.of(t0, new OffsetAndMetadata(5), new TopicPartition("old", 0), new OffsetAndMetadata(2)),
                Map.of(t0, 10L, t1, 3L));
        assertThat(GroupPrinter.offsets(rows))
                .isEqualTo("\n"
                        + "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             "
                        + "CONSUMER-ID     HOST            CLIENT-ID\n"
                        + "g               orders          0          5               10              5               "
                        + "consumer-1-abc  /127.0.0.1      console-consumer\n"
                        + "g               orders          1          -               3               -               "
                        + "consumer-1-abc  /127.0.0.1      console-consumer\n"
                        + "g               old             0          2               -               -               "
                        + "-               -               -\n");
    }

    @Test
    void membersAndStateTables() {
        var desc = group(GroupState.STABLE, List.of(member("m1", new TopicPartition("t", 0))));
        assertThat(GroupPrinter.members("g", desc.members()))
                .isEqualTo("\nGROUP           CONSUMER-ID     HOST            CLIENT-ID        #PARTITIONS     \n"
                        + "g               m1              /127.0.0.1      console-consumer 1               \n");
        assertThat(GroupPrinter.state(desc))
                .isEqualTo(
                        "\nGROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE                #MEMBERS"
                                + "\ng               localhost:9092  (1)       range                Stable               1\n");
    }

    @Test
    void listingAndResetPlan() {
        var listing = List.of(
                new GroupListing("g1", Optional.of(GroupType.CLASSIC), "consumer", Optional.of(GroupState.EMPTY)));
        assertThat(GroupPrinter.listing(listing, false, true))
                .isEqualTo(String.format("%-25s %-20s%n%-25s %-20s%n", "GROUP", "STATE", "g1", "Empty"));
        var plan = Map.of(
                "g",
                Map.of(
                        new TopicPartition("t", 1),
                        new OffsetAndMetadata(7),
                        new TopicPartition("t", 0),
                        new OffsetAndMetadata(3)));
        // Kafka 4.1.1: fixed widths 30, 30, 10, 15, every column padded.
        assertThat(GroupPrinter.resetPlan(plan))
                .isEqualTo(String.format(
                        "%n%-30s %-30s %-10s %-15s%n%-30s %-30s %-10s %-15s%n%-30s %-30s %-10s %-15s%n",
                        "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET", "g", "t", 0, 3, "g", "t", 1, 7));
    }

    @Test
    void deletionSummary() {
        assertThat(GroupPrinter.deletion(Map.of(), List.of("a", "b")))
                .isEqualTo("Deletion of requested consumer groups ('a', 'b') was successful.\n");
        assertThat(GroupPrinter.deletion(Map.of("x", new RuntimeException("boom")), List.of("a")))
                .isEqualTo("\nError: Deletion of some consumer groups failed:\n"
                        + "* Group 'x' could not be deleted due to: java.lang.RuntimeException: boom\n"
                        + "\nThese consumer groups were deleted successfully: 'a'\n");
    }
}
