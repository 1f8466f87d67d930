package io.herald.storage.internal;

import io.herald.storage.AppendOrigin;
import io.herald.storage.LogAppendInfo;
import io.herald.storage.LogConfig;
import io.herald.storage.UnexpectedAppendOffsetException;
import java.io.IOException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The leader append path of one partition: validate, answer retried duplicates, assign offsets, check producer
 * sequences, roll when due, write, then commit producer state and leader epoch. Runs under the partition lock.
 */
public final class Appender {
    /** What an append did: the answer for the producer, and the offset a new segment started at (or -1). */
    public record Result(LogAppendInfo info, long rolledAtOffset) {}

    private final SegmentSet segments;
    private final ProducerStateManager producerState;
    private final LeaderEpochCache epochCache;
    private final TopicPartition topicPartition;

    public Appender(
            SegmentSet segments,
            ProducerStateManager producerState,
            LeaderEpochCache epochCache,
            TopicPartition topicPartition) {
        this.topicPartition = topicPartition;
        this.segments = segments;
        this.producerState = producerState;
        this.epochCache = epochCache;
    }

    /**
     * Appends batches copied from the leader as they are: offsets, timestamps and epochs are kept; only structure, CRC
     * and offset order are checked, and producer state and leader epochs follow the batches.
     */
    public Result appendAsFollower(MemoryRecords records, LogConfig cfg, long nowMs, long logStartOffset)
            throws IOException {
        LogSegment active = segments.active();
        long expectedNext = active.nextOffset();
        int count = 0;
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        long firstOffset = -1;
        long lastOffset = -1;
        int wholeBytes = 0;
        ProducerStateManager.Update update = producerState.startUpdate();
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                throw new InvalidRecordException("only record batch format v2 is accepted, got magic " + batch.magic());
            }
            if (batch.sizeInBytes() > cfg.maxMessageBytes()) {
                throw new RecordTooLargeException("replicated batch of " + batch.sizeInBytes()
                        + " bytes exceeds max.message.bytes " + cfg.maxMessageBytes());
            }
            batch.ensureValid();
            if (batch.baseOffset() < expectedNext || batch.lastOffset() < batch.baseOffset()) {
                throw new UnexpectedAppendOffsetException(
                        "replicated batch " + batch.baseOffset() + ".." + batch.lastOffset() + " does not follow "
                                + expectedNext,
                        batch.baseOffset(),
                        active.nextOffset());
            }
            if (firstOffset < 0) {
                firstOffset = batch.baseOffset();
            }
            lastOffset = batch.lastOffset();
            expectedNext = batch.nextOffset();
            count += batch.countOrNull() == null ? 0 : batch.countOrNull();
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
            wholeBytes += batch.sizeInBytes();
            if (batch.hasProducerId()) {
                update.replay(batch);
            }
        }
        if (wholeBytes != records.sizeInBytes()) {
            throw new CorruptRecordException("replicated records end with a truncated batch");
        }
        if (firstOffset < 0) {
            return new Result(new LogAppendInfo(-1, -1, -1, logStartOffset, 0, false), -1);
        }
        long rolledAt = -1;
        if (active.shouldRoll(cfg.segmentBytes(), cfg.segmentMs(), wholeBytes, maxTimestamp, lastOffset, nowMs)
                || firstOffset - active.baseOffset() > Integer.MAX_VALUE) {
            rolledAt = roll(cfg, nowMs);
            active = segments.active();
        }
        active.append(records);
        update.commit();
        ProducerStateManager.indexAborted(segments.map(), update.completedTxns());
        for (MutableRecordBatch batch : records.batches()) {
            epochCache.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
        }
        return new Result(new LogAppendInfo(firstOffset, lastOffset, -1, logStartOffset, count, false), rolledAt);
    }

    public Result append(
            MemoryRecords records, int leaderEpoch, AppendOrigin origin, LogConfig cfg, long nowMs, long logStartOffset)
            throws IOException {
        if (records == null) {
            // Produce's records field is nullable on the wire; a partition without a batch is the client's mistake.
            throw new InvalidRecordException("a produce partition must carry a record batch, not null records");
        }
        LogValidator.Validated validated = LogValidator.validate(records, cfg, origin, nowMs, topicPartition);
        if (validated.batches().size() == 1) {
            RecordBatch only = validated.batches().get(0);
            if (only.hasProducerId() && !only.isControlBatch()) {
                ProducerStateManager.BatchMetadata dup = producerState.findDuplicate(only);
                if (dup != null) {
                    LogAppendInfo info = new LogAppendInfo(
                            dup.firstOffset(), dup.lastOffset(), -1, logStartOffset, validated.recordCount(), true);
                    return new Result(info, -1);
                }
            }
        }
        LogSegment active = segments.active();
        LogValidator.Assigned assigned =
                LogValidator.assignOffsets(validated, cfg, active.nextOffset(), nowMs, leaderEpoch);
        int sizeBytes = assigned.records().sizeInBytes();
        if (sizeBytes > cfg.segmentBytes()) {
            throw new RecordBatchTooLargeException(
                    "batches of " + sizeBytes + " bytes do not fit in a segment of " + cfg.segmentBytes() + " bytes");
        }
        ProducerStateManager.Update update = producerState.startUpdate();
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        for (MutableRecordBatch batch : assigned.records().batches()) {
            if (batch.hasProducerId()) {
                update.append(batch);
            }
            maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
        }
        long rolledAt = -1;
        if (active.shouldRoll(
                cfg.segmentBytes(), cfg.segmentMs(), sizeBytes, maxTimestamp, assigned.lastOffset(), nowMs)) {
            rolledAt = roll(cfg, nowMs);
            active = segments.active();
        }
        active.append(assigned.records());
        update.commit();
        ProducerStateManager.indexAborted(segments.map(), update.completedTxns());
        if (leaderEpoch >= 0) {
            epochCache.assign(leaderEpoch, assigned.firstOffset());
        }
        LogAppendInfo info = new LogAppendInfo(
                assigned.firstOffset(),
                assigned.lastOffset(),
                assigned.logAppendTimeMs(),
                logStartOffset,
                assigned.recordCount(),
                false);
        return new Result(info, rolledAt);
    }

    /**
     * Starts a new, empty active segment at the log end and returns its base offset. The producer-state snapshot taken
     * first holds exactly the batches below the new segment, so replays start at its base. Neither the snapshot nor
     * the sealed segment is forced to disk here: the caller schedules that off the append path.
     */
    public long roll(LogConfig cfg, long nowMs) throws IOException {
        long rolledAt = segments.active().nextOffset();
        producerState.takeSnapshot(rolledAt, false);
        segments.roll(cfg, nowMs);
        return rolledAt;
    }
}
