package io.herald.coordinator;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A coordinator's access to the internal-topic partitions this broker leads (the broker implements it). */
public interface PartitionStore {
    /** Appends records to the partition's leader log; throws if this broker cannot. */
    void append(int partition, List<GroupRecord> records);

    /**
     * Completes once everything appended to the partition so far is replicated to its in-sync replicas (the high
     * watermark passed it), so a coordinator answers only for writes a failover keeps. Fails with
     * {@link org.apache.kafka.common.errors.NotCoordinatorException} when the leadership is lost meanwhile and with
     * {@link org.apache.kafka.common.errors.CoordinatorNotAvailableException} when the replicas do not catch up in time.
     */
    default CompletionStage<Void> replicated(int partition) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Appends records as one producer's transactional batch (TxnOffsetCommit): they count only once a commit marker
     * for the producer follows them in the partition.
     */
    default void appendTransactional(int partition, List<GroupRecord> records, long producerId, short producerEpoch) {
        throw new UnsupportedOperationException("transactional writes are not supported here");
    }

    /** Reads every record of the partition, oldest first (transactional records as if committed). */
    void replay(int partition, Consumer<GroupRecord> sink);

    /** What a replay sees, with transactions: records with their producer (-1 if not transactional), and markers. */
    interface ReplaySink {
        void record(GroupRecord record, long producerId);

        void marker(long producerId, boolean commit);
    }

    /** Reads every record and transaction marker of the partition, oldest first. */
    default void replay(int partition, ReplaySink sink) {
        replay(partition, record -> sink.record(record, -1));
    }
}
