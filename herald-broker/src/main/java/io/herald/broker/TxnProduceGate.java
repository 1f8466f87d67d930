package io.herald.broker;

import io.herald.storage.ActiveProducer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;

/**
 * Transaction version 2 on the produce path (KIP-890): before a leader appends a producer's first transactional batch
 * of a transaction to a partition, it adds the partition to the transaction at the coordinator (the client no longer
 * sends AddPartitionsToTxn). Later batches of the same transaction go straight through. Batches of one producer to one
 * partition that arrive while an add is in flight wait behind it, so they still reach the log in order.
 */
final class TxnProduceGate {
    /** Produce v12 is the first version a transaction-version-2 producer sends. */
    private static final short FIRST_TV2_PRODUCE_VERSION = 12;

    private record Key(TopicPartition partition, long producerId) {}

    private final TxnPartitionAdder adder;
    private final Map<Key, CompletableFuture<?>> tails = new HashMap<>();

    TxnProduceGate(TxnPartitionAdder adder) {
        this.adder = adder;
    }

    /** Whether the records are a transactional batch this gate must look at. */
    static boolean applies(String transactionalId, short apiVersion, MemoryRecords records) {
        if (transactionalId == null || apiVersion < FIRST_TV2_PRODUCE_VERSION) {
            return false;
        }
        var batches = records.batches().iterator();
        return batches.hasNext() && batches.next().isTransactional();
    }

    /**
     * Runs {@code append} once the partition is in the producer's transaction (with NONE), or with the error that
     * refused it. Runs it at once when the producer's transaction is already open on the partition.
     */
    <T> CompletableFuture<T> admit(
            String transactionalId, Partition partition, MemoryRecords records, Function<Errors, T> append) {
        MutableRecordBatch batch = records.batches().iterator().next();
        long producerId = batch.producerId();
        short epoch = batch.producerEpoch();
        Key key = new Key(partition.topicPartition(), producerId);
        CompletableFuture<T> stage;
        synchronized (this) {
            CompletableFuture<?> previous = tails.get(key);
            if (previous == null && inTransaction(partition, producerId, epoch)) {
                stage = null;
            } else {
                CompletableFuture<?> start =
                        previous == null ? CompletableFuture.completedFuture(null) : previous.handle((r, e) -> null);
                stage = start.thenCompose(ignored -> inTransaction(partition, producerId, epoch)
                                ? CompletableFuture.completedFuture(Errors.NONE)
                                : adder.add(transactionalId, producerId, epoch, partition.topicPartition())
                                        .thenApply(TxnProduceGate::forProducer))
                        .thenApply(append);
                tails.put(key, stage);
                CompletableFuture<T> mine = stage;
                stage.whenComplete((r, e) -> {
                    synchronized (this) {
                        tails.remove(key, mine);
                    }
                });
            }
        }
        return stage != null ? stage : CompletableFuture.completedFuture(append.apply(Errors.NONE));
    }

    private static boolean inTransaction(Partition partition, long producerId, short epoch) {
        for (ActiveProducer p : partition.log().activeProducers()) {
            if (p.producerId() == producerId) {
                return p.producerEpoch() == epoch && p.currentTxnStartOffset() >= 0;
            }
        }
        return false;
    }

    /** The coordinator's answer as a producer understands it (Kafka's mapping for the produce path). */
    private static Errors forProducer(Errors error) {
        return switch (error) {
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS -> Errors.NOT_ENOUGH_REPLICAS;
            default -> error;
        };
    }
}
