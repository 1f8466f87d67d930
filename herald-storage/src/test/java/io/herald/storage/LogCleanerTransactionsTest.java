package io.herald.storage;

import static io.herald.storage.Compacted.compactConfig;
import static io.herald.storage.Compacted.fold;
import static io.herald.storage.Compacted.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Transactions and memory bounds: ongoing transactions untouched, markers kept, a full dedupe map cleans in rounds. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogCleanerTransactionsTest {
    private static final long TXN_PRODUCER = 5L;

    @TempDir
    Path tmp;

    LogFixture fx;
    PartitionLog log;

    @AfterEach
    void tearDown() {
        log.close();
    }

    private void fill(String key, int from, int count) {
        for (int i = from; i < from + count; i++) {
            log.append(Compacted.batch(CompressionType.NONE, fx.clock.millis(), key, "v" + i), 0);
        }
    }

    private void txn(int sequence, String key, String value) {
        log.append(
                MemoryRecords.withTransactionalRecords(
                        Compression.NONE,
                        TXN_PRODUCER,
                        (short) 0,
                        sequence,
                        Compacted.keyed(fx.clock.millis(), key, value)),
                0);
    }

    private void marker(ControlRecordType type) {
        log.append(
                MemoryRecords.withEndTransactionMarker(
                        fx.clock.millis(), TXN_PRODUCER, (short) 0, new EndTransactionMarker(type, 0)),
                0,
                AppendOrigin.COORDINATOR);
    }

    private int controlBatches() {
        return (int) Compacted.batches(log).stream()
                .filter(RecordBatch::isControlBatch)
                .count();
    }

    @Test
    void ongoingTransactionIsNeverCleanedAndAbortedDataIsRemoved() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig("internal.segment.bytes", "400", "min.cleanable.dirty.ratio", "0.01"));
        fill("a", 0, 10);
        txn(0, "a", "aborted"); // aborted below: must not shadow a=v9
        marker(ControlRecordType.ABORT);
        fill("b", 0, 10);
        txn(1, "b", "committed");
        marker(ControlRecordType.COMMIT);
        long ongoingStart = log.logEndOffset();
        txn(2, "c", "ongoing");
        fill("c", 0, 20);
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.firstUnstableOffset()).isEqualTo(ongoingStart);

        LogCleaner cleaner = Compacted.cleaner(fx.clock, 1 << 20, log);
        assertThat(cleaner.cleanUntilIdle()).isPositive();
        assertThat(log.cleanerCheckpoint()).isLessThanOrEqualTo(ongoingStart);
        List<Compacted.Entry> entries = readAll(log);
        // Everything from the ongoing transaction on is as written.
        assertThat(entries.stream().filter(e -> e.offset() >= ongoingStart)).hasSize(21);
        // The aborted record neither hides the non-transactional a=v9 nor survives the cleaning.
        assertThat(entries).anyMatch(e -> "a".equals(e.key()) && "v9".equals(e.value()));
        assertThat(entries.stream().filter(e -> "a".equals(e.key()) && e.offset() < ongoingStart))
                .hasSize(1);
        // b's committed transactional value is kept; the older b values it follows may stay too.
        assertThat(entries).anyMatch(e -> "b".equals(e.key()) && "committed".equals(e.value()));
        assertThat(controlBatches()).isEqualTo(2);

        marker(ControlRecordType.COMMIT);
        log.updateHighWatermark(log.logEndOffset());
        fill("z", 0, 30); // roll the marker out of the active segment
        log.updateHighWatermark(log.logEndOffset());
        cleaner.cleanUntilIdle();
        assertThat(controlBatches()).isEqualTo(3);
        Map<String, String> folded = fold(readAll(log));
        assertThat(folded).containsEntry("c", "v19").containsEntry("a", "v9");
    }

    @Test
    void committedTransactionalRecordsCompactAndAbortMarkersGoAfterTheirDeleteHorizon() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig(
                "internal.segment.bytes", "2000", "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "1000"));
        fill("k", 0, 5);
        txn(0, "k", "aborted");
        marker(ControlRecordType.ABORT);
        txn(1, "k", "committed");
        marker(ControlRecordType.COMMIT);
        fill("z", 0, 40); // rolls: the transactions are in sealed segments
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.abortedTransactions(0, log.logEndOffset())).hasSize(1);

        LogCleaner cleaner = Compacted.cleaner(fx.clock, 1 << 20, log);
        assertThat(cleaner.cleanUntilIdle()).isPositive();
        List<Compacted.Entry> entries = readAll(log);
        // The committed transactional record is the latest k and hides k=v0..v4; the aborted one is gone.
        assertThat(entries.stream().filter(e -> "k".equals(e.key())))
                .extracting(Compacted.Entry::value)
                .containsExactly("committed");
        // This cleaning saw the aborted data, so the marker and its index entry stay for now.
        assertThat(controlBatches()).isEqualTo(2);
        assertThat(log.abortedTransactions(0, log.logEndOffset())).hasSize(1);

        fill("z", 40, 40); // dirty again: the next cleaning finds no data of the aborted transaction
        log.updateHighWatermark(log.logEndOffset());
        assertThat(cleaner.cleanUntilIdle()).isPositive();
        assertThat(controlBatches()).isEqualTo(2); // no longer needed, but kept until its delete horizon

        fx.clock.advanceMs(1_001);
        assertThat(cleaner.cleanUntilIdle()).isPositive();
        // The abort's data is gone, so its marker and index entry go; the commit marker beside its data stays.
        assertThat(controlBatches()).isEqualTo(1);
        assertThat(log.abortedTransactions(0, log.logEndOffset())).isEmpty();
        assertThat(fold(readAll(log))).containsEntry("k", "committed");
    }

    @Test
    void aFullDedupeMapCleansInRounds() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig("internal.segment.bytes", "8192", "min.cleanable.dirty.ratio", "0.01"));
        // 64 KiB of map holds ~2,400 keys; write 2 passes over 4,000 keys.
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < 4_000; k += 10) {
                String[] kv = new String[20];
                for (int j = 0; j < 10; j++) {
                    kv[2 * j] = "key-" + (k + j);
                    kv[2 * j + 1] = "p" + pass;
                }
                log.append(Compacted.batch(CompressionType.LZ4, fx.clock.millis(), kv), 0);
            }
        }
        log.updateHighWatermark(log.logEndOffset());
        Map<String, String> expected = fold(readAll(log));
        long activeBase = log.segmentBaseOffsets().getLast();
        LogCleaner cleaner = Compacted.cleaner(fx.clock, 64 * 1024, log);
        int cleanings = cleaner.cleanUntilIdle();
        assertThat(cleanings).isGreaterThanOrEqualTo(3);
        assertThat(log.cleanerCheckpoint()).isEqualTo(activeBase);
        List<Compacted.Entry> entries = readAll(log);
        assertThat(fold(entries)).isEqualTo(expected);
        List<String> keysBelowActive = entries.stream()
                .filter(e -> e.offset() < activeBase)
                .map(Compacted.Entry::key)
                .toList();
        assertThat(keysBelowActive).doesNotHaveDuplicates();
    }

    @Test
    void aBatchLargerThanTheDedupeMapMarksTheLogUncleanable() {
        fx = new LogFixture(tmp);
        log = fx.open(compactConfig("internal.segment.bytes", "20000", "min.cleanable.dirty.ratio", "0.01"));
        String[] kv = new String[2 * 3_000];
        for (int i = 0; i < 3_000; i++) {
            kv[2 * i] = "k" + i;
            kv[2 * i + 1] = "v";
        }
        log.append(Compacted.batch(CompressionType.ZSTD, fx.clock.millis(), kv), 0);
        fill("a", 0, 400);
        log.updateHighWatermark(log.logEndOffset());
        long size = log.sizeInBytes();
        LogCleaner cleaner = Compacted.cleaner(fx.clock, 64 * 1024, log);
        assertThat(cleaner.cleanUntilIdle()).isZero();
        assertThat(log.sizeInBytes()).isEqualTo(size);
        assertThat(log.cleanerCheckpoint()).isZero();
        assertThat(cleaner.cleanUntilIdle()).isZero();
    }
}
