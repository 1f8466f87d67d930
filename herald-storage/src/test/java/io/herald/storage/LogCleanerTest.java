package io.herald.storage;

import static io.herald.storage.Compacted.compactConfig;
import static io.herald.storage.Compacted.fold;
import static io.herald.storage.Compacted.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner on one partition log: latest value per key, offsets kept, tombstone expiry, active segment, producers. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogCleanerTest {
    private static final CompressionType[] CODECS = {
        CompressionType.NONE, CompressionType.LZ4, CompressionType.ZSTD, CompressionType.GZIP, CompressionType.SNAPPY
    };
    private static final long PRODUCER = 42L;
    private static final long DAY_MS = 86_400_000L;

    @TempDir
    Path tmp;

    LogFixture fx;
    PartitionLog log;

    @AfterEach
    void tearDown() {
        if (log != null) {
            log.close();
        }
    }

    /** What was written: per offset the key and value, and the latest offset of each key. */
    private record Written(Map<Long, String[]> byOffset, int batches) {}

    /** 100,000 updates over 1,000 keys in idempotent batches of 100 with mixed codecs; every 7th batch deletes. */
    private Written writeUpdates(int updates, int keys) {
        Map<Long, String[]> byOffset = new HashMap<>();
        int seq = 0;
        int batchNo = 0;
        for (int i = 0; i < updates; batchNo++) {
            int n = Math.min(100, updates - i);
            String[] kv = new String[2 * n];
            for (int j = 0; j < n; j++, i++) {
                String key = "key-" + ((i * 7919L) % keys);
                boolean tombstone = batchNo % 7 == 3 && j % 10 == 0;
                kv[2 * j] = key;
                kv[2 * j + 1] = tombstone ? null : "value-" + i;
            }
            CompressionType codec = CODECS[batchNo % CODECS.length];
            LogAppendInfo info = log.append(Compacted.idempotentBatch(codec, PRODUCER, seq, fx.clock.millis(), kv), 0);
            seq += n;
            for (int j = 0; j < n; j++) {
                long offset = info.firstOffset() + j;
                byOffset.put(offset, new String[] {kv[2 * j], kv[2 * j + 1]});
            }
            fx.clock.advanceMs(1);
        }
        log.updateHighWatermark(log.logEndOffset());
        return new Written(byOffset, batchNo);
    }

    @Test
    void keepsOnlyTheLatestRecordOfEachKeyAtItsOffsetThenDropsExpiredTombstones() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig("internal.segment.bytes", "65536"));
        Written w = writeUpdates(100_000, 1_000);
        List<Compacted.Entry> before = readAll(log);
        Map<String, String> expected = fold(before);
        assertThat(log.numberOfSegments()).isGreaterThan(20);
        long activeBase = log.segmentBaseOffsets().getLast();
        Records activeBefore = log.read(activeBase, Integer.MAX_VALUE, log.logEndOffset(), true)
                .records();
        long sizeBefore = log.sizeInBytes();
        long dirtyBytes = sizeBefore - activeBefore.sizeInBytes();

        LogCleaner cleaner = Compacted.cleaner(fx.clock, 4L << 20, log);
        long t0 = System.nanoTime();
        int cleanings = cleaner.cleanUntilIdle();
        long elapsedNs = System.nanoTime() - t0;
        System.out.printf(
                "Cleaner throughput: %d dirty bytes in %d ms = %s MB/s (%d cleanings, map %d bytes), %d -> %d bytes%n",
                dirtyBytes,
                elapsedNs / 1_000_000,
                String.format("%.1f", dirtyBytes / 1e6 / (elapsedNs / 1e9)),
                cleanings,
                4L << 20,
                sizeBefore,
                log.sizeInBytes());

        assertThat(cleanings).isGreaterThanOrEqualTo(1);
        assertThat(log.sizeInBytes()).isLessThan(sizeBefore / 5);
        List<Compacted.Entry> after = readAll(log);
        assertThat(fold(after)).isEqualTo(expected);
        Map<String, Long> latestBelowActive = new HashMap<>();
        w.byOffset().forEach((offset, kv) -> {
            if (offset < activeBase) {
                latestBelowActive.merge(kv[0], offset, Math::max);
            }
        });
        Set<String> seenBelowActive = new HashSet<>();
        for (Compacted.Entry e : after) {
            // Survivors keep their offset, key, value and headers.
            assertThat(w.byOffset().get(e.offset())).containsExactly(e.key(), e.value());
            assertThat(e.headers()).isEqualTo(1);
            assertThat(e.producerId()).isEqualTo(PRODUCER);
            if (e.offset() < activeBase) {
                assertThat(seenBelowActive.add(e.key()))
                        .as("one record per key: %s", e.key())
                        .isTrue();
                assertThat(e.offset()).isEqualTo(latestBelowActive.get(e.key()));
            }
        }
        assertThat(after.stream().filter(e -> e.value() == null)).isNotEmpty();
        assertThat(log.segmentBaseOffsets().getLast()).isEqualTo(activeBase);
        Records activeAfter = log.read(activeBase, Integer.MAX_VALUE, log.logEndOffset(), true)
                .records();
        assertThat(activeAfter.sizeInBytes()).isEqualTo(activeBefore.sizeInBytes());
        assertThat(log.cleanerCheckpoint()).isEqualTo(activeBase);

        // Nothing dirty is left: another pass finds no work until the tombstones' delete horizon passes.
        assertThat(cleaner.cleanUntilIdle()).isZero();
        fx.clock.advanceMs(DAY_MS + 1);
        assertThat(cleaner.cleanUntilIdle()).isEqualTo(1);
        List<Compacted.Entry> expired = readAll(log);
        assertThat(expired.stream().filter(e -> e.value() == null && e.offset() < activeBase))
                .isEmpty();
        assertThat(fold(expired)).isEqualTo(expected);

        // The idempotent producer continues where it was; a retry of its last batch is still a duplicate.
        int nextSeq = 100_000;
        LogAppendInfo next = log.append(
                Compacted.idempotentBatch(CompressionType.NONE, PRODUCER, nextSeq, fx.clock.millis(), "key-1", "x"), 0);
        assertThat(next.duplicate()).isFalse();
        assertThatThrownBy(() -> log.append(
                        Compacted.idempotentBatch(
                                CompressionType.NONE, PRODUCER, nextSeq + 5, fx.clock.millis(), "key-1", "y"),
                        0))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void producerStateSurvivesARebuildFromTheCleanedLog() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig());
        for (int seq = 0; seq < 40; seq++) {
            log.append(
                    Compacted.idempotentBatch(CompressionType.NONE, 9L, seq, fx.clock.millis(), "same", "v" + seq), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        Compacted.cleaner(fx.clock, 1 << 20, log).cleanUntilIdle();
        long end = log.logEndOffset();
        log.closeUncleanly();
        // No snapshot, recovery from 0: the producer's last (emptied) batch still carries its sequence.
        for (java.io.File f : fx.dir.listFiles((d, n) -> n.endsWith(".snapshot"))) {
            assertThat(f.delete()).isTrue();
        }
        log = fx.reopen(compactConfig(), 0, false);
        assertThat(log.logEndOffset()).isEqualTo(end);
        log.append(Compacted.idempotentBatch(CompressionType.NONE, 9L, 40, fx.clock.millis(), "same", "v40"), 0);
        assertThat(fold(readAll(log))).containsEntry("same", "v40");
    }

    @Test
    void respectsDirtyRatioMinCompactionLagAndTheFirstUnstableOffset() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig("min.compaction.lag.ms", "60000"));
        for (int i = 0; i < 200; i++) {
            log.append(Compacted.batch(CompressionType.NONE, fx.clock.millis(), "k" + (i % 5), "v" + i), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        LogCleaner cleaner = Compacted.cleaner(fx.clock, 1 << 20, log);
        long size = log.sizeInBytes();
        assertThat(cleaner.cleanUntilIdle())
                .as("every record is younger than the lag")
                .isZero();
        fx.clock.advanceMs(60_001);
        assertThat(cleaner.cleanUntilIdle()).isEqualTo(1);
        assertThat(log.sizeInBytes()).isLessThan(size);
        // Dirty ratio: a little new dirt on a large clean section waits.
        for (int i = 0; i < 100; i++) {
            log.append(Compacted.batch(CompressionType.NONE, fx.clock.millis(), "k1", "w" + i), 0);
        }
        fx.clock.advanceMs(60_001);
        log.updateConfig(compactConfig("min.cleanable.dirty.ratio", "0.99"));
        log.updateHighWatermark(log.logEndOffset());
        assertThat(cleaner.cleanUntilIdle()).isZero();
        // ...unless max.compaction.lag.ms forces it.
        log.updateConfig(compactConfig("min.cleanable.dirty.ratio", "0.99", "max.compaction.lag.ms", "1000"));
        assertThat(cleaner.cleanUntilIdle()).isGreaterThanOrEqualTo(1);
        assertThat(fold(readAll(log))).containsEntry("k1", "w99");
    }

    @Test
    void neverCleansAboveTheHighWatermarkOrAnOngoingTransaction() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig("internal.segment.bytes", "300"));
        for (int i = 0; i < 50; i++) {
            log.append(Compacted.batch(CompressionType.NONE, fx.clock.millis(), "k", "v" + i), 0);
        }
        LogCleaner cleaner = Compacted.cleaner(fx.clock, 1 << 20, log);
        assertThat(cleaner.cleanUntilIdle()).as("high watermark at 0").isZero();
        log.updateHighWatermark(20);
        cleaner.cleanUntilIdle();
        List<Compacted.Entry> entries = readAll(log);
        assertThat(entries.stream().filter(e -> e.offset() >= 20)).hasSize(30);
        assertThat(entries.stream().filter(e -> e.offset() < 20)).hasSizeLessThanOrEqualTo(1);
        assertThat(log.cleanerCheckpoint()).isLessThanOrEqualTo(20);
    }

    @Test
    void groupsStayUnderSegmentBytesAndKeepCodecsAndTimestamps() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig("internal.segment.bytes", "2000", "min.cleanable.dirty.ratio", "0.01"));
        for (int i = 0; i < 300; i++) {
            log.append(
                    Compacted.batch(
                            CODECS[i % CODECS.length],
                            1_000 + i,
                            "a" + (i % 10),
                            "v" + i,
                            "a" + ((i + 1) % 10),
                            "v" + i,
                            "a" + ((i + 2) % 10),
                            "v" + i,
                            i % 10 == 0 ? "b" + i : "a0",
                            i % 10 == 0 ? "only-once" : "v" + i),
                    0);
        }
        log.updateHighWatermark(log.logEndOffset());
        int segmentsBefore = log.numberOfSegments();
        LogCleaner cleaner = Compacted.cleaner(fx.clock, 1 << 20, log);
        cleaner.cleanUntilIdle();
        // Groups are sized by the segments' sizes before cleaning: the shrunk segments merge on the next cleaning.
        for (int i = 0; i < 40; i++) {
            log.append(Compacted.batch(CompressionType.NONE, 5_000, "a1", "late" + i), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        cleaner.cleanUntilIdle();
        assertThat(log.numberOfSegments()).isLessThan(segmentsBefore / 2);
        long offset = log.logStartOffset();
        List<Long> bases = log.segmentBaseOffsets();
        for (int i = 0; i + 1 < bases.size(); i++) {
            Records seg = log.read(bases.get(i), Integer.MAX_VALUE, bases.get(i + 1), true)
                    .records();
            assertThat(seg.sizeInBytes()).isLessThanOrEqualTo(2000);
            for (RecordBatch b : seg.batches()) {
                if (b.baseOffset() >= 1200) {
                    continue;
                }
                long i0 = b.baseOffset() / 4;
                assertThat(b.compressionType()).isEqualTo(CODECS[(int) (i0 % CODECS.length)]);
                assertThat(b.maxTimestamp()).isEqualTo(1_000 + i0);
                assertThat(b.baseOffset()).isGreaterThanOrEqualTo(offset);
                offset = b.nextOffset();
            }
        }
        List<String> survivors = new ArrayList<>();
        readAll(log).forEach(e -> survivors.add(e.key()));
        assertThat(survivors.stream().filter(k -> k.startsWith("b"))).hasSize(30);
    }

    @Test
    void compactDeleteTopicsAreBothRetainedByTimeAndCompacted() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig("cleanup.policy", "compact,delete", "retention.ms", "10000"));
        for (int i = 0; i < 300; i++) {
            log.append(Compacted.batch(CompressionType.NONE, fx.clock.millis(), "k" + (i % 7), "v" + i), 0);
            fx.clock.advanceMs(100);
        }
        log.updateHighWatermark(log.logEndOffset());
        int segments = log.numberOfSegments();
        assertThat(log.deleteOldSegments()).isPositive();
        assertThat(log.numberOfSegments()).isLessThan(segments);
        long start = log.logStartOffset();
        Map<String, String> expected = fold(readAll(log));
        assertThat(Compacted.cleaner(fx.clock, 1 << 20, log).cleanUntilIdle()).isPositive();
        assertThat(fold(readAll(log))).isEqualTo(expected);
        assertThat(log.logStartOffset()).isEqualTo(start);
    }

    @Test
    void cleaningIsThrottledToTheConfiguredRate() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig());
        for (int i = 0; i < 400; i++) {
            log.append(Compacted.batch(CompressionType.NONE, fx.clock.millis(), "k" + (i % 3), "v" + i), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        List<Long> pauses = new ArrayList<>();
        LogCleaner cleaner = new LogCleaner(
                new CleanerConfig(true, 1, 1 << 20, 10_000, 15_000), fx.clock, () -> List.of(log), () -> {}, ms -> {
                    pauses.add(ms);
                    fx.clock.advanceMs(ms);
                });
        long before = fx.clock.millis();
        assertThat(cleaner.cleanUntilIdle()).isEqualTo(1);
        // Tens of KB read and written at 10 KB/s take seconds of (manual) time.
        assertThat(pauses).isNotEmpty();
        assertThat(fx.clock.millis() - before).isGreaterThan(2_000);
    }
}
