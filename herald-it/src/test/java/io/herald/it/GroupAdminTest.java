package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Admin client's group operations: list (with filters), describe, delete groups, delete offsets. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GroupAdminTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = GroupTest.groupNode(dataDir);
        node.start();
        GroupTest.node = node;
        admin = Admin.create(node.adminConfig());
        admin.createTopics(List.of(new NewTopic("admin-topic", 4, (short) 1)))
                .all()
                .get();
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    private static Map<String, GroupListing> listed(ListGroupsOptions options) throws Exception {
        return admin.listGroups(options).all().get().stream().collect(Collectors.toMap(GroupListing::groupId, g -> g));
    }

    @Test
    void groupsAreListedDescribedAndDeleted() throws Exception {
        TopicPartition p0 = new TopicPartition("admin-topic", 0);
        admin.alterConsumerGroupOffsets("admin-simple", Map.of(p0, new OffsetAndMetadata(3)))
                .all()
                .get();
        Set<String> processed = GroupMemberLoop.newProcessedSet();
        GroupMemberLoop classic = new GroupMemberLoop(
                GroupTest.consumerConfig("admin-classic", "classic"), "admin-topic", processed, "classic");
        GroupMemberLoop consumer = new GroupMemberLoop(
                GroupTest.consumerConfig("admin-consumer", "consumer"), "admin-topic", processed, "consumer");
        try {
            GroupTest.awaitAssignments(List.of(classic), 4);
            GroupTest.awaitAssignments(List.of(consumer), 4);

            Map<String, GroupListing> all = listed(new ListGroupsOptions());
            assertThat(all).containsKeys("admin-simple", "admin-classic", "admin-consumer");
            assertThat(all.get("admin-classic").type()).contains(GroupType.CLASSIC);
            assertThat(all.get("admin-classic").groupState()).contains(GroupState.STABLE);
            assertThat(all.get("admin-consumer").type()).contains(GroupType.CONSUMER);
            assertThat(all.get("admin-consumer").groupState()).contains(GroupState.STABLE);
            assertThat(all.get("admin-simple").groupState()).contains(GroupState.EMPTY);
            Map<String, GroupListing> empty = listed(new ListGroupsOptions().inGroupStates(Set.of(GroupState.EMPTY)));
            assertThat(empty).containsKey("admin-simple").doesNotContainKeys("admin-classic", "admin-consumer");
            assertThat(empty.values()).allMatch(g -> g.groupState().orElseThrow() == GroupState.EMPTY);
            Map<String, GroupListing> consumers = listed(new ListGroupsOptions().withTypes(Set.of(GroupType.CONSUMER)));
            assertThat(consumers).containsKey("admin-consumer").doesNotContainKeys("admin-simple", "admin-classic");
            assertThat(consumers.values()).allMatch(g -> g.type().orElseThrow() == GroupType.CONSUMER);

            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(
                            List.of("admin-classic", "admin-consumer"))
                    .all()
                    .get();
            for (ConsumerGroupDescription d : described.values()) {
                assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(d.members()).hasSize(1);
                MemberDescription member = d.members().iterator().next();
                assertThat(member.assignment().topicPartitions()).hasSize(4);
                assertThat(member.clientId()).isNotEmpty();
            }
            assertThat(described.get("admin-classic").type()).isEqualTo(GroupType.CLASSIC);
            assertThat(described.get("admin-classic").partitionAssignor()).isEqualTo("range");
            assertThat(described.get("admin-consumer").type()).isEqualTo(GroupType.CONSUMER);
            assertThat(described.get("admin-consumer").partitionAssignor()).isEqualTo("uniform");

            GroupTest.produce("admin-topic", 0, 40);
            await().atMost(Duration.ofSeconds(30)).until(() -> processed.size() >= 40);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.listConsumerGroupOffsets("admin-classic")
                                    .partitionsToOffsetAndMetadata()
                                    .get()
                                    .size()
                            > 0);

            assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of("admin-classic"))
                            .all()
                            .get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(GroupNotEmptyException.class);
            Set<TopicPartition> committed = admin.listConsumerGroupOffsets("admin-classic")
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .keySet();
            assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets("admin-classic", committed)
                            .all()
                            .get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(GroupSubscribedToTopicException.class);
        } finally {
            classic.close();
            consumer.close();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> listed(new ListGroupsOptions())
                                .get("admin-classic")
                                .groupState()
                                .orElseThrow()
                        == GroupState.EMPTY);
        Set<TopicPartition> committed = admin.listConsumerGroupOffsets("admin-classic")
                .partitionsToOffsetAndMetadata()
                .get()
                .keySet();
        admin.deleteConsumerGroupOffsets("admin-classic", committed).all().get();
        assertThat(admin.listConsumerGroupOffsets("admin-classic")
                        .partitionsToOffsetAndMetadata()
                        .get())
                .isEmpty();

        admin.deleteConsumerGroups(List.of("admin-simple", "admin-classic"))
                .all()
                .get();
        assertThat(listed(new ListGroupsOptions())).doesNotContainKeys("admin-simple", "admin-classic");
        assertThat(admin.listConsumerGroupOffsets("admin-simple")
                        .partitionsToOffsetAndMetadata()
                        .get())
                .isEmpty();
    }

    @Test
    void offsetsOfSeveralGroupsAreFetchedInOneCall() throws Exception {
        TopicPartition p1 = new TopicPartition("admin-topic", 1);
        admin.alterConsumerGroupOffsets("batch-a", Map.of(p1, new OffsetAndMetadata(11)))
                .all()
                .get();
        admin.alterConsumerGroupOffsets("batch-b", Map.of(p1, new OffsetAndMetadata(22)))
                .all()
                .get();
        org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec all =
                new org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec();
        Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = admin.listConsumerGroupOffsets(
                        Map.of("batch-a", all, "batch-b", all, "batch-none", all))
                .all()
                .get();
        assertThat(offsets.get("batch-a")).containsEntry(p1, new OffsetAndMetadata(11));
        assertThat(offsets.get("batch-b")).containsEntry(p1, new OffsetAndMetadata(22));
        assertThat(offsets.get("batch-none")).isEmpty();
    }
}
