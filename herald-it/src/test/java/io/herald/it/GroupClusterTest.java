package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groups in a cluster of a controller and two brokers: {@code __consumer_offsets} partitions are spread over both,
 * FindCoordinator points each group at its partition's leader, the other broker answers NOT_COORDINATOR, and a
 * consumer bootstrapped on one broker works with a coordinator on the other.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GroupClusterTest {
    @TempDir
    Path dir;

    private TestNode broker(int nodeId, int controllerPort) {
        Map<String, String> props = TestNode.base(nodeId, "broker", dir.resolve("broker-" + nodeId), controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + TestPorts.free());
        props.remove("herald.quorum.raft.port.offset");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "8");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("group.min.session.timeout.ms", "1000");
        return TestNode.of(props);
    }

    @Test
    void eachGroupIsCoordinatedByTheLeaderOfItsPartition() throws Exception {
        int controllerPort = TestPorts.free();
        Map<String, String> controllerProps = TestNode.base(1, "controller", dir.resolve("controller"), controllerPort);
        controllerProps.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        try (TestNode controller = TestNode.of(controllerProps).start();
                TestNode b2 = broker(2, controllerPort).start();
                TestNode b3 = broker(3, controllerPort).start();
                Admin admin = Admin.create(b2.adminConfig());
                RawClient client2 = new RawClient(b2.bootstrapServers());
                RawClient client3 = new RawClient(b3.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> admin.describeCluster().nodes().get().size() == 2);
            Map<String, Integer> coordinatorOf = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (int i = 0; i < 16; i++) {
                    FindCoordinatorResponseData r = client2.call(
                            ApiKeys.FIND_COORDINATOR,
                            4,
                            new FindCoordinatorRequestData().setCoordinatorKeys(List.of("group-" + i)));
                    FindCoordinatorResponseData.Coordinator c = r.coordinators().get(0);
                    if (c.errorCode() != Errors.NONE.code()) {
                        return false;
                    }
                    coordinatorOf.put("group-" + i, c.nodeId());
                }
                return true;
            });
            assertThat(Set.copyOf(coordinatorOf.values())).containsExactlyInAnyOrder(2, 3);

            String onThree = coordinatorOf.entrySet().stream()
                    .filter(e -> e.getValue() == 3)
                    .findFirst()
                    .orElseThrow()
                    .getKey();
            HeartbeatResponseData wrongBroker = client2.call(
                    ApiKeys.HEARTBEAT,
                    4,
                    new HeartbeatRequestData()
                            .setGroupId(onThree)
                            .setMemberId("m")
                            .setGenerationId(1));
            assertThat(Errors.forCode(wrongBroker.errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                HeartbeatResponseData r = client3.call(
                        ApiKeys.HEARTBEAT,
                        4,
                        new HeartbeatRequestData()
                                .setGroupId(onThree)
                                .setMemberId("m")
                                .setGenerationId(1));
                return Errors.forCode(r.errorCode()) == Errors.UNKNOWN_MEMBER_ID;
            });

            admin.createTopics(List.of(new NewTopic("spread", 4, (short) 1)))
                    .all()
                    .get();
            GroupTest.node = b2; // clients bootstrap on broker 2 only
            for (String protocol : List.of("classic", "consumer")) {
                Properties config = GroupTest.consumerConfig(onThree, protocol);
                config.put(ConsumerConfig.GROUP_ID_CONFIG, onThree);
                Set<String> processed = GroupMemberLoop.newProcessedSet();
                try (GroupMemberLoop member = new GroupMemberLoop(config, "spread", processed, protocol)) {
                    GroupTest.awaitAssignments(List.of(member), 4);
                }
                admin.deleteConsumerGroups(List.of(onThree)).all().get();
            }
        }
    }
}
