package io.herald.broker;

import io.herald.network.ProtocolClient;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
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
 * to the transactional id's coordinator over the inter-broker listener (this broker included). While the coordinator
 * still completes the producer's previous transaction (CONCURRENT_TRANSACTIONS) the add is retried every 20 ms for up
 * to 100 ms before the producer is told, as Kafka's {@code add.partitions.to.txn.retry.backoff.ms} and
 * {@code add.partitions.to.txn.retry.backoff.max.ms} defaults do: the producer's batch stays in flight meanwhile, so
 * an abort right after a commit waits for it instead of racing the commit's markers.
 */
final class TxnPartitionAdder implements AutoCloseable {
    private static final short ADD_PARTITIONS_VERSION = 5;
    static final long RETRY_BACKOFF_MS = 20;
    static final long RETRY_MAX_MS = 100;

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
        return add(transactionalId, producerId, producerEpoch, tp, System.currentTimeMillis() + RETRY_MAX_MS);
    }

    private CompletableFuture<Errors> add(
            String transactionalId, long producerId, short producerEpoch, TopicPartition tp, long giveUpAtMs) {
        return addOnce(transactionalId, producerId, producerEpoch, tp)
                .thenCompose(error -> retried(
                        error, giveUpAtMs, () -> add(transactionalId, producerId, producerEpoch, tp, giveUpAtMs)));
    }

    private static CompletableFuture<Errors> retried(
            Errors error, long giveUpAtMs, Supplier<CompletableFuture<Errors>> again) {
        if (error != Errors.CONCURRENT_TRANSACTIONS || System.currentTimeMillis() + RETRY_BACKOFF_MS > giveUpAtMs) {
            return CompletableFuture.completedFuture(error);
        }
        return CompletableFuture.supplyAsync(
                        again, CompletableFuture.delayedExecutor(RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS))
                .thenCompose(f -> f);
    }

    private CompletableFuture<Errors> addOnce(
            String transactionalId, long producerId, short producerEpoch, TopicPartition tp) {
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
