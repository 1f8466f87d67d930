package io.herald.storage.internal;

import io.herald.storage.AppendOrigin;
import io.herald.storage.LogConfig;
import io.herald.storage.RecordValidationException;
import io.herald.storage.RecordValidationException.RecordError;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/**
 * Validates produced batches (magic, CRC, sizes, offset ranges, counts, timestamps) and assigns offsets by patching
 * the batch headers in place; re-encodes a batch only when the topic's compression.type demands another codec.
 */
public final class LogValidator {
    private LogValidator() {}

    /** What validation learnt about the incoming batches, in order. */
    public record Validated(
            MemoryRecords records, List<MutableRecordBatch> batches, long[] maxTimestamps, int recordCount) {}

    /** The batches ready to be written, with offsets and timestamps assigned. */
    public record Assigned(
            MemoryRecords records, long firstOffset, long lastOffset, long logAppendTimeMs, int recordCount) {}

    public static Validated validate(
            MemoryRecords records, LogConfig config, AppendOrigin origin, long nowMs, TopicPartition partition) {
        List<MutableRecordBatch> batches = new ArrayList<>();
        long totalBytes = 0;
        int recordCount = 0;
        for (MutableRecordBatch batch : records.batches()) {
            batches.add(batch);
            totalBytes += batch.sizeInBytes();
        }
        if (totalBytes != records.sizeInBytes()) {
            throw new CorruptRecordException("records end with a truncated batch: " + totalBytes + " of "
                    + records.sizeInBytes() + " bytes are whole batches");
        }
        if (batches.isEmpty()) {
            throw new InvalidRecordException("produce request carries no record batch");
        }
        long[] maxTimestamps = new long[batches.size()];
        RecordErrors recordErrors = new RecordErrors();
        for (int i = 0; i < batches.size(); i++) {
            MutableRecordBatch batch = batches.get(i);
            validateHeader(batch, config, origin);
            maxTimestamps[i] = validateRecords(batch, config, nowMs, recordCount, recordErrors, partition);
            recordCount += batch.countOrNull();
        }
        recordErrors.throwIfAny();
        return new Validated(records, batches, maxTimestamps, recordCount);
    }

    /**
     * Errors that concern single records (a missing key on a compacted topic, a timestamp out of range): every record
     * is checked, so the answer names each refused record by its index, as KIP-467 has Kafka do.
     */
    private static final class RecordErrors {
        private final List<RecordError> errors = new ArrayList<>();
        private boolean timestamp;

        void add(int index, String message, boolean timestampError) {
            errors.add(new RecordError(index, message));
            timestamp |= timestampError;
        }

        void throwIfAny() {
            if (errors.isEmpty()) {
                return;
            }
            if (timestamp) {
                throw new RecordValidationException(
                        new InvalidTimestampException(
                                "One or more records have been rejected due to invalid timestamp"),
                        errors);
            }
            String firstThree = String.join(
                    ", ",
                    errors.stream()
                            .limit(3)
                            .map(e -> "RecordError(batchIndex=" + e.batchIndex() + ", message='" + e.message() + "')")
                            .toList());
            throw new RecordValidationException(
                    new InvalidRecordException("One or more records have been rejected due to " + errors.size()
                            + " record errors in total, and only showing the first three errors at most: ["
                            + firstThree + "]"),
                    errors);
        }
    }

    private static void validateHeader(MutableRecordBatch batch, LogConfig config, AppendOrigin origin) {
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            throw new InvalidRecordException("only record batch format v2 is accepted, got magic " + batch.magic());
        }
        if (batch.sizeInBytes() > config.maxMessageBytes()) {
            throw new RecordTooLargeException(
                    "batch of " + batch.sizeInBytes() + " bytes exceeds max.message.bytes " + config.maxMessageBytes());
        }
        batch.ensureValid();
        Integer count = batch.countOrNull();
        long countFromOffsets = batch.lastOffset() - batch.baseOffset() + 1;
        if (count == null || count <= 0 || count > batch.sizeInBytes() || countFromOffsets != count) {
            throw new InvalidRecordException("batch reports " + count + " records over offset range "
                    + batch.baseOffset() + ".." + batch.lastOffset());
        }
        if (batch.isControlBatch() && origin == AppendOrigin.CLIENT) {
            throw new InvalidRecordException("clients may not write control batches");
        }
        if (batch.isControlBatch() && (count != 1 || !batch.isTransactional())) {
            throw new InvalidRecordException("a control batch must be transactional and hold exactly one record");
        }
        if (batch.isTransactional() && !batch.hasProducerId()) {
            throw new InvalidRecordException("transactional batch without producer id");
        }
    }

    /** Checks inner offsets and timestamps; returns the batch's max record timestamp. */
    private static long validateRecords(
            MutableRecordBatch batch,
            LogConfig config,
            long nowMs,
            int firstIndex,
            RecordErrors errors,
            TopicPartition partition) {
        boolean checkTimestamps = config.messageTimestampType() == TimestampType.CREATE_TIME;
        // Compaction keeps the latest record per key, so a compacted topic cannot take keyless records.
        boolean requireKeys = config.cleanupPolicy().contains("compact") && !batch.isControlBatch();
        long expectedOffset = batch.baseOffset();
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        for (Record record : batch) {
            if (record.offset() != expectedOffset) {
                throw new InvalidRecordException(
                        "record offset " + record.offset() + " where " + expectedOffset + " was expected");
            }
            int inBatch = (int) (record.offset() - batch.baseOffset());
            expectedOffset++;
            if (requireKeys && !record.hasKey()) {
                errors.add(
                        firstIndex + inBatch,
                        "Compacted topic cannot accept message without key in topic partition " + partition + ".",
                        false);
            }
            long ts = record.timestamp();
            // As in Kafka, a record without a timestamp (-1) is not checked against the window.
            if (checkTimestamps && !batch.isControlBatch() && ts != RecordBatch.NO_TIMESTAMP) {
                if (ts < 0 || nowMs - ts > config.timestampBeforeMaxMs() || ts - nowMs > config.timestampAfterMaxMs()) {
                    // Kafka's wording: the record's index in its batch, and the window the broker accepts.
                    errors.add(
                            firstIndex + inBatch,
                            "Timestamp " + ts + " of message with offset " + inBatch
                                    + " is out of range. The timestamp should be within ["
                                    + (nowMs - config.timestampBeforeMaxMs()) + ", "
                                    + (nowMs + config.timestampAfterMaxMs()) + "]",
                            true);
                }
            }
            maxTimestamp = Math.max(maxTimestamp, ts);
        }
        if (expectedOffset != batch.lastOffset() + 1) {
            throw new InvalidRecordException("batch holds " + (expectedOffset - batch.baseOffset())
                    + " records but reports " + batch.countOrNull());
        }
        return maxTimestamp;
    }

    /** Assigns offsets from {@code nextOffset}; recompresses only batches whose codec differs from the topic's. */
    public static Assigned assignOffsets(Validated v, LogConfig config, long nextOffset, long nowMs, int leaderEpoch) {
        Optional<CompressionType> target = config.compressionType().targetCodec();
        boolean logAppendTime = config.messageTimestampType() == TimestampType.LOG_APPEND_TIME;
        boolean anyRecompress = false;
        for (MutableRecordBatch batch : v.batches()) {
            anyRecompress |= needsRecompression(batch, target);
        }
        List<ByteBuffer> rebuilt = new ArrayList<>();
        long offset = nextOffset;
        for (int i = 0; i < v.batches().size(); i++) {
            MutableRecordBatch batch = v.batches().get(i);
            if (needsRecompression(batch, target)) {
                ByteBuffer out = recompress(batch, target.orElseThrow(), config, offset, nowMs, leaderEpoch);
                if (out.remaining() > config.maxMessageBytes()) {
                    throw new RecordTooLargeException("recompressed batch of " + out.remaining()
                            + " bytes exceeds max.message.bytes " + config.maxMessageBytes());
                }
                rebuilt.add(out);
            } else {
                patchInPlace(batch, offset, logAppendTime, nowMs, v.maxTimestamps()[i], leaderEpoch);
                if (anyRecompress) {
                    ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
                    batch.writeTo(copy);
                    rebuilt.add(copy.flip());
                }
            }
            offset += batch.lastOffset() - batch.baseOffset() + 1;
        }
        MemoryRecords result = v.records();
        if (anyRecompress) {
            int size = rebuilt.stream().mapToInt(ByteBuffer::remaining).sum();
            ByteBuffer all = ByteBuffer.allocate(size);
            rebuilt.forEach(all::put);
            result = MemoryRecords.readableRecords(all.flip());
        }
        return new Assigned(
                result, nextOffset, offset - 1, logAppendTime ? nowMs : RecordBatch.NO_TIMESTAMP, v.recordCount());
    }

    private static boolean needsRecompression(RecordBatch batch, Optional<CompressionType> target) {
        return target.isPresent() && target.get() != batch.compressionType() && !batch.isControlBatch();
    }

    private static void patchInPlace(
            MutableRecordBatch batch, long baseOffset, boolean logAppendTime, long nowMs, long maxTs, int leaderEpoch) {
        batch.setLastOffset(baseOffset + (batch.lastOffset() - batch.baseOffset()));
        if (logAppendTime) {
            batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
        } else if (batch.maxTimestamp() != maxTs || batch.timestampType() != TimestampType.CREATE_TIME) {
            batch.setMaxTimestamp(TimestampType.CREATE_TIME, maxTs);
        }
        batch.setPartitionLeaderEpoch(leaderEpoch);
    }

    /** Re-encodes one batch with {@code codec}, keeping records, timestamps, headers and producer fields. */
    private static ByteBuffer recompress(
            MutableRecordBatch batch, CompressionType codec, LogConfig config, long baseOffset, long nowMs, int epoch) {
        boolean logAppendTime = config.messageTimestampType() == TimestampType.LOG_APPEND_TIME;
        MemoryRecordsBuilder builder = new MemoryRecordsBuilder(
                ByteBuffer.allocate(Math.max(256, batch.sizeInBytes())),
                RecordBatch.MAGIC_VALUE_V2,
                config.compressionLevels().compression(codec),
                logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                baseOffset,
                logAppendTime ? nowMs : RecordBatch.NO_TIMESTAMP,
                batch.producerId(),
                batch.producerEpoch(),
                batch.baseSequence(),
                batch.isTransactional(),
                false,
                epoch,
                Integer.MAX_VALUE);
        long offset = baseOffset;
        for (Record r : batch) {
            builder.appendWithOffset(offset++, r.timestamp(), r.key(), r.value(), r.headers());
        }
        return builder.build().buffer();
    }
}
