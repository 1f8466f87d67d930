package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.metadata.BrokerRegistration;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.PartitionRegistration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leadership and ISR decided by the controller, in a cluster of a controller and three brokers: a broker that stops
 * hands its leaderships to ISR members and leaves the ISRs before it exits (controlled shutdown), comes back as leader
 * of the partitions left without one, preferred-leader election moves leadership back once the preferred replica is
 * in sync again, and AlterPartition sent raw to the controller listener is validated with Kafka's error codes.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LeadershipFailoverTest {
    @TempDir
    Path dir;

    private TestNode broker(int nodeId, int controllerPort) {
        Map<String, String> props = TestNode.base(nodeId, "broker", dir.resolve("broker-" + nodeId), controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + TestPorts.free());
        props.remove("herald.quorum.raft.port.offset");
        // Frequent heartbeats: a controlled shutdown completes once the other brokers reported the moved leaders.
        props.put("broker.heartbeat.interval.ms", "200");
        return TestNode.of(props);
    }

    private static Map<Integer, TopicPartitionInfo> describe(Admin admin, String topic) throws Exception {
        TopicDescription description =
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<Integer, TopicPartitionInfo> byIndex = new java.util.TreeMap<>();
        description.partitions().forEach(p -> byIndex.put(p.partition(), p));
        return byIndex;
    }

    private static int leader(TopicPartitionInfo p) {
        return p.leader() == null || p.leader().isEmpty() ? -1 : p.leader().id();
    }

    private static List<Integer> isr(TopicPartitionInfo p) {
        return p.isr().stream().map(Node::id).toList();
    }

    @Test
    void leadershipFollowsBrokersOutAndBack() throws Exception {
        int controllerPort = TestPorts.free();
        Map<String, String> controllerProps = TestNode.base(1, "controller", dir.resolve("controller"), controllerPort);
        controllerProps.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        // Preferred leaders come back only when asked in this test.
        controllerProps.put("auto.leader.rebalance.enable", "false");
        try (TestNode controller = TestNode.of(controllerProps).start();
                TestNode b2 = broker(2, controllerPort).start();
                TestNode b3 = broker(3, controllerPort).start();
                TestNode b4 = broker(4, controllerPort).start();
                Admin admin = Admin.create(b2.adminConfig());
                RawClient raw = new RawClient("127.0.0.1:" + controllerPort)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> admin.describeCluster().nodes().get().size() == 3);
            ApiVersionsResponseData versions =
                    raw.call(ApiKeys.API_VERSIONS, 3, new ApiVersionsRequestData().setClientSoftwareName("it"));
            assertThat(versions.apiKeys().find(ApiKeys.ALTER_PARTITION.id)).isNotNull();
            assertThat(versions.apiKeys().find(ApiKeys.ELECT_LEADERS.id)).isNotNull();

            admin.createTopics(List.of(
                            new NewTopic(
                                    "moving", Map.of(0, List.of(2, 3, 4), 1, List.of(3, 4, 2), 2, List.of(4, 2, 3))),
                            new NewTopic("solo", Map.of(0, List.of(4)))))
                    .all()
                    .get();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<Integer, TopicPartitionInfo> moving = describe(admin, "moving");
                assertThat(moving.values().stream().map(LeadershipFailoverTest::leader))
                        .containsExactly(2, 3, 4);
                assertThat(leader(describe(admin, "solo").get(0))).isEqualTo(4);
            });

            // Controlled shutdown: broker 4 returns only once the others have applied its partitions' new leaders,
            // so broker 2 already shows them (no waiting here).
            b4.stop();
            Map<Integer, TopicPartitionInfo> moving = describe(admin, "moving");
            assertThat(leader(moving.get(2))).isEqualTo(2);
            assertThat(isr(moving.get(2))).containsExactly(2, 3);
            assertThat(leader(moving.get(0))).isEqualTo(2);
            assertThat(isr(moving.get(0))).containsExactly(2, 3);
            assertThat(leader(moving.get(1))).isEqualTo(3);
            assertThat(isr(moving.get(1))).containsExactly(3, 2);
            assertThat(leader(describe(admin, "solo").get(0)))
                    .as("its only replica is gone: no leader")
                    .isEqualTo(-1);

            alterPartitionIsValidated(b2, raw);

            // Broker 4 returns: it leads the partition whose ISR it alone is in, and nothing else yet.
            b4.start();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(leader(describe(admin, "solo").get(0))).isEqualTo(4));
            assertThat(leader(describe(admin, "moving").get(2))).isEqualTo(2);
            // Its leader takes broker 4 back into the ISR once 4's fetches caught up (AlterPartition from the
            // leader's replication), then a preferred election, with Kafka's tool, gives the partition back to 4.
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() ->
                            assertThat(isr(describe(admin, "moving").get(2))).contains(4));
            Scripts.Result election = Scripts.run(
                    120,
                    "kafka-leader-election.sh",
                    "--bootstrap-server",
                    b3.bootstrapServers(),
                    "--election-type",
                    "preferred",
                    "--topic",
                    "moving",
                    "--partition",
                    "2");
            assertThat(election.exitCode()).as(election.stderr()).isZero();
            assertThat(election.stdout())
                    .isEqualTo("Successfully completed leader election (PREFERRED) for partitions moving-2\n");
            assertThat(leader(describe(admin, "moving").get(2))).isEqualTo(4);
        }
    }

    @Test
    void theControllerMovesLeadershipBackToThePreferredReplicaOnItsOwn() throws Exception {
        int controllerPort = TestPorts.free();
        Map<String, String> controllerProps = TestNode.base(1, "controller", dir.resolve("controller"), controllerPort);
        controllerProps.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        controllerProps.put("leader.imbalance.check.interval.seconds", "1");
        try (TestNode controller = TestNode.of(controllerProps).start();
                TestNode b2 = broker(2, controllerPort).start();
                TestNode b3 = broker(3, controllerPort).start();
                Admin admin = Admin.create(b3.adminConfig());
                RawClient raw = new RawClient("127.0.0.1:" + controllerPort)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> admin.describeCluster().nodes().get().size() == 2);
            admin.createTopics(List.of(new NewTopic("pref", Map.of(0, List.of(2, 3)))))
                    .all()
                    .get();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(leader(describe(admin, "pref").get(0))).isEqualTo(2));
            b2.stop();
            assertThat(leader(describe(admin, "pref").get(0))).isEqualTo(3);
            b2.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                PartitionRegistration p = partition(b3.metadataImage(), "pref", 0);
                if (!p.isr().contains(2)) {
                    alter(raw, b3.metadataImage(), 3, "pref", 0, p.leaderEpoch(), p.partitionEpoch(), 3, 2);
                }
                assertThat(partition(b3.metadataImage(), "pref", 0).isr()).contains(2);
            });
            // No election asked for: the imbalance check (every second here) gives broker 2 its leadership back.
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            assertThat(leader(describe(admin, "pref").get(0))).isEqualTo(2));
        }
    }

    private static PartitionRegistration partition(MetadataImage image, String topic, int index) {
        return image.topic(topic).orElseThrow().partition(index);
    }

    private static AlterPartitionResponseData.PartitionData alter(
            RawClient raw,
            MetadataImage image,
            int broker,
            String topic,
            int partition,
            int leaderEpoch,
            int partitionEpoch,
            int... isr)
            throws Exception {
        BrokerRegistration registration = image.broker(broker).orElseThrow();
        Uuid topicId = image.topic(topic).orElseThrow().id();
        AlterPartitionResponseData response = alterRaw(
                raw, broker, registration.epoch(), topicId, partition, leaderEpoch, partitionEpoch, image, isr);
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        return response.topics().get(0).partitions().get(0);
    }

    private static AlterPartitionResponseData alterRaw(
            RawClient raw,
            int broker,
            long brokerEpoch,
            Uuid topicId,
            int partition,
            int leaderEpoch,
            int partitionEpoch,
            MetadataImage image,
            int... isr)
            throws Exception {
        AlterPartitionRequestData.PartitionData data = new AlterPartitionRequestData.PartitionData()
                .setPartitionIndex(partition)
                .setLeaderEpoch(leaderEpoch)
                .setPartitionEpoch(partitionEpoch);
        for (int member : isr) {
            long epoch = image.broker(member).map(BrokerRegistration::epoch).orElse(-1L);
            data.newIsrWithEpochs()
                    .add(new AlterPartitionRequestData.BrokerState()
                            .setBrokerId(member)
                            .setBrokerEpoch(epoch));
        }
        AlterPartitionRequestData request =
                new AlterPartitionRequestData().setBrokerId(broker).setBrokerEpoch(brokerEpoch);
        request.topics()
                .add(new AlterPartitionRequestData.TopicData()
                        .setTopicId(topicId)
                        .setPartitions(List.of(data)));
        return raw.call(ApiKeys.ALTER_PARTITION, 3, request);
    }

    /** Broker 4 is stopped (fenced); broker 2 leads moving-2 with ISR [2, 3] after a leader change. */
    private static void alterPartitionIsValidated(TestNode b2, RawClient raw) throws Exception {
        MetadataImage image = b2.metadataImage();
        PartitionRegistration p = partition(image, "moving", 2);
        assertThat(p.leader()).isEqualTo(2);
        assertThat(p.leaderEpoch()).isPositive();
        long epoch2 = image.broker(2).orElseThrow().epoch();
        Uuid moving = image.topic("moving").orElseThrow().id();
        int le = p.leaderEpoch();
        int pe = p.partitionEpoch();

        assertThat(Errors.forCode(alterRaw(raw, 2, epoch2 + 1000, moving, 2, le, pe, image, 2, 3)
                        .errorCode()))
                .isEqualTo(Errors.STALE_BROKER_EPOCH);
        assertThat(code(alterRaw(raw, 2, epoch2, Uuid.randomUuid(), 2, le, pe, image, 2, 3)))
                .isEqualTo(Errors.UNKNOWN_TOPIC_ID);
        assertThat(code(alterRaw(raw, 2, epoch2, moving, 9, le, pe, image, 2, 3)))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(code(alterRaw(raw, 2, epoch2, moving, 2, le - 1, pe, image, 2, 3)))
                .isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(code(alterRaw(raw, 2, epoch2, moving, 2, le, pe - 1, image, 2, 3)))
                .isEqualTo(Errors.INVALID_UPDATE_VERSION);
        assertThat(code(alterRaw(raw, 2, epoch2, moving, 2, le + 1, pe, image, 2, 3)))
                .isEqualTo(Errors.NOT_CONTROLLER);
        assertThat(code(alterRaw(raw, 2, epoch2, moving, 2, le, pe, image, 2, 3, 4)))
                .as("broker 4 is fenced")
                .isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(code(alterRaw(raw, 2, epoch2, moving, 2, le, pe, image, 2, 3, 1)))
                .as("not a replica")
                .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(code(alterRaw(raw, 3, image.broker(3).orElseThrow().epoch(), moving, 2, le, pe, image, 2, 3)))
                .as("broker 3 does not lead moving-2")
                .isEqualTo(Errors.INVALID_REQUEST);

        // A valid shrink is committed and answered with the new state; the ISR-only change keeps the leader epoch.
        AlterPartitionResponseData.PartitionData shrunk = alter(raw, image, 2, "moving", 2, le, pe, 2);
        assertThat(Errors.forCode(shrunk.errorCode())).isEqualTo(Errors.NONE);
        assertThat(shrunk.leaderId()).isEqualTo(2);
        assertThat(shrunk.leaderEpoch()).isEqualTo(le);
        assertThat(shrunk.partitionEpoch()).isEqualTo(pe + 1);
        assertThat(shrunk.isr()).containsExactly(2);
        assertThat(code(alterRaw(raw, 2, epoch2, moving, 2, le, pe, image, 2, 3)))
                .as("the same request again carries a stale partition epoch")
                .isEqualTo(Errors.INVALID_UPDATE_VERSION);
        // Broker 3 comes back into the ISR: by this request, or by the leader's own replication seeing it caught up
        // (then this request's partition epoch is stale and it is refused; the leader's change stands).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            MetadataImage now = b2.metadataImage();
            PartitionRegistration current = partition(now, "moving", 2);
            if (!current.isr().contains(3)) {
                alterRaw(raw, 2, epoch2, moving, 2, current.leaderEpoch(), current.partitionEpoch(), now, 2, 3);
            }
            assertThat(partition(b2.metadataImage(), "moving", 2).isr()).containsExactlyInAnyOrder(2, 3);
        });
    }

    private static Errors code(AlterPartitionResponseData response) {
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }
}
