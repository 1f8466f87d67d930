package io.herald.coordinator;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What the coordinator knows of one transactional id: the producer id and epoch it handed out (with the previous and
 * next producer id of an id rotation), the transaction's timeout, state, partitions and timestamps, and the
 * transaction protocol version its client speaks (2: the epoch is bumped at the end of every transaction, KIP-890).
 * {@code lastEpoch} is the epoch before the latest bump (memory only, as in Kafka): a retry under it is recognised.
 */
public record TxnMetadata(
        String transactionalId,
        long producerId,
        long prevProducerId,
        long nextProducerId,
        short epoch,
        short lastEpoch,
        int timeoutMs,
        TxnState state,
        Set<TopicPartition> partitions,
        long startMs,
        long updateMs,
        short clientTransactionVersion) {

    TxnMetadata with(
            TxnState newState, short newEpoch, Set<TopicPartition> newPartitions, long newStartMs, long nowMs) {
        return new TxnMetadata(
                transactionalId,
                producerId,
                prevProducerId,
                nextProducerId,
                newEpoch,
                newEpoch != epoch ? epoch : lastEpoch,
                timeoutMs,
                newState,
                Set.copyOf(newPartitions),
                newStartMs,
                nowMs,
                clientTransactionVersion);
    }

    /** The same transaction handing over to another producer id (rotation at an exhausted epoch); -1 for none. */
    TxnMetadata withNextProducerId(long next) {
        return new TxnMetadata(
                transactionalId,
                producerId,
                prevProducerId,
                next,
                epoch,
                lastEpoch,
                timeoutMs,
                state,
                partitions,
                startMs,
                updateMs,
                clientTransactionVersion);
    }

    /** Completion of a rotation: the next producer id at epoch 0, the old one kept as the previous id. */
    TxnMetadata rotated(TxnState newState, long nowMs) {
        return new TxnMetadata(
                transactionalId,
                nextProducerId,
                producerId,
                -1,
                (short) 0,
                (short) -1,
                timeoutMs,
                newState,
                Set.of(),
                startMs,
                nowMs,
                clientTransactionVersion);
    }

    TxnMetadata withTransactionVersion(short version) {
        return new TxnMetadata(
                transactionalId,
                producerId,
                prevProducerId,
                nextProducerId,
                epoch,
                lastEpoch,
                timeoutMs,
                state,
                partitions,
                startMs,
                updateMs,
                version);
    }

    boolean tv2() {
        return clientTransactionVersion >= 2;
    }
}
