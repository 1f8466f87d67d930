package io.herald.storage;

import static io.herald.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Retention by time and size, DeleteRecords and truncation, with delayed file deletion under a manual clock. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetentionTest {
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
        log.close();
    }

    private LogConfig config(String... kv) {
        java.util.Map<String, String> m = new java.util.HashMap<>(Map.of("internal.segment.bytes", "300"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return LogConfig.fromProperties(m, LogConfig.DEFAULTS);
    }

    private void appendBatches(int n) {
        for (int i = 0; i < n; i++) {
            log.append(batch(fx.clock.millis(), "r" + i, 2), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    private long countFiles(String suffix) {
        File[] files = fx.dir.listFiles((d, n) -> n.endsWith(suffix));
        return files == null ? 0 : files.length;
    }

    @Test
    void timeRetentionDeletesEveryExpiredSegmentRollingANewActiveOne() {
        log = fx.open(config("retention.ms", "60000", "file.delete.delay.ms", "1000"));
        appendBatches(10);
        int segmentsBefore = log.numberOfSegments();
        long endBefore = log.logEndOffset();
        assertThat(segmentsBefore).isGreaterThan(2);
        assertThat(log.deleteOldSegments()).isZero();

        // Everything is expired, the active segment too: as in Kafka, a new empty segment at the log end takes over.
        fx.clock.advanceMs(60_001);
        assertThat(log.deleteOldSegments()).isEqualTo(segmentsBefore);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(log.logStartOffset()).isEqualTo(endBefore);
        assertThat(log.logEndOffset()).isEqualTo(endBefore);
        assertThat(log.segmentBaseOffsets()).containsExactly(endBefore);
        assertThatThrownBy(() -> log.read(0, 100, log.logEndOffset(), false))
                .isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.deleteOldSegments()).isZero(); // the empty active segment stays

        // Files are renamed at once and removed only after file.delete.delay.ms.
        assertThat(countFiles(".log.deleted")).isEqualTo(segmentsBefore);
        fx.scheduler.runDue();
        assertThat(countFiles(".log.deleted")).isEqualTo(segmentsBefore);
        fx.clock.advanceMs(1000);
        fx.scheduler.runDue();
        assertThat(countFiles(".deleted")).isZero();
        assertThat(countFiles(".log")).isEqualTo(1);

        // The log goes on from where it was.
        appendBatches(1);
        assertThat(log.logStartOffset()).isEqualTo(endBefore);
        assertThat(log.logEndOffset()).isGreaterThan(endBefore);
    }

    @Test
    void sizeRetentionKeepsLogUnderRetentionBytes() {
        log = fx.open(config("retention.bytes", "500"));
        appendBatches(10);
        long sizeBefore = log.sizeInBytes();
        assertThat(sizeBefore).isGreaterThan(500);
        assertThat(log.deleteOldSegments()).isPositive();
        assertThat(log.sizeInBytes()).isLessThanOrEqualTo(500 + 300);
        assertThat(log.sizeInBytes()).isGreaterThan(0);
        assertThat(log.logStartOffset()).isPositive();
    }

    @Test
    void compactOnlyTopicsKeepOldSegments() {
        log = fx.open(config("retention.ms", "1", "retention.bytes", "1", "cleanup.policy", "compact"));
        for (int i = 0; i < 10; i++) {
            log.append(TestRecords.batch(fx.clock.millis(), "k" + i, 2), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        fx.clock.advanceMs(10);
        assertThat(log.deleteOldSegments()).isZero();
        log.updateConfig(config("retention.ms", "1", "cleanup.policy", "compact,delete"));
        assertThat(log.deleteOldSegments()).isPositive();
    }

    @Test
    void retentionDoesNotPassTheHighWatermark() {
        log = fx.open(config("retention.ms", "1"));
        for (int i = 0; i < 6; i++) {
            log.append(batch(fx.clock.millis(), "r" + i, 2), 0);
        }
        fx.clock.advanceMs(10);
        assertThat(log.deleteOldSegments()).isZero(); // HW is still at the log start
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.deleteOldSegments()).isPositive();
    }

    @Test
    void deleteRecordsMovesLogStartOffset() {
        log = fx.open(config());
        appendBatches(8);
        long target = log.segmentBaseOffsets().get(2) + 1;
        assertThat(log.deleteRecordsBefore(target)).isEqualTo(target);
        assertThat(log.logStartOffset()).isEqualTo(target);
        assertThat(log.segmentBaseOffsets().get(0)).isLessThanOrEqualTo(target);
        assertThat(log.numberOfSegments()).isLessThan(8);
        assertThatThrownBy(() -> log.read(target - 1, 100, log.logEndOffset(), false))
                .isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.read(target, 100_000, log.logEndOffset(), false)
                        .records()
                        .sizeInBytes())
                .isPositive();
        assertThatThrownBy(() -> log.deleteRecordsBefore(log.highWatermark() + 1))
                .isInstanceOf(OffsetOutOfRangeException.class);
        // Lower than the current start: nothing moves.
        assertThat(log.deleteRecordsBefore(1)).isEqualTo(target);
    }

    @Test
    void truncateToRemovesTailAndAppendsContinue() {
        log = fx.open(config());
        appendBatches(8); // 16 records, batches of 2
        assertThat(log.truncateTo(9)).isTrue(); // mid-batch: the batch 8..9 goes
        assertThat(log.logEndOffset()).isEqualTo(8);
        assertThat(log.highWatermark()).isEqualTo(8);
        assertThat(log.append(batch(fx.clock.millis(), "after", 1), 0).firstOffset())
                .isEqualTo(8);
        assertThat(log.truncateTo(100)).isFalse();
        assertThat(TestRecords.offsets(log.read(8, 100_000, 9, false).records()))
                .containsExactly(8L);
    }

    @Test
    void truncationKeepsIndexesConsistentAcrossReopen() {
        log = fx.open(config("index.interval.bytes", "1"));
        for (int i = 0; i < 8; i++) {
            log.append(
                    TestRecords.withTimestamps(fx.clock.millis() - 1000 + i * 10, fx.clock.millis() - 1000 + i * 10),
                    0);
        }
        log.updateHighWatermark(log.logEndOffset());
        log.truncateTo(7); // mid-batch 6..7
        assertThat(log.logEndOffset()).isEqualTo(6);
        long base = fx.clock.millis() - 1000;
        assertThat(log.offsetForTimestamp(base + 30)).isEmpty(); // that batch was truncated away
        assertThat(log.offsetForTimestamp(base + 15).map(TimestampOffset::offset))
                .contains(4L);
        assertThat(log.maxTimestampOffset().map(TimestampOffset::offset)).contains(4L);
        log.close();
        log = fx.reopen(config("index.interval.bytes", "1"), 0, true);
        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(log.maxTimestampOffset().map(TimestampOffset::offset)).contains(4L);
        for (long off = 0; off < 6; off++) {
            assertThat(TestRecords.offsets(log.read(off, 1, 6, true).records())).contains(off);
        }
    }

    @Test
    void truncatingTheBatchHoldingTheLogStartRestartsAtTheLogStart() {
        log = fx.open(config());
        log.append(batch(fx.clock.millis(), "a", 5), 0); // offsets 0..4
        log.updateHighWatermark(5);
        log.deleteRecordsBefore(3);
        assertThat(log.truncateTo(4)).isTrue(); // the batch 0..4 goes whole
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.append(batch(fx.clock.millis(), "b", 1), 0).firstOffset())
                .isEqualTo(3);
    }

    @Test
    void truncateBelowStartRestartsTheLog() {
        log = fx.open(config());
        appendBatches(4);
        log.deleteRecordsBefore(6);
        assertThat(log.truncateTo(3)).isTrue();
        assertThat(log.logStartOffset()).isEqualTo(3);
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.append(batch(fx.clock.millis(), "x", 1), 0).firstOffset())
                .isEqualTo(3);
    }
}
