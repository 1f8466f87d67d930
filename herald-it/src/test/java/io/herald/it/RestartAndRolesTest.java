package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Metadata durability across restarts, and the controller and broker roles as separate nodes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RestartAndRolesTest {

    @Test
    void topicsSurviveRestartWithTheirIds(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.combined(dir)) {
            // Snapshot often, so the restart goes through a snapshot as well as the log after it.
            node.properties().put("metadata.log.max.snapshot.interval.records", "3");
            node.start();
            Map<String, Uuid> ids = createTopics(node, 6);
            node.restart();
            try (Admin admin = Admin.create(node.adminConfig())) {
                Map<String, TopicDescription> described =
                        admin.describeTopics(ids.keySet()).allTopicNames().get();
                ids.forEach((name, id) -> {
                    assertThat(described.get(name).topicId()).isEqualTo(id);
                    assertThat(described.get(name).partitions()).hasSize(2);
                });
                // The restarted quorum still takes changes.
                admin.createTopics(List.of(new NewTopic("after-restart", 1, (short) 1)))
                        .all()
                        .get();
                assertThat(admin.listTopics().names().get()).contains("after-restart");
            }
        }
    }

    @Test
    void separateControllerAndBrokerFormACluster(@TempDir Path dir) throws Exception {
        int controllerPort = TestPorts.free();
        Map<String, String> controllerProps = TestNode.base(1, "controller", dir.resolve("controller"), controllerPort);
        controllerProps.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        int brokerPort = TestPorts.free();
        Map<String, String> brokerProps = TestNode.base(2, "broker", dir.resolve("broker"), controllerPort);
        brokerProps.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        brokerProps.remove("herald.quorum.raft.port.offset");
        try (TestNode controller = TestNode.of(controllerProps).start();
                TestNode broker = TestNode.of(brokerProps).start();
                Admin admin = Admin.create(broker.adminConfig())) {
            assertThat(admin.describeCluster().nodes().get())
                    .extracting(n -> n.id())
                    .containsExactly(2);
            admin.createTopics(List.of(new NewTopic("split", 4, (short) 1)))
                    .all()
                    .get();
            TopicDescription description =
                    admin.describeTopics(List.of("split")).allTopicNames().get().get("split");
            assertThat(description.partitions())
                    .allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(2));
        }
    }

    private static Map<String, Uuid> createTopics(TestNode node, int count) throws Exception {
        try (Admin admin = Admin.create(node.adminConfig())) {
            Map<String, Uuid> ids = new java.util.TreeMap<>();
            for (int i = 0; i < count; i++) {
                String name = "durable-" + i;
                ids.put(
                        name,
                        admin.createTopics(List.of(new NewTopic(name, 2, (short) 1)))
                                .topicId(name)
                                .get());
            }
            return ids;
        }
    }
}
