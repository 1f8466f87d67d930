package io.herald.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MetadataImageTest {
    private static final Uuid ORDERS = Uuid.randomUuid();

    private static MetadataImage apply(MetadataImage base, long offset, MetadataRecord... records) {
        MetadataDelta delta = new MetadataDelta(base);
        for (MetadataRecord record : records) {
            delta.replay(record);
        }
        return delta.apply(offset);
    }

    private static MetadataImage withOrders() {
        return apply(
                MetadataImage.EMPTY,
                3,
                new MetadataRecord.RegisterBroker(
                        1,
                        Uuid.randomUuid(),
                        1,
                        List.of(new BrokerEndpoint("PLAINTEXT", "h", 9092, "PLAINTEXT")),
                        null),
                new MetadataRecord.BrokerFencing(1, 1, false),
                new MetadataRecord.Topic("orders", ORDERS),
                new MetadataRecord.Partition(ORDERS, 0, List.of(1), List.of(1), 1, 0, 0),
                new MetadataRecord.Partition(ORDERS, 1, List.of(1), List.of(1), 1, 0, 0),
                new MetadataRecord.Config(ConfigResourceType.TOPIC, "orders", "retention.ms", "1000"));
    }

    @Test
    void deltaBuildsANewImageAndLeavesTheBaseUntouched() {
        MetadataImage image = withOrders();
        assertThat(image.offset()).isEqualTo(3);
        assertThat(image.topic("orders"))
                .hasValueSatisfying(t -> assertThat(t.partitions()).hasSize(2));
        assertThat(image.topic(ORDERS)).isPresent();
        assertThat(image.liveBrokers()).extracting(BrokerRegistration::id).containsExactly(1);
        assertThat(image.configs(ConfigResourceType.TOPIC, "orders")).containsEntry("retention.ms", "1000");
        assertThat(MetadataImage.EMPTY.topicsById()).isEmpty();
    }

    @Test
    void newBrokerRegistrationStartsFencedAndStaleFencingIsIgnored() {
        MetadataImage image = apply(
                MetadataImage.EMPTY,
                1,
                new MetadataRecord.RegisterBroker(2, Uuid.randomUuid(), 5, List.of(), "rack-a"),
                new MetadataRecord.BrokerFencing(2, 4, false));
        assertThat(image.broker(2)).hasValueSatisfying(b -> {
            assertThat(b.fenced()).isTrue();
            assertThat(b.rack()).isEqualTo("rack-a");
        });
        assertThat(image.liveBrokers()).isEmpty();
    }

    @Test
    void partitionChangeReplacesOnlyThatPartition() {
        MetadataImage before = withOrders();
        MetadataDelta delta = new MetadataDelta(before);
        delta.replay(new MetadataRecord.Partition(ORDERS, 1, List.of(1), List.of(1), 1, 7, 3));
        MetadataImage after = delta.apply(4);
        assertThat(after.topic(ORDERS).orElseThrow().partition(1).leaderEpoch()).isEqualTo(7);
        assertThat(after.topic(ORDERS).orElseThrow().partition(0).leaderEpoch()).isZero();
        assertThat(before.topic(ORDERS).orElseThrow().partition(1).leaderEpoch())
                .isZero();
        assertThat(delta.changedTopics()).containsExactly(ORDERS);
        assertThat(delta.createdTopics()).isEmpty();
    }

    @Test
    void removingATopicDropsItsPartitionsAndConfigs() {
        MetadataDelta delta = new MetadataDelta(withOrders());
        delta.replay(new MetadataRecord.RemoveTopic(ORDERS));
        MetadataImage after = delta.apply(4);
        assertThat(after.topic("orders")).isEmpty();
        assertThat(after.topic(ORDERS)).isEmpty();
        assertThat(after.configs(ConfigResourceType.TOPIC, "orders")).isEmpty();
        assertThat(delta.deletedTopics()).containsExactly(ORDERS);
    }

    @Test
    void recordForAnUnknownTopicIsAnInvariantViolation() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        assertThatThrownBy(() -> delta.replay(
                        new MetadataRecord.Partition(Uuid.randomUuid(), 0, List.of(1), List.of(1), 1, 0, 0)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void imageRoundTripsThroughSnapshotRecordsAndTheCodec() {
        MetadataImage image = apply(withOrders(), 9, new MetadataRecord.ProducerIds(1, 1, 2000));
        byte[] snapshot = MetadataRecordCodec.encode(image.toRecords());
        MetadataImage restored = MetadataImage.fromRecords(9, MetadataRecordCodec.decode(snapshot));
        assertThat(restored.topicsByName()).isEqualTo(image.topicsByName());
        assertThat(restored.brokers()).isEqualTo(image.brokers());
        assertThat(restored.configs(ConfigResourceType.TOPIC, "orders"))
                .isEqualTo(image.configs(ConfigResourceType.TOPIC, "orders"));
        assertThat(restored.nextProducerId()).isEqualTo(2000);
    }

    @Test
    void clientQuotasAndScramCredentialsSurviveSnapshotsAndRemovals() {
        Map<String, String> defaultUser = new HashMap<>();
        defaultUser.put("user", null);
        MetadataImage image = apply(
                MetadataImage.EMPTY,
                4,
                new MetadataRecord.ClientQuota(Map.of("client-id", "c1"), "producer_byte_rate", 1024.0),
                new MetadataRecord.ClientQuota(defaultUser, "consumer_byte_rate", 100.0),
                new MetadataRecord.ScramCredential(
                        "alice", (byte) 1, new byte[] {1}, new byte[] {2}, new byte[] {3}, 4096),
                new MetadataRecord.ScramCredential(
                        "alice", (byte) 2, new byte[] {4}, new byte[] {5}, new byte[] {6}, 8192));
        MetadataImage restored =
                MetadataImage.fromRecords(4, MetadataRecordCodec.decode(MetadataRecordCodec.encode(image.toRecords())));
        assertThat(restored.clientQuotas().byEntity())
                .isEqualTo(Map.of(
                        Map.of("client-id", "c1"),
                        Map.of("producer_byte_rate", 1024.0),
                        defaultUser,
                        Map.of("consumer_byte_rate", 100.0)));
        assertThat(restored.scramCredentials().byUser().get("alice")).containsOnlyKeys((byte) 1, (byte) 2);
        assertThat(restored.scramCredentials()
                        .byUser()
                        .get("alice")
                        .get((byte) 2)
                        .iterations())
                .isEqualTo(8192);

        MetadataImage removed = apply(
                restored,
                5,
                new MetadataRecord.ClientQuota(Map.of("client-id", "c1"), "producer_byte_rate", null),
                new MetadataRecord.RemoveScramCredential("alice", (byte) 1),
                new MetadataRecord.RemoveScramCredential("alice", (byte) 2));
        assertThat(removed.clientQuotas().byEntity()).containsOnlyKeys(defaultUser);
        assertThat(removed.scramCredentials().byUser()).isEmpty();
        assertThat(restored.scramCredentials().byUser()).containsKey("alice");
    }

    @Test
    void corruptBatchesAreRejected() {
        assertThatThrownBy(() -> MetadataRecordCodec.decode(new byte[] {0, 0, 0, 1, 99, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetadataRecordCodec.decode(new byte[] {(byte) 0xff, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void placementRotatesReplicasOverLiveBrokers() {
        List<List<Integer>> placed = ReplicaPlacer.place(0, 3, (short) 2, List.of(3, 1, 2), 0);
        assertThat(placed).containsExactly(List.of(1, 2), List.of(2, 3), List.of(3, 1));
    }

    @Test
    void topicConfigValidationNamesKeyAndValue() {
        assertThatThrownBy(() -> TopicConfigs.validate(java.util.Map.of("cleanup.policy", "shred")))
                .hasMessageContaining("cleanup.policy")
                .hasMessageContaining("shred");
        TopicConfigs.validate(java.util.Map.of("cleanup.policy", "compact,delete", "retention.ms", "-1"));
        assertThat(TopicConfigs.defaultValue("segment.bytes")).isEqualTo("1073741824");
    }

    @Test
    void throttledReplicaListsAreAWildcardOrPartitionBrokerPairs() {
        TopicConfigs.validate(java.util.Map.of(
                "leader.replication.throttled.replicas", "0:1, 1:2",
                "follower.replication.throttled.replicas", "*"));
        TopicConfigs.validate(java.util.Map.of("leader.replication.throttled.replicas", ""));
        for (String bad : List.of("0-1", "*,0:1", "a:1", "0:1:2")) {
            assertThatThrownBy(() ->
                            TopicConfigs.validate(java.util.Map.of("follower.replication.throttled.replicas", bad)))
                    .as(bad)
                    .hasMessageContaining("must be the literal '*' or a list of replicas");
        }
    }
}
