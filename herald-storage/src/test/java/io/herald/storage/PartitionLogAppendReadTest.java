package io.herald.storage;

import static io.herald.storage.TestRecords.batch;
import static io.herald.storage.TestRecords.offsets;
import static io.herald.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Append and read paths of one partition log: codecs, offset assignment, rolls, read bounds and validation errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PartitionLogAppendReadTest {
    @TempDir
    Path tmp;

    LogFixture fx;
    PartitionLog log;

    @BeforeEach
    void setUp() {
        fx = new LogFixture(tmp);
    }

    @AfterEach
    void tearDown() {
        if (log != null) {
            log.close();
        }
    }

    private long now() {
        return fx.clock.millis();
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionType.class,
            names = {"NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void roundTripKeepsCodecAndAssignsOffsets(CompressionType codec) {
        log = fx.open(LogFixture.config());
        LogAppendInfo first = log.append(batch(codec, now(), "a", 3), 0);
        LogAppendInfo second = log.append(batch(codec, now(), "b", 2), 0);

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(first.recordCount()).isEqualTo(3);
        assertThat(first.logAppendTimeMs()).isEqualTo(-1);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(4);
        assertThat(log.logEndOffset()).isEqualTo(5);

        FetchDataInfo read = log.read(0, Integer.MAX_VALUE, log.logEndOffset(), false);
        assertThat(read.records()).isInstanceOf(FileRecords.class);
        assertThat(values(read.records())).containsExactly("a-0", "a-1", "a-2", "b-0", "b-1");
        assertThat(offsets(read.records())).containsExactly(0L, 1L, 2L, 3L, 4L);
        for (RecordBatch b : read.records().batches()) {
            assertThat(b.compressionType()).isEqualTo(codec);
            assertThat(b.partitionLeaderEpoch()).isZero();
            b.ensureValid();
        }
    }

    @Test
    void readReportsOffsetsAtReadTime() {
        log = fx.open(LogFixture.config());
        log.append(batch(now(), "a", 2), 0);
        log.updateHighWatermark(1);
        FetchDataInfo read = log.read(0, 1000, log.logEndOffset(), false);
        assertThat(read.logStartOffset()).isZero();
        assertThat(read.highWatermark()).isEqualTo(1);
        assertThat(read.logEndOffset()).isEqualTo(2);
    }

    @Test
    void topicCodecRecompressesAndUncompressedDecompresses() {
        log = fx.open(withConfig(Map.of("compression.type", "zstd")));
        log.append(batch(CompressionType.GZIP, now(), "z", 4), 0);
        log.updateConfig(withConfig(Map.of("compression.type", "uncompressed")));
        log.append(batch(CompressionType.LZ4, now(), "u", 2), 0);
        log.updateConfig(withConfig(Map.of("compression.type", "producer")));
        log.append(batch(CompressionType.SNAPPY, now(), "p", 1), 0);

        FetchDataInfo read = log.read(0, Integer.MAX_VALUE, log.logEndOffset(), false);
        List<CompressionType> codecs = new ArrayList<>();
        read.records().batches().forEach(b -> codecs.add(b.compressionType()));
        assertThat(codecs).containsExactly(CompressionType.ZSTD, CompressionType.NONE, CompressionType.SNAPPY);
        assertThat(values(read.records())).containsExactly("z-0", "z-1", "z-2", "z-3", "u-0", "u-1", "p-0");
        assertThat(offsets(read.records())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void recompressionKeepsProducerFieldsHeadersAndTimestamps() {
        log = fx.open(withConfig(Map.of("compression.type", "gzip")));
        MemoryRecords in = MemoryRecords.withIdempotentRecords(
                Compression.NONE, 7L, (short) 2, 0, TestRecords.record(now() - 5, "key", "value"));
        log.append(in, 3);
        RecordBatch stored =
                log.read(0, 10_000, 1, false).records().batches().iterator().next();
        assertThat(stored.compressionType()).isEqualTo(CompressionType.GZIP);
        assertThat(stored.producerId()).isEqualTo(7L);
        assertThat(stored.producerEpoch()).isEqualTo((short) 2);
        assertThat(stored.baseSequence()).isZero();
        assertThat(stored.partitionLeaderEpoch()).isEqualTo(3);
        var record = stored.iterator().next();
        assertThat(record.timestamp()).isEqualTo(now() - 5);
        assertThat(record.headers()).hasSize(1);
        assertThat(record.hasKey()).isTrue();
    }

    @Test
    void logAppendTimeOverridesTimestamps() {
        log = fx.open(withConfig(Map.of("message.timestamp.type", "LogAppendTime")));
        LogAppendInfo info = log.append(batch(1L, "old", 2), 0); // ancient timestamp is fine under LogAppendTime
        assertThat(info.logAppendTimeMs()).isEqualTo(now());
        RecordBatch stored =
                log.read(0, 10_000, 2, false).records().batches().iterator().next();
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(now());
        stored.ensureValid();
    }

    @Test
    void rollsBySegmentBytesAndReadsAcrossSegments() {
        log = fx.open(LogFixture.withSegmentBytes(300));
        for (int i = 0; i < 10; i++) {
            log.append(batch(now(), "r" + i, 2), 0);
        }
        assertThat(log.numberOfSegments()).isGreaterThan(3);
        assertThat(log.segmentBaseOffsets().get(1)).isPositive();
        List<String> all = readAll(0);
        assertThat(all).hasSize(20).startsWith("r0-0", "r0-1").endsWith("r9-0", "r9-1");
        // From the middle of a segment: starts at the batch containing the offset.
        long base = log.segmentBaseOffsets().get(1);
        assertThat(offsets(log.read(base + 1, Integer.MAX_VALUE, 20, false).records()))
                .first()
                .isEqualTo(base);
    }

    @Test
    void rollsWhenIndexIsFull() {
        LogConfig small = withConfig(Map.of("segment.index.bytes", "24", "index.interval.bytes", "1"));
        log = fx.open(small);
        for (int i = 0; i < 12; i++) {
            log.append(batch(now(), "i" + i, 1), 0);
        }
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        assertThat(readAll(0)).hasSize(12);
        for (long off = 0; off < 12; off++) {
            assertThat(offsets(log.read(off, 1, 12, true).records())).containsExactly(off);
        }
    }

    @Test
    void rollsBySegmentMs() {
        log = fx.open(withConfig(Map.of("segment.ms", "1000")));
        log.append(batch(now(), "a", 1), 0);
        fx.clock.advanceMs(1001);
        log.append(batch(now(), "b", 1), 0);
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 1L);
    }

    @Test
    void compactedTopicRejectsKeylessRecords() {
        log = fx.open(withConfig(Map.of("cleanup.policy", "compact")));
        assertThatThrownBy(() -> log.append(TestRecords.withTimestamps(now(), now()), 0))
                .isInstanceOf(RecordValidationException.class)
                .hasCauseInstanceOf(InvalidRecordException.class)
                .satisfies(e -> assertThat(((RecordValidationException) e).recordErrors())
                        .extracting(RecordValidationException.RecordError::batchIndex)
                        .containsExactly(0, 1));
        assertThat(log.append(batch(now(), "keyed", 2), 0).lastOffset()).isEqualTo(1);
    }

    @Test
    void batchLargerThanASegmentIsRejected() {
        log = fx.open(LogFixture.withSegmentBytes(100));
        assertThatThrownBy(() -> log.append(batch(now(), "y".repeat(200), 1), 0))
                .isInstanceOf(org.apache.kafka.common.errors.RecordBatchTooLargeException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void minOneBatchReturnsFirstBatchEvenIfLargerThanMaxBytes() {
        log = fx.open(LogFixture.config());
        log.append(batch(now(), "big", 20), 0);
        log.append(batch(now(), "next", 1), 0);
        assertThat(log.read(0, 10, 21, false).records().sizeInBytes()).isZero();
        FetchDataInfo one = log.read(0, 10, 21, true);
        assertThat(values(one.records())).hasSize(20);
    }

    @Test
    void maxBytesReturnsOnlyWholeBatches() {
        log = fx.open(LogFixture.config());
        log.append(batch(now(), "a", 1), 0);
        int batchSize = log.read(0, 100_000, 1, false).records().sizeInBytes();
        log.append(batch(now(), "b", 1), 0);
        log.append(batch(now(), "c", 1), 0);
        assertThat(values(log.read(0, batchSize * 2 + 5, 3, false).records())).containsExactly("a-0", "b-0");
    }

    @Test
    void readStopsAtMaxOffsetAndOutOfRange() {
        log = fx.open(LogFixture.config());
        log.append(batch(now(), "a", 2), 0);
        log.append(batch(now(), "b", 2), 0);
        assertThat(values(log.read(0, 100_000, 2, false).records())).containsExactly("a-0", "a-1");
        assertThat(log.read(2, 100_000, 2, false).records().sizeInBytes()).isZero();
        assertThat(log.read(4, 100_000, 4, false).records().sizeInBytes()).isZero();
        assertThatThrownBy(() -> log.read(5, 100, 4, false)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.read(-1, 100, 4, false)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void rejectsTooLargeBadTimestampCorruptAndOldMagic() {
        log = fx.open(withConfig(Map.of("max.message.bytes", "200")));
        assertThatThrownBy(() -> log.append(batch(now(), "x".repeat(300), 1), 0))
                .isInstanceOf(RecordTooLargeException.class);
        assertThatThrownBy(() -> log.append(batch(now() + 3_600_001L, "future", 1), 0))
                .isInstanceOf(RecordValidationException.class)
                .satisfies(e -> assertThat(((RecordValidationException) e).error())
                        .isInstanceOf(InvalidTimestampException.class))
                .satisfies(e -> assertThat(((RecordValidationException) e).recordErrors())
                        .extracting(RecordValidationException.RecordError::batchIndex)
                        .containsExactly(0));
        log.updateConfig(withConfig(Map.of("message.timestamp.before.max.ms", "1000")));
        assertThatThrownBy(() -> log.append(batch(now() - 1001, "past", 1), 0))
                .isInstanceOf(RecordValidationException.class)
                .hasCauseInstanceOf(InvalidTimestampException.class);

        MemoryRecords corrupt = batch(now(), "c", 2);
        corrupt.buffer().put(corrupt.sizeInBytes() - 1, (byte) 0x7f);
        assertThatThrownBy(() -> log.append(corrupt, 0)).isInstanceOf(CorruptRecordException.class);

        MemoryRecords v1 = MemoryRecords.withRecords(
                RecordBatch.MAGIC_VALUE_V1, Compression.NONE, new SimpleRecord(now(), "v".getBytes()));
        assertThatThrownBy(() -> log.append(v1, 0)).isInstanceOf(InvalidRecordException.class);

        MemoryRecords whole = batch(now(), "t", 2);
        MemoryRecords torn = MemoryRecords.readableRecords(
                whole.buffer().duplicate().limit(whole.sizeInBytes() - 3).slice());
        assertThatThrownBy(() -> log.append(torn, 0)).isInstanceOf(CorruptRecordException.class);
        assertThat(log.logEndOffset()).isZero();
    }

    /** Reads everything from {@code from} the way a consumer does: one segment per read, until the end. */
    private List<String> readAll(long from) {
        List<String> out = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.read(next, Integer.MAX_VALUE, log.logEndOffset(), true);
            List<Long> offs = offsets(info.records());
            assertThat(offs).isNotEmpty();
            out.addAll(values(info.records()));
            next = offs.get(offs.size() - 1) + 1;
        }
        return out;
    }

    static LogConfig withConfig(Map<String, String> overrides) {
        return LogConfig.fromProperties(overrides, LogConfig.DEFAULTS);
    }
}
