package io.herald.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.PartitionRegistration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reassignment decisions of the controller against hand-built images of four brokers (epochs 11-14). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReassignmentDecisionsTest {
    private static final Uuid T = Uuid.randomUuid();

    /** Topic "t": p0 on broker 1 alone; p1 replicas 1,2,3 led by 1. Broker 4 is registered but fenced. */
    private static MetadataImage image() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        for (int id = 1; id <= 4; id++) {
            delta.replay(new MetadataRecord.RegisterBroker(id, Uuid.randomUuid(), 10 + id, List.of(), null));
            delta.replay(new MetadataRecord.BrokerFencing(id, 10 + id, id == 4));
        }
        delta.replay(new MetadataRecord.Topic("t", T));
        delta.replay(new MetadataRecord.Partition(T, 0, List.of(1), List.of(1), 1, 0, 0));
        delta.replay(new MetadataRecord.Partition(T, 1, List.of(1, 2, 3), List.of(1, 2, 3), 1, 0, 0));
        return delta.apply(100);
    }

    private static MetadataImage apply(MetadataImage image, Decision<?> decision) {
        MetadataDelta delta = new MetadataDelta(image);
        decision.records().forEach(delta::replay);
        return delta.apply(image.offset() + 1);
    }

    private static PartitionRegistration partition(MetadataImage image, int index) {
        return image.topic("t").orElseThrow().partition(index);
    }

    private static AlterPartitionReassignmentsRequestData reassign(String topic, int partition, Integer... replicas) {
        var request = new AlterPartitionReassignmentsRequestData();
        request.topics()
                .add(new AlterPartitionReassignmentsRequestData.ReassignableTopic()
                        .setName(topic)
                        .setPartitions(List.of(new AlterPartitionReassignmentsRequestData.ReassignablePartition()
                                .setPartitionIndex(partition)
                                .setReplicas(replicas == null ? null : Arrays.asList(replicas)))));
        return request;
    }

    private static Decision<ReassignablePartitionResponse> alter(
            MetadataImage image, AlterPartitionReassignmentsRequestData request) {
        var decision = ReassignmentDecisions.alter(image, request, Set.of(), false);
        return new Decision<>(
                decision.records(),
                decision.response().responses().get(0).partitions().get(0));
    }

    private static AlterPartitionRequestData isr(int leader, PartitionRegistration p, int index, int... isr) {
        var data = new AlterPartitionRequestData.PartitionData()
                .setPartitionIndex(index)
                .setLeaderEpoch(p.leaderEpoch())
                .setPartitionEpoch(p.partitionEpoch());
        for (int b : isr) {
            data.newIsrWithEpochs().add(new AlterPartitionRequestData.BrokerState().setBrokerId(b));
        }
        var request = new AlterPartitionRequestData().setBrokerId(leader).setBrokerEpoch(10 + leader);
        request.topics()
                .add(new AlterPartitionRequestData.TopicData().setTopicId(T).setPartitions(List.of(data)));
        return request;
    }

    @Test
    void startsAReassignmentThatCompletesWhenTheLeaderAddsTheNewReplicasToTheIsr() {
        MetadataImage image = image();
        var started = alter(image, reassign("t", 0, 2, 3).setAllowReplicationFactorChange(true));
        assertThat(started.response().errorCode()).isZero();
        image = apply(image, started);
        PartitionRegistration moving = partition(image, 0);
        assertThat(moving.replicas()).containsExactly(2, 3, 1);
        assertThat(moving.addingReplicas()).containsExactly(2, 3);
        assertThat(moving.removingReplicas()).containsExactly(1);
        assertThat(moving.leader()).isEqualTo(1);

        ListPartitionReassignmentsResponseData listed =
                ReassignmentDecisions.list(image, new ListPartitionReassignmentsRequestData().setTopics(null));
        assertThat(listed.topics()).hasSize(1);
        assertThat(listed.topics().get(0).partitions().get(0).addingReplicas()).containsExactly(2, 3);

        var half = LeadershipDecisions.alterPartition(image, isr(1, moving, 0, 1, 2), (short) 3, Set.of());
        image = apply(image, half);
        assertThat(partition(image, 0).isReassigning()).isTrue();
        assertThat(partition(image, 0).isr()).containsExactly(1, 2);

        Decision<AlterPartitionResponseData> last =
                LeadershipDecisions.alterPartition(image, isr(1, partition(image, 0), 0, 1, 2, 3), (short) 3, Set.of());
        assertThat(last.response().topics().get(0).partitions().get(0).errorCode())
                .as("the leader was removed")
                .isEqualTo(Errors.NEW_LEADER_ELECTED.code());
        image = apply(image, last);
        PartitionRegistration done = partition(image, 0);
        assertThat(done.replicas()).containsExactly(2, 3);
        assertThat(done.isr()).containsExactly(2, 3);
        assertThat(done.leader()).isEqualTo(2);
        assertThat(done.leaderEpoch()).isEqualTo(1);
        assertThat(done.isReassigning()).isFalse();
        assertThat(ReassignmentDecisions.list(image, new ListPartitionReassignmentsRequestData().setTopics(null))
                        .topics())
                .isEmpty();
    }

    @Test
    void cancelRevertsAndCancellingNothingAnswersNoReassignmentInProgress() {
        MetadataImage image = image();
        image = apply(image, alter(image, reassign("t", 1, 1, 2, 4)));
        assertThat(partition(image, 1).addingReplicas()).containsExactly(4);
        var cancelled = alter(image, reassign("t", 1, (Integer[]) null));
        assertThat(cancelled.response().errorCode()).isZero();
        image = apply(image, cancelled);
        assertThat(partition(image, 1).replicas()).containsExactly(1, 2, 3);
        assertThat(partition(image, 1).isReassigning()).isFalse();
        var again = alter(image, reassign("t", 1, (Integer[]) null));
        assertThat(again.response().errorCode()).isEqualTo(Errors.NO_REASSIGNMENT_IN_PROGRESS.code());
        assertThat(again.records()).isEmpty();
    }

    @Test
    void aCancelNeedingAnUncleanElectionIsRefusedUnlessTheTopicAllowsIt() {
        MetadataDelta delta = new MetadataDelta(image());
        delta.replay(new MetadataRecord.Partition(T, 0, List.of(2, 1), List.of(2), 2, 3, 5, List.of(2), List.of(1)));
        MetadataImage image = delta.apply(200);
        var refused = alter(image, reassign("t", 0, (Integer[]) null));
        assertThat(refused.response().errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(refused.response().errorMessage()).contains("unclean leader election");

        delta = new MetadataDelta(image);
        delta.replay(new MetadataRecord.Config(
                ConfigResourceType.TOPIC, "t", LeadershipDecisions.UNCLEAN_LEADER_ELECTION, "true"));
        image = delta.apply(201);
        var allowed = alter(image, reassign("t", 0, (Integer[]) null));
        assertThat(allowed.response().errorCode()).isZero();
        assertThat(apply(image, allowed).topic("t").orElseThrow().partition(0).replicas())
                .containsExactly(1);
    }

    @Test
    void refusesWhatKafkaRefuses() {
        MetadataImage image = image();
        assertThat(alter(image, reassign("nope", 0, 1)).response().errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(alter(image, reassign("t", 7, 1)).response().errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        var duplicate = alter(image, reassign("t", 1, 1, 2, 2));
        assertThat(duplicate.response().errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(duplicate.response().errorMessage()).contains("the broker 2 more than once");
        var unknown = alter(image, reassign("t", 1, 1, 2, 9));
        assertThat(unknown.response().errorCode()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(unknown.response().errorMessage()).contains("broker 9, but no such broker is registered");
        assertThat(alter(image, reassign("t", 1)).response().errorCode())
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(alter(image, reassign("t", 1, 1, 2).setAllowReplicationFactorChange(false))
                        .response()
                        .errorCode())
                .as("allowReplicationFactorChange is false")
                .isEqualTo(Errors.INVALID_REPLICATION_FACTOR.code());
        var fenced = alter(image, reassign("t", 1, 1, 2, 4));
        assertThat(fenced.response().errorCode())
                .as("a fenced broker is accepted")
                .isZero();
        assertThat(fenced.records()).hasSize(1);
    }

    @Test
    void listingNamedPartitionsSkipsUnknownTopicsAndPartitionsNotMoving() {
        MetadataImage image = apply(image(), alter(image(), reassign("t", 1, 1, 2, 4)));
        var request = new ListPartitionReassignmentsRequestData().setTopics(new java.util.ArrayList<>());
        request.topics()
                .add(new ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics()
                        .setName("t")
                        .setPartitionIndexes(List.of(0, 1)));
        request.topics()
                .add(new ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics()
                        .setName("nope")
                        .setPartitionIndexes(List.of(0)));
        var listed = ReassignmentDecisions.list(image, request);
        assertThat(listed.topics()).hasSize(1);
        assertThat(listed.topics().get(0).partitions()).hasSize(1);
        var ongoing = listed.topics().get(0).partitions().get(0);
        assertThat(ongoing.partitionIndex()).isEqualTo(1);
        assertThat(ongoing.replicas()).containsExactly(1, 2, 4, 3);
        assertThat(ongoing.removingReplicas()).containsExactly(3);
    }
}
