package io.herald.replication.sim;

import io.herald.metadata.PartitionRegistration;
import io.herald.replication.EpochEnd;
import io.herald.replication.IsrChange;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/** What simulated nodes send each other: the fields of the Kafka requests that replication depends on. */
sealed interface Message {
    /** A follower's Fetch: its replica id, its view of the leader epoch, its log end and its last epoch. */
    record Fetch(int replicaId, long fetchId, int currentLeaderEpoch, long fetchOffset, int lastFetchedEpoch)
            implements Message {}

    /** The leader's answer: an error, or a diverging epoch, or batches from the fetch offset; and its high watermark. */
    record FetchResponse(long fetchId, Errors error, EpochEnd divergingEpoch, List<SimLog.Batch> batches, long hw)
            implements Message {}

    /** An acks=all produce of one batch. */
    record Produce(long requestId, List<Long> values) implements Message {}

    record ProduceResponse(long requestId, Errors error, long baseOffset) implements Message {}

    /**
     * AlterPartition from the leader, carrying the proposal (its leader epoch and partition epoch); the request id is
     * the correlation id its answer carries back.
     */
    record AlterPartition(int leaderId, long requestId, IsrChange proposal) implements Message {}

    record AlterPartitionResponse(long requestId, Errors error, PartitionRegistration partition) implements Message {}

    /** Broker heartbeat; a new incarnation is a new registration (the broker restarted). */
    record Heartbeat(int brokerId, int incarnation) implements Message {}

    /** The controller's answer to a heartbeat and its push after each change: the partition as it now stands. */
    record PartitionState(PartitionRegistration partition) implements Message {}

    /** A client asks the controller where the leader is. */
    record MetadataRequest() implements Message {}
}
