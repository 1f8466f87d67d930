package io.herald.broker;

import io.herald.coordinator.GroupRecord;
import io.herald.coordinator.PartitionStore;
import io.herald.storage.ActiveProducer;
import io.herald.storage.AppendOrigin;
import io.herald.storage.FetchDataInfo;
import io.herald.storage.PartitionLog;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * A coordinator's internal topic as its {@link PartitionStore}: writes go to the partitions this broker leads (as
 * leader appends), replays read a partition from its log start to its end, control batches included.
 */
final class CoordinatorLog implements PartitionStore {
    private static final int MAX_RECORDS_PER_BATCH = 500;
    private static final int REPLAY_READ_BYTES = 1 << 20;
    /** Kafka's {@code offsets.commit.timeout.ms} default: how long a coordinator write may wait for the ISR. */
    private static final long REPLICATION_TIMEOUT_MS = 5_000;

    private final String topic;
    private final ReplicaManager replicas;

    CoordinatorLog(String topic, ReplicaManager replicas) {
        this.topic = topic;
        this.replicas = replicas;
    }

    private Partition leader(int partition) {
        try {
            return replicas.leaderPartition(new TopicPartition(topic, partition));
        } catch (RuntimeException e) {
            throw new NotCoordinatorException("Lost the leadership of " + topic + "-" + partition);
        }
    }

    @Override
    public void append(int partition, List<GroupRecord> records) {
        Partition target = leader(partition);
        long nowMs = System.currentTimeMillis();
        for (int from = 0; from < records.size(); from += MAX_RECORDS_PER_BATCH) {
            List<GroupRecord> slice = records.subList(from, Math.min(records.size(), from + MAX_RECORDS_PER_BATCH));
            replicas.appendAsLeader(
                    target,
                    MemoryRecords.withRecords(Compression.NONE, simple(slice, nowMs)),
                    AppendOrigin.COORDINATOR,
                    0);
        }
    }

    /**
     * Kafka's mapping of a coordinator write's replication outcome: a lost leadership is NOT_COORDINATOR, replicas
     * that did not catch up within {@code offsets.commit.timeout.ms} COORDINATOR_NOT_AVAILABLE (the client retries).
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND still means the high watermark passed the write: it is kept.
     */
    @Override
    public CompletionStage<Void> replicated(int partition) {
        Partition target = leader(partition);
        long end = target.log().logEndOffset();
        if (target.log().highWatermark() >= end) {
            return CompletableFuture.completedFuture(null);
        }
        int minIsr = Math.min(
                replicas.minInsyncReplicas(topic),
                target.registration().replicas().size());
        return replicas.awaitHighWatermark(target, end, minIsr, REPLICATION_TIMEOUT_MS)
                .thenApply(error -> switch (error) {
                    case NONE, NOT_ENOUGH_REPLICAS_AFTER_APPEND -> null;
                    case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR ->
                        throw new NotCoordinatorException("Lost the leadership of " + topic + "-" + partition);
                    default ->
                        throw new CoordinatorNotAvailableException(
                                topic + "-" + partition + " was not replicated in time: " + error.name());
                });
    }

    @Override
    public void appendTransactional(int partition, List<GroupRecord> records, long producerId, short producerEpoch) {
        Partition target = leader(partition);
        // The log checks the producer's sequence like any producer's: continue it (a new epoch starts at 0).
        int sequence = 0;
        for (ActiveProducer p : target.log().activeProducers()) {
            if (p.producerId() == producerId && p.producerEpoch() == producerEpoch && p.lastSequence() >= 0) {
                sequence = p.lastSequence() == Integer.MAX_VALUE ? 0 : p.lastSequence() + 1;
            }
        }
        MemoryRecords batch = MemoryRecords.withTransactionalRecords(
                Compression.NONE, producerId, producerEpoch, sequence, simple(records, System.currentTimeMillis()));
        replicas.appendAsLeader(target, batch, AppendOrigin.COORDINATOR, 0);
    }

    private static SimpleRecord[] simple(List<GroupRecord> records, long nowMs) {
        SimpleRecord[] batch = new SimpleRecord[records.size()];
        for (int i = 0; i < records.size(); i++) {
            batch[i] =
                    new SimpleRecord(nowMs, records.get(i).key(), records.get(i).value());
        }
        return batch;
    }

    @Override
    public void replay(int partition, Consumer<GroupRecord> sink) {
        replay(partition, new ReplaySink() {
            @Override
            public void record(GroupRecord record, long producerId) {
                sink.accept(record);
            }

            @Override
            public void marker(long producerId, boolean commit) {}
        });
    }

    @Override
    public void replay(int partition, ReplaySink sink) {
        PartitionLog log = replicas.leaderLog(topic, partition)
                .orElseThrow(() -> new IllegalStateException(topic + "-" + partition + " is not hosted here"));
        long offset = log.logStartOffset();
        long endOffset = log.logEndOffset();
        while (offset < endOffset) {
            FetchDataInfo info = log.read(offset, REPLAY_READ_BYTES, endOffset, true);
            long before = offset;
            for (RecordBatch batch : info.records().batches()) {
                if (batch.isControlBatch()) {
                    for (Record record : batch) {
                        ControlRecordType type = ControlRecordType.parse(record.key());
                        if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                            sink.marker(batch.producerId(), type == ControlRecordType.COMMIT);
                        }
                    }
                } else {
                    long producerId = batch.isTransactional() ? batch.producerId() : -1;
                    for (Record record : batch) {
                        if (record.offset() >= offset && record.hasKey()) {
                            sink.record(
                                    new GroupRecord(
                                            bytes(record.key()), record.hasValue() ? bytes(record.value()) : null),
                                    producerId);
                        }
                    }
                }
                offset = batch.nextOffset();
            }
            if (offset == before) {
                break;
            }
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }
}
