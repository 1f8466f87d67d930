package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code __consumer_offsets} is created on the first FindCoordinator with the configured partitions and replication
 * factor; as in Kafka, a replication factor the cluster cannot meet leaves groups without a coordinator.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OffsetsTopicTest {
    @TempDir
    Path dataDir;

    private static Errors findCoordinator(RawClient client, String group) throws Exception {
        FindCoordinatorResponseData r = client.call(
                ApiKeys.FIND_COORDINATOR, 4, new FindCoordinatorRequestData().setCoordinatorKeys(List.of(group)));
        return Errors.forCode(r.coordinators().get(0).errorCode());
    }

    @Test
    void theOffsetsTopicIsCreatedOnFirstUseWithKafkasDefaultPartitionCount() throws Exception {
        try (TestNode node = TestNode.combined(dataDir)) {
            node.properties().put("offsets.topic.replication.factor", "1");
            node.properties().remove("offsets.topic.num.partitions"); // Kafka's default, 50
            node.start();
            try (RawClient client = new RawClient(node.bootstrapServers());
                    Admin admin = Admin.create(node.adminConfig())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> findCoordinator(client, "g") == Errors.NONE);
                TopicDescription offsets = admin.describeTopics(List.of("__consumer_offsets"))
                        .allTopicNames()
                        .get()
                        .get("__consumer_offsets");
                assertThat(offsets.partitions()).hasSize(50);
                assertThat(offsets.isInternal()).isTrue();
            }
        }
    }

    @Test
    void aReplicationFactorTheClusterCannotMeetLeavesGroupsWithoutACoordinator() throws Exception {
        try (TestNode node = TestNode.combined(dataDir)) {
            // Kafka's default offsets.topic.replication.factor is 3; this cluster has one broker.
            node.properties().put("offsets.topic.replication.factor", "3");
            node.start();
            try (RawClient client = new RawClient(node.bootstrapServers());
                    Admin admin = Admin.create(node.adminConfig())) {
                await().during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> findCoordinator(client, "g") == Errors.COORDINATOR_NOT_AVAILABLE);
                assertThat(admin.listTopics().names().get()).doesNotContain("__consumer_offsets");
            }
        }
    }

    @Test
    void aMetadataRequestNeverAutoCreatesTheOffsetsTopicWithBrokerDefaults() throws Exception {
        try (TestNode node = TestNode.combined(dataDir)) {
            node.properties().put("offsets.topic.replication.factor", "1");
            node.properties().remove("offsets.topic.num.partitions"); // Kafka's default, 50
            node.start();
            try (RawClient client = new RawClient(node.bootstrapServers())) {
                org.apache.kafka.common.message.MetadataRequestData metadata =
                        new org.apache.kafka.common.message.MetadataRequestData().setAllowAutoTopicCreation(true);
                metadata.topics()
                        .add(new org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic()
                                .setName("__consumer_offsets"));
                client.call(ApiKeys.METADATA, 12, metadata); // internal: left to the group coordinator
                await().atMost(Duration.ofSeconds(30)).until(() -> findCoordinator(client, "g") == Errors.NONE);
            }
            GroupTest.node = node;
            try (Admin admin = Admin.create(node.adminConfig())) {
                assertThat(admin.describeTopics(List.of("__consumer_offsets"))
                                .allTopicNames()
                                .get()
                                .get("__consumer_offsets")
                                .partitions())
                        .hasSize(50);
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("after-auto", 2, (short) 1)))
                        .all()
                        .get();
            }
            java.util.Properties config = GroupTest.consumerConfig("g", "classic");
            config.put("session.timeout.ms", "10000");
            try (GroupMemberLoop member =
                    new GroupMemberLoop(config, "after-auto", GroupMemberLoop.newProcessedSet(), "member")) {
                GroupTest.awaitAssignments(List.of(member), 2);
            }
        }
    }

    /**
     * {@code __consumer_offsets} is a compacted topic like any other: the log cleaner keeps the latest commit per
     * partition, and the coordinator replays the compacted log after a restart.
     */
    @Test
    void theOffsetsTopicIsCompactedAndReplaysAfterARestart() throws Exception {
        try (TestNode node = TestNode.combined(dataDir)) {
            node.properties().put("offsets.topic.replication.factor", "1");
            node.properties().put("offsets.topic.num.partitions", "1");
            node.properties().put("offsets.topic.segment.bytes", Integer.toString(1024 * 1024)); // the least allowed
            node.properties().put("log.cleaner.backoff.ms", "100");
            node.start();
            TopicPartition offsets = new TopicPartition("__consumer_offsets", 0);
            TopicPartition consumed = new TopicPartition("consumed", 0);
            long written;
            try (Admin admin = Admin.create(node.adminConfig())) {
                admin.createTopics(List.of(new NewTopic("consumed", 1, (short) 1)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
                String metadata = "m".repeat(4000); // about 4 KB per commit record: 1000 commits fill 4 segments
                for (int i = 1; i <= 1000; i++) {
                    admin.alterConsumerGroupOffsets(
                                    "compacted-group", Map.of(consumed, new OffsetAndMetadata(i, metadata)))
                            .all()
                            .get(60, TimeUnit.SECONDS);
                }
                written = 1000L * 4000;
                // What stays: the active segment (at most 1 MiB) and the latest commit of the cleaned ones.
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> logSize(admin, offsets) < written / 3);
            }
            node.restart();
            try (Admin admin = Admin.create(node.adminConfig())) {
                await().atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .until(
                                () -> admin.listConsumerGroupOffsets("compacted-group")
                                        .partitionsToOffsetAndMetadata()
                                        .get(10, TimeUnit.SECONDS)
                                        .get(consumed)
                                        .offset(),
                                Long.valueOf(1000L)::equals);
            }
        }
    }

    private static long logSize(Admin admin, TopicPartition partition) throws Exception {
        return admin.describeLogDirs(List.of(1)).allDescriptions().get(10, TimeUnit.SECONDS).get(1).values().stream()
                .map(dir -> dir.replicaInfos().get(partition))
                .filter(java.util.Objects::nonNull)
                .mapToLong(org.apache.kafka.clients.admin.ReplicaInfo::size)
                .sum();
    }
}
