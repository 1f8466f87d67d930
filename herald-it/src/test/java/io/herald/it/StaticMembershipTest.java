package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Static membership (KIP-345) in both protocols: a member restarted with the same {@code group.instance.id} within its
 * session timeout gets its partitions back, and the other members see no rebalance.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StaticMembershipTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = GroupTest.groupNode(dataDir);
        node.properties().put("group.consumer.session.timeout.ms", "30000");
        node.start();
        GroupTest.node = node;
        admin = Admin.create(node.adminConfig());
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    static Properties staticConfig(String group, String protocol, String instanceId) {
        Properties config = GroupTest.consumerConfig(group, protocol);
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        if (protocol.equals("classic")) {
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
        }
        return config;
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "consumer"})
    void aRestartedStaticMemberGetsItsPartitionsBackWithoutARebalance(String protocol) throws Exception {
        String topic = "static-" + protocol;
        String group = "static-group-" + protocol;
        admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        Set<String> processed = GroupMemberLoop.newProcessedSet();
        GroupMemberLoop a = new GroupMemberLoop(staticConfig(group, protocol, "a"), topic, processed, "a");
        GroupMemberLoop b = new GroupMemberLoop(staticConfig(group, protocol, "b"), topic, processed, "b");
        try {
            GroupTest.awaitAssignments(List.of(a, b), 2, 2);
            Set<TopicPartition> aPartitions = a.assignment();
            Set<TopicPartition> bPartitions = b.assignment();
            int aRebalances = a.rebalances.get();

            b.close(); // a static member does not leave the group on close
            GroupMemberLoop b2 = new GroupMemberLoop(staticConfig(group, protocol, "b"), topic, processed, "b2");
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> b2.assignment().equals(bPartitions));
                GroupTest.produce(topic, 0, 100);
                await().atMost(Duration.ofSeconds(30)).until(() -> processed.containsAll(GroupTest.values(0, 100)));
                assertThat(a.assignment()).isEqualTo(aPartitions);
                assertThat(a.rebalances.get())
                        .as("rebalances seen by the other member")
                        .isEqualTo(aRebalances);
                assertThat(b2.failures()).isEmpty();
                if (protocol.equals("classic")) {
                    // b2 stops without leaving (static); the admin removes it by group.instance.id, as
                    // kafka-consumer-groups --delete-members does, and a takes over its partitions.
                    b2.close();
                    admin.removeMembersFromConsumerGroup(
                                    group,
                                    new org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions(
                                            java.util.Set.of(new org.apache.kafka.clients.admin.MemberToRemove("b"))))
                            .all()
                            .get();
                    GroupTest.awaitAssignments(List.of(a), 4);
                }
            } finally {
                b2.close();
            }
        } finally {
            a.close();
            b.close();
        }
    }
}
