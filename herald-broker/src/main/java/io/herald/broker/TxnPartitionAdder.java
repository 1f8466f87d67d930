package io.herald.broker;

import io.herald.network.ProtocolClient;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;

/**
 * A partition's leader (or the group coordinator, for offsets) adding a partition to a producer's transaction before
 * its first transactional write there, as transaction version 2 asks (KIP-890): AddPartitionsToTxn v5, broker form,
 * to the transactional id's coordinator over the inter-broker listener (this broker included).
 */
final class TxnPartitionAdder implements AutoCloseable {
    private static final short ADD_PARTITIONS_VERSION = 5;

    private final Function<String, Optional<InetSocketAddress>> coordinators;
    private final long timeoutMs;
    private final ProtocolClient client;

    TxnPartitionAdder(
            Function<String, Optional<InetSocketAddress>> coordinators, long timeoutMs, ProtocolClient client) {
        this.coordinators = coordinators;
        this.timeoutMs = timeoutMs;
        this.client = client;
    }

    /** The coordinator's answer for the partition; COORDINATOR_NOT_AVAILABLE when it cannot be reached. */
    CompletableFuture<Errors> add(String transactionalId, long producerId, short producerEpoch, TopicPartition tp) {
        Optional<InetSocketAddress> coordinator = coordinators.apply(transactionalId);
        if (coordinator.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE);
        }
        AddPartitionsToTxnTopic topic = new AddPartitionsToTxnTopic().setName(tp.topic());
        topic.partitions().add(tp.partition());
        AddPartitionsToTxnTransaction transaction = new AddPartitionsToTxnTransaction()
                .setTransactionalId(transactionalId)
                .setProducerId(producerId)
                .setProducerEpoch(producerEpoch)
                .setVerifyOnly(false);
        transaction.topics().add(topic);
        AddPartitionsToTxnRequestData request = new AddPartitionsToTxnRequestData();
        request.transactions().add(transaction);
        return client.send(coordinator.get(), ApiKeys.ADD_PARTITIONS_TO_TXN, ADD_PARTITIONS_VERSION, request, timeoutMs)
                .handle((response, error) -> {
                    if (error != null) {
                        return Errors.COORDINATOR_NOT_AVAILABLE;
                    }
                    AddPartitionsToTxnResponse answer = (AddPartitionsToTxnResponse) response;
                    if (answer.data().errorCode() != Errors.NONE.code()) {
                        return Errors.forCode(answer.data().errorCode());
                    }
                    Map<TopicPartition, Errors> errors = answer.errors().getOrDefault(transactionalId, Map.of());
                    return errors.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
                });
    }

    @Override
    public void close() {
        client.close();
    }
}
