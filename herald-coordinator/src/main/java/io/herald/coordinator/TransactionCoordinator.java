package io.herald.coordinator;

import io.herald.common.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The transaction coordinator: a {@link TxnShard} per {@code __transaction_state} partition this broker leads, on the
 * shared {@link CoordinatorRuntime}. A transactional id lives on partition {@code (id.hashCode() & 0x7fffffff) %
 * partitions}, Kafka's placement, so Kafka's tools agree on where it is. Markers go out through a
 * {@link TxnMarkers.Sender} once a commit or abort is decided and written; when every leader has them the transaction
 * completes.
 */
public final class TransactionCoordinator implements AutoCloseable {
    static final String TOPIC = "__transaction_state";
    private static final long TICK_INTERVAL_MS = 100;

    private final TxnConfig config;
    private final Clock clock;
    private final TopicsView topics;
    private final Supplier<CompletableFuture<Long>> producerIds;
    private final CoordinatorRuntime<TxnShard> runtime;

    /**
     * {@code producerIds} hands out fresh producer ids (from the controller's blocks); {@code markers} delivers commit
     * and abort markers.
     */
    public TransactionCoordinator(
            TxnConfig config,
            Clock clock,
            PartitionStore store,
            TopicsView topics,
            Supplier<CompletableFuture<Long>> producerIds,
            TxnMarkers.Sender markers) {
        this.config = config;
        this.clock = clock;
        this.topics = topics;
        this.producerIds = producerIds;
        CoordinatorRuntime<TxnShard>[] self = newArray();
        this.runtime = new CoordinatorRuntime<>(
                TOPIC,
                "herald-txn-coordinator",
                TICK_INTERVAL_MS,
                clock,
                store,
                (partition, epoch, nowMs) -> new TxnShard(
                        partition,
                        epoch,
                        config,
                        request -> markers.send(
                                request,
                                () -> self[0].runIfLoaded(partition, shard -> {
                                    Effects fx = new Effects();
                                    shard.markersWritten(request, clock.millis(), fx);
                                    return fx;
                                })),
                        nowMs));
        self[0] = runtime;
    }

    @SuppressWarnings("unchecked")
    private static CoordinatorRuntime<TxnShard>[] newArray() {
        return (CoordinatorRuntime<TxnShard>[]) new CoordinatorRuntime<?>[1];
    }

    public TxnConfig config() {
        return config;
    }

    /** The {@code __transaction_state} partition of a transactional id (by the topic's real partition count). */
    public int partitionFor(String transactionalId) {
        int partitions = topics.byName(TOPIC)
                .map(TopicsView.TopicInfo::partitionCount)
                .filter(count -> count > 0)
                .orElse(config.stateLogPartitions());
        return (transactionalId.hashCode() & 0x7fffffff) % partitions;
    }

    public void becameLeader(int partition, int leaderEpoch) {
        runtime.becameLeader(partition, leaderEpoch);
    }

    public void resigned(int partition) {
        runtime.resigned(partition);
    }

    /** The answer to an InitProducerId, AddPartitionsToTxn-style call or EndTxn. */
    public record Result(Errors error, long producerId, short producerEpoch) {}

    public CompletableFuture<Result> initProducerId(
            String transactionalId, int timeoutMs, long producerId, short producerEpoch) {
        return init(transactionalId, timeoutMs, producerId, producerEpoch, -1);
    }

    private CompletableFuture<Result> init(
            String transactionalId, int timeoutMs, long producerId, short producerEpoch, long freshProducerId) {
        int partition = partitionFor(transactionalId);
        return runtime.call(
                        partition,
                        (shard, fx) -> shard.initProducerId(
                                transactionalId,
                                timeoutMs,
                                producerId,
                                producerEpoch,
                                freshProducerId,
                                clock.millis(),
                                fx))
                .thenCompose(outcome ->
                        answered(outcome, fresh -> init(transactionalId, timeoutMs, producerId, producerEpoch, fresh)));
    }

    /** A shard's outcome as the answer, or, when it needs a new producer id, {@code retry} with one allocated. */
    private CompletableFuture<Result> answered(
            TxnShard.InitOutcome outcome, java.util.function.Function<Long, CompletableFuture<Result>> retry) {
        return switch (outcome) {
            case TxnShard.Answer a ->
                CompletableFuture.completedFuture(new Result(a.error(), a.producerId(), a.epoch()));
            case TxnShard.NeedsProducerId n -> producerIds.get().thenCompose(retry);
        };
    }

    /** Adds partitions to the producer's transaction; {@code tv2} when a partition leader adds for the producer. */
    public CompletableFuture<Errors> addPartitions(
            String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions, boolean tv2) {
        return runtime.call(
                partitionFor(transactionalId),
                (shard, fx) -> shard.addPartitions(
                        transactionalId, producerId, producerEpoch, partitions, tv2, clock.millis(), fx));
    }

    public CompletableFuture<Map<TopicPartition, Errors>> verifyPartitions(
            String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions) {
        return runtime.call(
                partitionFor(transactionalId),
                (shard, fx) -> shard.verify(transactionalId, producerId, producerEpoch, partitions));
    }

    public CompletableFuture<Result> endTxn(
            String transactionalId, long producerId, short producerEpoch, boolean commit, boolean tv2) {
        return end(transactionalId, producerId, producerEpoch, commit, tv2, -1);
    }

    /** EndTxn; with transaction version 2 an exhausted epoch first takes a fresh producer id to rotate to. */
    private CompletableFuture<Result> end(
            String transactionalId,
            long producerId,
            short producerEpoch,
            boolean commit,
            boolean tv2,
            long freshProducerId) {
        return runtime.call(
                        partitionFor(transactionalId),
                        (shard, fx) -> shard.endTxn(
                                transactionalId,
                                producerId,
                                producerEpoch,
                                commit,
                                tv2,
                                freshProducerId,
                                clock.millis(),
                                fx))
                .thenCompose(outcome -> answered(
                        outcome, fresh -> end(transactionalId, producerId, producerEpoch, commit, tv2, fresh)));
    }

    /** A transactional id's state for DescribeTransactions; null when this coordinator does not know it. */
    public CompletableFuture<TxnMetadata> describe(String transactionalId) {
        return runtime.call(partitionFor(transactionalId), (shard, fx) -> shard.byId.get(transactionalId));
    }

    /** Transactions of every partition loaded here, filtered; {@code loading} says whether a partition still loads. */
    public record Listed(boolean loading, List<TxnMetadata> transactions) {}

    public CompletableFuture<Listed> list(Set<TxnState> states, Set<Long> producerIds, long minDurationMs) {
        return runtime.readAll((shards, loading) -> {
            List<TxnMetadata> out = new ArrayList<>();
            long now = clock.millis();
            shards.forEach(shard -> out.addAll(shard.list(states, producerIds, minDurationMs, now)));
            return new Listed(loading, out);
        });
    }

    @Override
    public void close() {
        runtime.close();
    }
}
