package io.herald.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.MetadataDelta;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.MetadataRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReassignmentDecisionsTest {
    private static final Uuid TOPIC_ID = Uuid.randomUuid();

    /** Brokers 1 and 2; topic t with partition 0 on broker 1 (leader 1). */
    private static MetadataImage cluster() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        for (int id = 1; id <= 2; id++) {
            delta.replay(new MetadataRecord.RegisterBroker(id, Uuid.randomUuid(), id, List.of(), null));
            delta.replay(new MetadataRecord.BrokerFencing(id, id, false));
        }
        delta.replay(new MetadataRecord.Topic("t", TOPIC_ID));
        delta.replay(new MetadataRecord.Partition(TOPIC_ID, 0, List.of(1), List.of(1), 1, 0, 0));
        return delta.apply(5);
    }

    private static AlterPartitionReassignmentsRequestData move(int partition, List<Integer> replicas) {
        AlterPartitionReassignmentsRequestData data = new AlterPartitionReassignmentsRequestData();
        data.topics()
                .add(new ReassignableTopic()
                        .setName("t")
                        .setPartitions(List.of(new ReassignablePartition()
                                .setPartitionIndex(partition)
                                .setReplicas(replicas))));
        return data;
    }

    private static short error(Decision<org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData> d) {
        return d.response().responses().get(0).partitions().get(0).errorCode();
    }

    @Test
    void replicasAroundTheLeaderAreReassignedAtOnce() {
        var decision = ReassignmentDecisions.alter(cluster(), move(0, List.of(1, 2)));
        assertThat(error(decision)).isEqualTo(Errors.NONE.code());
        assertThat(decision.records())
                .containsExactly(new MetadataRecord.Partition(TOPIC_ID, 0, List.of(1, 2), List.of(1, 2), 1, 0, 1));
        assertThat(ReassignmentDecisions.alter(cluster(), move(0, List.of(1))).records())
                .isEmpty();
    }

    @Test
    void movingTheDataAwayUnknownBrokersAndPartitionsAreRefused() {
        var away = ReassignmentDecisions.alter(cluster(), move(0, List.of(2)));
        assertThat(error(away)).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(away.records()).isEmpty();
        assertThat(error(ReassignmentDecisions.alter(cluster(), move(0, List.of(1, 7)))))
                .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        assertThat(error(ReassignmentDecisions.alter(cluster(), move(3, List.of(1)))))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(error(ReassignmentDecisions.alter(cluster(), move(0, null))))
                .isEqualTo(Errors.NO_REASSIGNMENT_IN_PROGRESS.code());
    }
}
