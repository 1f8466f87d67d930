package io.herald.storage.internal;

import io.herald.storage.AppendOrigin;
import io.herald.storage.LogAppendInfo;
import io.herald.storage.LogConfig;
import java.io.IOException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
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

    public Appender(SegmentSet segments, ProducerStateManager producerState, LeaderEpochCache epochCache) {
        this.segments = segments;
        this.producerState = producerState;
        this.epochCache = epochCache;
    }

    public Result append(
            MemoryRecords records, int leaderEpoch, AppendOrigin origin, LogConfig cfg, long nowMs, long logStartOffset)
            throws IOException {
        LogValidator.Validated validated = LogValidator.validate(records, cfg, origin, nowMs);
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
            rolledAt = active.nextOffset();
            // The snapshot holds exactly the batches below the new segment, so replays start at its base.
            producerState.takeSnapshot(rolledAt);
            active = segments.roll(cfg, nowMs);
        }
        active.append(assigned.records());
        update.commit();
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
}
