package io.herald.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import io.herald.metadata.PartitionRegistration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.UnregisterBrokerRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Leadership and ISR decisions of the controller, against hand-built images of three brokers (epochs 11, 12, 13). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LeadershipDecisionsTest {
    private static final Uuid T = Uuid.randomUuid();
    private static final Uuid SOLO = Uuid.randomUuid();

    /** Topic "t": p0 replicas 1,2,3 led by 1; p1 replicas 2,3,1 led by 2. Topic "solo": p0 on broker 1 only. */
    private static MetadataImage image() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        for (int id = 1; id <= 3; id++) {
            delta.replay(new MetadataRecord.RegisterBroker(id, Uuid.randomUuid(), 10 + id, List.of(), null));
            delta.replay(new MetadataRecord.BrokerFencing(id, 10 + id, false));
        }
        delta.replay(new MetadataRecord.Topic("t", T));
        delta.replay(new MetadataRecord.Partition(T, 0, List.of(1, 2, 3), List.of(1, 2, 3), 1, 0, 0));
        delta.replay(new MetadataRecord.Partition(T, 1, List.of(2, 3, 1), List.of(2, 3, 1), 2, 0, 0));
        delta.replay(new MetadataRecord.Topic("solo", SOLO));
        delta.replay(new MetadataRecord.Partition(SOLO, 0, List.of(1), List.of(1), 1, 0, 0));
        return delta.apply(100);
    }

    private static MetadataImage apply(MetadataImage image, Decision<?> decision) {
        MetadataDelta delta = new MetadataDelta(image);
        decision.records().forEach(delta::replay);
        return delta.apply(image.offset() + 1);
    }

    private static PartitionRegistration partition(MetadataImage image, String topic, int index) {
        return image.topic(topic).orElseThrow().partition(index);
    }

    private static BrokerHeartbeatRequestData beat(int broker, long offset) {
        return new BrokerHeartbeatRequestData()
                .setBrokerId(broker)
                .setBrokerEpoch(10 + broker)
                .setCurrentMetadataOffset(offset);
    }

    @Test
    void anExpiredSessionFencesTheBrokerAndMovesItsLeadershipsInTheSameBatch() {
        MetadataImage image = image();
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(1000);
        long now = 0;
        heartbeats.touch(1, now);
        heartbeats.touch(2, now + TimeUnit.SECONDS.toNanos(5));
        heartbeats.touch(3, now + TimeUnit.SECONDS.toNanos(5));
        Decision<List<Integer>> decision =
                BrokerDecisions.fenceExpired(image, heartbeats, now + TimeUnit.SECONDS.toNanos(5), false);
        assertThat(decision.response()).containsExactly(1);
        assertThat(decision.records()).last().isEqualTo(new MetadataRecord.BrokerFencing(1, 11, true));
        MetadataImage after = apply(image, decision);
        assertThat(partition(after, "t", 0))
                .isEqualTo(new PartitionRegistration(List.of(1, 2, 3), List.of(2, 3), 2, 1, 1));
        assertThat(partition(after, "t", 1))
                .isEqualTo(new PartitionRegistration(List.of(2, 3, 1), List.of(2, 3), 2, 0, 1));
        assertThat(partition(after, "solo", 0)).isEqualTo(new PartitionRegistration(List.of(1), List.of(1), -1, 1, 1));
        assertThat(after.broker(1).orElseThrow().fenced()).isTrue();
    }

    @Test
    void anUnfencedBrokerLeadsTheLeaderlessPartitionsOfItsIsrs() {
        MetadataImage image = image();
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(1000);
        image = apply(image, BrokerDecisions.heartbeat(image, beat(1, 100).setWantFence(true), heartbeats, 0, false));
        assertThat(partition(image, "solo", 0).leader()).isEqualTo(-1);
        assertThat(partition(image, "t", 0).leader()).isEqualTo(2);
        Decision<BrokerHeartbeatResponseData> unfence =
                BrokerDecisions.heartbeat(image, beat(1, image.offset()), heartbeats, 0, false);
        assertThat(unfence.response().isFenced()).isFalse();
        image = apply(image, unfence);
        assertThat(partition(image, "solo", 0)).isEqualTo(new PartitionRegistration(List.of(1), List.of(1), 1, 2, 2));
        assertThat(partition(image, "t", 0).leader())
                .as("not in the ISR any more: waits for its leader's AlterPartition")
                .isEqualTo(2);
    }

    @Test
    void uncleanElectionOnFencingOnlyWhenTheTopicAllowsIt() {
        MetadataDelta delta = new MetadataDelta(image());
        delta.replay(new MetadataRecord.Partition(T, 0, List.of(1, 2, 3), List.of(1), 1, 3, 3));
        MetadataImage image = delta.apply(101);
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(1000);
        MetadataImage clean =
                apply(image, BrokerDecisions.heartbeat(image, beat(1, 101).setWantFence(true), heartbeats, 0, false));
        assertThat(partition(clean, "t", 0).leader()).isEqualTo(-1);
        MetadataImage viaBrokerDefault =
                apply(image, BrokerDecisions.heartbeat(image, beat(1, 101).setWantFence(true), heartbeats, 0, true));
        assertThat(partition(viaBrokerDefault, "t", 0))
                .isEqualTo(new PartitionRegistration(List.of(1, 2, 3), List.of(2), 2, 4, 4));
        delta = new MetadataDelta(image);
        delta.replay(new MetadataRecord.Config(
                ConfigResourceType.TOPIC, "t", LeadershipDecisions.UNCLEAN_LEADER_ELECTION, "true"));
        MetadataImage topicAllows = delta.apply(102);
        MetadataImage viaTopic = apply(
                topicAllows,
                BrokerDecisions.heartbeat(topicAllows, beat(1, 102).setWantFence(true), heartbeats, 0, false));
        assertThat(partition(viaTopic, "t", 0).leader()).isEqualTo(2);
    }

    @Test
    void controlledShutdownMovesLeadershipsThenGrantsOnceEveryActiveBrokerHasCaughtUp() {
        MetadataImage image = image();
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(1000);
        Decision<BrokerHeartbeatResponseData> first =
                BrokerDecisions.heartbeat(image, beat(1, 100).setWantShutDown(true), heartbeats, 0, false);
        assertThat(first.response().shouldShutDown()).isFalse();
        assertThat(first.response().isFenced()).isFalse();
        assertThat(heartbeats.inControlledShutdown()).containsExactly(1);
        image = apply(image, first);
        assertThat(partition(image, "t", 0).leader()).isEqualTo(2);
        assertThat(partition(image, "t", 0).isr()).containsExactly(2, 3);
        assertThat(partition(image, "t", 1).isr()).containsExactly(2, 3);
        assertThat(partition(image, "solo", 0).leader()).isEqualTo(-1);
        assertThat(image.broker(1).orElseThrow().fenced()).isFalse();

        // Nothing left to move, but brokers 2 and 3 have not reported the moves yet.
        long moved = image.offset();
        Decision<BrokerHeartbeatResponseData> waiting =
                BrokerDecisions.heartbeat(image, beat(1, moved).setWantShutDown(true), heartbeats, 0, false);
        assertThat(waiting.records()).isEmpty();
        assertThat(waiting.response().shouldShutDown()).isFalse();
        BrokerDecisions.heartbeat(image, beat(2, moved), heartbeats, 0, false);
        assertThat(BrokerDecisions.heartbeat(image, beat(1, moved).setWantShutDown(true), heartbeats, 0, false)
                        .response()
                        .shouldShutDown())
                .isFalse();
        BrokerDecisions.heartbeat(image, beat(3, moved), heartbeats, 0, false);
        Decision<BrokerHeartbeatResponseData> granted =
                BrokerDecisions.heartbeat(image, beat(1, moved).setWantShutDown(true), heartbeats, 0, false);
        assertThat(granted.response().shouldShutDown()).isTrue();
        assertThat(granted.records()).containsExactly(new MetadataRecord.BrokerFencing(1, 11, true));
        assertThat(heartbeats.inControlledShutdown()).isEmpty();
    }

    @Test
    void aShuttingDownBrokerIsNeitherElectedNorAcceptedIntoAnIsr() {
        MetadataImage image = image();
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(1000);
        image = apply(
                image, BrokerDecisions.heartbeat(image, beat(3, 100).setWantShutDown(true), heartbeats, 0, false));
        AlterPartitionResponseData response = LeadershipDecisions.alterPartition(
                        image, alter(1, 11, 0, 1, 0, 1, 2, 3), (short) 3, heartbeats.inControlledShutdown())
                .response();
        assertThat(response.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.INELIGIBLE_REPLICA.code());
    }

    @Test
    void aSingleBrokerShutsDownAfterItsPartitionsLoseTheirLeader() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        delta.replay(new MetadataRecord.RegisterBroker(1, Uuid.randomUuid(), 11, List.of(), null));
        delta.replay(new MetadataRecord.BrokerFencing(1, 11, false));
        delta.replay(new MetadataRecord.Topic("solo", SOLO));
        delta.replay(new MetadataRecord.Partition(SOLO, 0, List.of(1), List.of(1), 1, 0, 0));
        MetadataImage image = delta.apply(50);
        BrokerHeartbeats heartbeats = new BrokerHeartbeats(1000);
        image = apply(image, BrokerDecisions.heartbeat(image, beat(1, 50).setWantShutDown(true), heartbeats, 0, false));
        Decision<BrokerHeartbeatResponseData> second =
                BrokerDecisions.heartbeat(image, beat(1, image.offset()).setWantShutDown(true), heartbeats, 0, false);
        assertThat(second.response().shouldShutDown()).isTrue();
    }

    @Test
    void unregisteringABrokerMovesItsLeadershipsAway() {
        MetadataImage image = image();
        Decision<?> decision = BrokerDecisions.unregister(
                image, new UnregisterBrokerRequestData().setBrokerId(2), new BrokerHeartbeats(1000), false);
        MetadataImage after = apply(image, decision);
        assertThat(after.broker(2)).isEmpty();
        assertThat(partition(after, "t", 1))
                .isEqualTo(new PartitionRegistration(List.of(2, 3, 1), List.of(3, 1), 3, 1, 1));
        assertThat(partition(after, "t", 0).isr()).containsExactly(1, 3);
    }

    private static AlterPartitionRequestData alter(
            int broker, long brokerEpoch, int leaderEpoch, int partitionEpoch, int partition, int... isr) {
        AlterPartitionRequestData.PartitionData data = new AlterPartitionRequestData.PartitionData()
                .setPartitionIndex(partition)
                .setLeaderEpoch(leaderEpoch)
                .setPartitionEpoch(partitionEpoch);
        for (int b : isr) {
            data.newIsrWithEpochs().add(new AlterPartitionRequestData.BrokerState().setBrokerId(b));
        }
        AlterPartitionRequestData request =
                new AlterPartitionRequestData().setBrokerId(broker).setBrokerEpoch(brokerEpoch);
        request.topics()
                .add(new AlterPartitionRequestData.TopicData().setTopicId(T).setPartitions(List.of(data)));
        return request;
    }

    @Test
    void alterPartitionShrinksTheIsrAndAnswersTheCommittedState() {
        MetadataImage image = image();
        Decision<AlterPartitionResponseData> decision =
                LeadershipDecisions.alterPartition(image, alter(2, 12, 0, 0, 1, 2, 3), (short) 3, Set.of());
        AlterPartitionResponseData.PartitionData answer =
                decision.response().topics().get(0).partitions().get(0);
        assertThat(answer.errorCode()).isZero();
        assertThat(answer.leaderId()).isEqualTo(2);
        assertThat(answer.leaderEpoch()).isZero();
        assertThat(answer.isr()).containsExactly(2, 3);
        assertThat(answer.partitionEpoch()).isEqualTo(1);
        assertThat(partition(apply(image, decision), "t", 1).isr()).containsExactly(2, 3);
    }

    @Test
    void alterPartitionErrors() {
        MetadataImage image = image();
        assertThat(LeadershipDecisions.alterPartition(image, alter(2, 99, 0, 0, 1, 2, 3), (short) 3, Set.of())
                        .response()
                        .errorCode())
                .isEqualTo(Errors.STALE_BROKER_EPOCH.code());
        AlterPartitionRequestData unknownTopic = alter(2, 12, 0, 0, 1, 2, 3);
        unknownTopic.topics().get(0).setTopicId(Uuid.randomUuid());
        assertThat(code(image, unknownTopic)).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
        assertThat(code(image, alter(2, 12, 0, 0, 7, 2, 3))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        MetadataDelta delta = new MetadataDelta(image);
        delta.replay(new MetadataRecord.Partition(T, 1, List.of(2, 3, 1), List.of(2, 3, 1), 2, 4, 6));
        MetadataImage later = delta.apply(101);
        assertThat(code(later, alter(2, 12, 3, 6, 1, 2, 3))).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
        assertThat(code(later, alter(2, 12, 4, 5, 1, 2, 3))).isEqualTo(Errors.INVALID_UPDATE_VERSION.code());
        assertThat(code(later, alter(2, 12, 4, 6, 1, 2, 4))).isEqualTo(Errors.INVALID_REQUEST.code());
        AlterPartitionRequestData staleMember = alter(2, 12, 4, 6, 1, 2, 3);
        staleMember
                .topics()
                .get(0)
                .partitions()
                .get(0)
                .newIsrWithEpochs()
                .get(1)
                .setBrokerEpoch(5);
        assertThat(code(later, staleMember)).isEqualTo(Errors.INELIGIBLE_REPLICA.code());
        assertThat(code(later, alter(2, 12, 4, 6, 1, 2, 3))).isZero();
    }

    @Test
    void aShuttingDownLeaderCannotKeepItselfInTheIsr() {
        MetadataImage image = image();
        Decision<AlterPartitionResponseData> decision =
                LeadershipDecisions.alterPartition(image, alter(2, 12, 0, 0, 1, 2, 3), (short) 3, Set.of(2));
        assertThat(decision.response().topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.INELIGIBLE_REPLICA.code());
    }

    private static short code(MetadataImage image, AlterPartitionRequestData request) {
        return LeadershipDecisions.alterPartition(image, request, (short) 3, Set.of())
                .response()
                .topics()
                .get(0)
                .partitions()
                .get(0)
                .errorCode();
    }

    private static ElectLeadersRequestData elect(ElectionType type, String topic, int... partitions) {
        ElectLeadersRequestData request = new ElectLeadersRequestData().setElectionType(type.value);
        ElectLeadersRequestData.TopicPartitions tp = new ElectLeadersRequestData.TopicPartitions().setTopic(topic);
        for (int p : partitions) {
            tp.partitions().add(p);
        }
        request.topicPartitions().add(tp);
        return request;
    }

    private static List<Short> codes(Decision<ElectLeadersResponseData> decision) {
        return decision.response().replicaElectionResults().stream()
                .flatMap(t -> t.partitionResult().stream())
                .map(ElectLeadersResponseData.PartitionResult::errorCode)
                .toList();
    }

    @Test
    void preferredElection() {
        MetadataDelta delta = new MetadataDelta(image());
        delta.replay(new MetadataRecord.Partition(T, 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, 1, 1));
        delta.replay(new MetadataRecord.Partition(T, 1, List.of(2, 3, 1), List.of(3, 1), 3, 1, 1));
        MetadataImage image = delta.apply(101);
        Decision<ElectLeadersResponseData> decision =
                LeadershipDecisions.electLeaders(image, elect(ElectionType.PREFERRED, "t", 0, 1, 5), Set.of());
        assertThat(codes(decision))
                .containsExactly(
                        Errors.NONE.code(),
                        Errors.PREFERRED_LEADER_NOT_AVAILABLE.code(),
                        Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(partition(apply(image, decision), "t", 0))
                .isEqualTo(new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2, 3), 1, 2, 2));
        assertThat(codes(LeadershipDecisions.electLeaders(image(), elect(ElectionType.PREFERRED, "t", 0), Set.of())))
                .containsExactly(Errors.ELECTION_NOT_NEEDED.code());
        assertThat(codes(LeadershipDecisions.electLeaders(image, elect(ElectionType.PREFERRED, "nope", 0), Set.of())))
                .containsExactly(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(codes(LeadershipDecisions.electLeaders(image, elect(ElectionType.PREFERRED, "t", 0), Set.of(1))))
                .as("preferred replica shutting down")
                .containsExactly(Errors.PREFERRED_LEADER_NOT_AVAILABLE.code());
    }

    @Test
    void electionOfEveryPartitionLeavesOutThoseThatNeedNone() {
        MetadataDelta delta = new MetadataDelta(image());
        delta.replay(new MetadataRecord.Partition(T, 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, 1, 1));
        MetadataImage image = delta.apply(101);
        Decision<ElectLeadersResponseData> decision = LeadershipDecisions.electLeaders(
                image,
                new ElectLeadersRequestData()
                        .setElectionType(ElectionType.PREFERRED.value)
                        .setTopicPartitions(null),
                Set.of());
        assertThat(decision.response().replicaElectionResults())
                .extracting(ElectLeadersResponseData.ReplicaElectionResult::topic)
                .containsExactly("solo", "t");
        assertThat(decision.response().replicaElectionResults().get(0).partitionResult())
                .isEmpty();
        assertThat(decision.response().replicaElectionResults().get(1).partitionResult())
                .extracting(ElectLeadersResponseData.PartitionResult::partitionId)
                .containsExactly(0);
    }

    @Test
    void uncleanElection() {
        MetadataDelta delta = new MetadataDelta(image());
        delta.replay(new MetadataRecord.Partition(T, 0, List.of(1, 2, 3), List.of(1), -1, 1, 1));
        delta.replay(new MetadataRecord.BrokerFencing(1, 11, true));
        MetadataImage image = delta.apply(101);
        Decision<ElectLeadersResponseData> decision =
                LeadershipDecisions.electLeaders(image, elect(ElectionType.UNCLEAN, "t", 0, 1), Set.of());
        assertThat(codes(decision)).containsExactly(Errors.NONE.code(), Errors.ELECTION_NOT_NEEDED.code());
        assertThat(partition(apply(image, decision), "t", 0))
                .isEqualTo(new PartitionRegistration(List.of(1, 2, 3), List.of(2), 2, 2, 2));
        assertThat(codes(LeadershipDecisions.electLeaders(image, elect(ElectionType.UNCLEAN, "t", 0), Set.of(2, 3))))
                .containsExactly(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE.code());
        assertThatThrownBy(() -> LeadershipDecisions.electLeaders(
                        image, new ElectLeadersRequestData().setElectionType((byte) 7), Set.of()))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aNewlyActiveControllerMovesWhatFencedBrokersStillLead() {
        // Metadata from before leadership moved on fencing: broker 1 fenced, still leading and in ISRs.
        MetadataDelta delta = new MetadataDelta(image());
        delta.replay(new MetadataRecord.BrokerFencing(1, 11, true));
        MetadataImage image = delta.apply(101);
        Decision<Integer> sweep = LeadershipDecisions.sweepFencedLeaders(image, Set.of(), false);
        assertThat(sweep.response()).isEqualTo(3);
        MetadataImage after = apply(image, sweep);
        assertThat(partition(after, "t", 0).leader()).isEqualTo(2);
        assertThat(partition(after, "t", 1).isr()).containsExactly(2, 3);
        assertThat(partition(after, "solo", 0)).isEqualTo(new PartitionRegistration(List.of(1), List.of(1), -1, 1, 1));
        assertThat(LeadershipDecisions.sweepFencedLeaders(after, Set.of(), false)
                        .records())
                .as("nothing left to move")
                .isEmpty();
        assertThat(LeadershipDecisions.sweepFencedLeaders(image(), Set.of(), false)
                        .records())
                .isEmpty();
    }

    @Test
    void rebalanceMovesLeadersBackOnlyAboveTheImbalancePercentage() {
        MetadataDelta delta = new MetadataDelta(image());
        delta.replay(new MetadataRecord.Partition(T, 0, List.of(1, 2, 3), List.of(1, 2, 3), 2, 1, 1));
        MetadataImage image = delta.apply(101);
        // Broker 1 prefers 2 partitions (t-0, solo-0) and lacks one: 50%.
        Decision<Integer> moved = LeadershipDecisions.rebalance(image, Set.of(), 10);
        assertThat(moved.response()).isEqualTo(1);
        assertThat(partition(apply(image, moved), "t", 0).leader()).isEqualTo(1);
        assertThat(LeadershipDecisions.rebalance(image, Set.of(), 50).records()).isEmpty();
        assertThat(LeadershipDecisions.rebalance(image, Set.of(1), 10).records())
                .as("preferred replica shutting down")
                .isEmpty();
        assertThat(LeadershipDecisions.rebalance(image(), Set.of(), 0).records())
                .isEmpty();
    }
}
