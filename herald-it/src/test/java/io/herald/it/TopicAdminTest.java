package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Topic administration through the official Java Admin client against a real single-node Herald. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicAdminTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir).start();
        admin = Admin.create(node.adminConfig());
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void createdTopicIsListedAndDescribedWithItsPartitions() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)));
        Uuid id = result.topicId("orders").get();
        assertThat(result.numPartitions("orders").get()).isEqualTo(3);
        assertThat(admin.listTopics().names().get()).contains("orders");

        TopicDescription description =
                admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
        assertThat(description.topicId()).isEqualTo(id);
        assertThat(description.partitions()).hasSize(3);
        assertThat(description.partitions()).allSatisfy(p -> {
            assertThat(p.leader().id()).isEqualTo(1);
            assertThat(p.replicas()).extracting(n -> n.id()).containsExactly(1);
            assertThat(p.isr()).extracting(n -> n.id()).containsExactly(1);
        });
    }

    @Test
    void creatingAnExistingTopicFailsWithTopicAlreadyExists() throws Exception {
        admin.createTopics(List.of(new NewTopic("twice", 1, (short) 1))).all().get();
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("twice", 1, (short) 1)))
                        .all()
                        .get())
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TopicExistsException.class)
                .hasMessageContaining("Topic 'twice' already exists.");
    }

    @Test
    void replicationFactorAboveLiveBrokersIsRefusedWithKafkasMessage() {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("too-many", 1, (short) 3)))
                        .all()
                        .get())
                .cause()
                .isInstanceOf(InvalidReplicationFactorException.class)
                .hasMessageContaining("Unable to replicate the partition 3 time(s): The target replication factor "
                        + "of 3 cannot be reached because only 1 broker(s) are registered.");
    }

    @Test
    void badTopicRequestsGetKafkasErrors() {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1)))
                        .all()
                        .get())
                .cause()
                .isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("zero", 0, (short) 1)))
                        .all()
                        .get())
                .cause()
                .isInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> admin.createTopics(List.of(
                                new NewTopic("badconfig", 1, (short) 1).configs(Map.of("retention.ms", "soon"))))
                        .all()
                        .get())
                .cause()
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.ms");
        assertThatThrownBy(() -> admin.createTopics(
                                List.of(new NewTopic("unknownconfig", 1, (short) 1).configs(Map.of("no.such", "1"))))
                        .all()
                        .get())
                .cause()
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("no.such");
    }

    @Test
    void validateOnlyCreatesNothing() throws Exception {
        admin.createTopics(List.of(new NewTopic("dry-run", 2, (short) 1)), new CreateTopicsOptions().validateOnly(true))
                .all()
                .get();
        assertThat(admin.listTopics().names().get()).doesNotContain("dry-run");
    }

    @Test
    void topicsAreDeletedByNameAndById() throws Exception {
        admin.createTopics(
                        List.of(new NewTopic("gone-by-name", 1, (short) 1), new NewTopic("gone-by-id", 1, (short) 1)))
                .all()
                .get();
        Uuid id = admin.describeTopics(List.of("gone-by-id"))
                .allTopicNames()
                .get()
                .get("gone-by-id")
                .topicId();
        admin.deleteTopics(TopicCollection.ofTopicNames(List.of("gone-by-name")))
                .all()
                .get();
        admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get();
        assertThat(admin.listTopics().names().get()).doesNotContain("gone-by-name", "gone-by-id");
        assertThatThrownBy(() -> admin.deleteTopics(TopicCollection.ofTopicNames(List.of("gone-by-name")))
                        .all()
                        .get())
                .cause()
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void describeClusterNamesTheBrokerAndCluster() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        assertThat(cluster.clusterId().get()).hasSize(22);
        assertThat(cluster.nodes().get()).extracting(n -> n.id()).containsExactly(1);
        assertThat(cluster.controller().get().id()).isEqualTo(1);
    }

    @Test
    void listTopicsHidesInternalTopicsUnlessAsked() throws Exception {
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(false))
                .names()
                .get();
        assertThat(names).noneMatch(n -> n.startsWith("__"));
    }
}
