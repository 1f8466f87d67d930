package io.herald.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.storage.internal.LogFiles;
import io.herald.storage.internal.TransactionIndex;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.TransactionCoordinatorFencedException;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log side of transactions: the last stable offset, the aborted-transaction index (written, read, truncated,
 * recovered, retained), markers validated against producer and coordinator epochs, producer snapshots.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransactionalLogTest {
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

    private PartitionLog open(LogConfig config) {
        fx = new LogFixture(tmp);
        log = fx.open(config);
        return log;
    }

    private long txn(long producerId, short epoch, int sequence, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(fx.clock.millis(), null, values[i].getBytes());
        }
        return log.append(
                        MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, sequence, records),
                        0)
                .firstOffset();
    }

    private long plain(String value) {
        return log.append(TestRecords.batch(fx.clock.millis(), value, 1), 0).firstOffset();
    }

    private long marker(long producerId, short epoch, int coordinatorEpoch, boolean commit) {
        return log.append(
                        MemoryRecords.withEndTransactionMarker(
                                fx.clock.millis(),
                                producerId,
                                epoch,
                                new EndTransactionMarker(
                                        commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch)),
                        0,
                        AppendOrigin.COORDINATOR)
                .firstOffset();
    }

    private void replicateAll() {
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void lastStableOffsetStaysAtAnOpenTransactionUntilItsMarkerIsReplicated() {
        open(LogFixture.config());
        plain("a");
        long first = txn(7, (short) 0, 0, "t1", "t2");
        plain("b");
        replicateAll();
        assertThat(log.lastStableOffset()).isEqualTo(first);
        assertThat(log.highWatermark()).isEqualTo(4);

        long commit = marker(7, (short) 0, 0, true);
        // The marker is in the log but not below the high watermark yet: readers stay where they were.
        assertThat(log.lastStableOffset()).isEqualTo(first);
        log.updateHighWatermark(commit);
        assertThat(log.lastStableOffset()).isEqualTo(first);
        log.updateHighWatermark(commit + 1);
        assertThat(log.lastStableOffset()).isEqualTo(commit + 1);

        // A transactional batch after the marker starts a new transaction.
        long next = txn(7, (short) 0, 2, "t3");
        replicateAll();
        assertThat(log.lastStableOffset()).isEqualTo(next);
        assertThat(log.activeProducers().getFirst().currentTxnStartOffset()).isEqualTo(next);
    }

    @Test
    void abortMarkersFillTheTransactionIndexThatReadCommittedFetchesUse() throws Exception {
        open(LogFixture.config());
        long first7 = txn(7, (short) 0, 0, "x1");
        long first8 = txn(8, (short) 0, 0, "y1");
        txn(7, (short) 0, 1, "x2");
        long abort7 = marker(7, (short) 0, 3, false);
        long commit8 = marker(8, (short) 0, 3, true);
        replicateAll();

        // The abort's last stable offset is where producer 8's still open transaction began.
        assertThat(log.abortedTransactions(0, log.logEndOffset()))
                .containsExactly(new AbortedTxn(7, first7, abort7, first8));
        assertThat(log.abortedTransactions(abort7 + 1, log.logEndOffset())).isEmpty();
        assertThat(log.abortedTransactions(0, first7)).isEmpty();
        File index = LogFiles.file(fx.dir, 0, LogFiles.TXN_INDEX_SUFFIX);
        assertThat(index).hasSize(TransactionIndex.ENTRY_BYTES);
        assertThat(TransactionIndex.readFile(index)).containsExactly(new AbortedTxn(7, first7, abort7, first8));
        assertThat(commit8).isGreaterThan(abort7);

        // Truncating below the marker takes the entry out; replaying the same abort again restores it.
        log.truncateTo(abort7);
        assertThat(log.abortedTransactions(0, log.logEndOffset())).isEmpty();
        assertThat(index).isEmpty();
        assertThat(log.firstUnstableOffset()).isEqualTo(first7);
    }

    @Test
    void killedMidTransactionTheLogRecoversItsIndexAndKeepsTheTransactionOpen() throws Exception {
        open(LogFixture.withSegmentBytes(300));
        long first = txn(7, (short) 0, 0, "aborted");
        long abort = marker(7, (short) 0, 1, false);
        for (int i = 0; i < 10; i++) {
            plain("filler-" + i); // rolls segments, so snapshots exist below the transactions
        }
        long open = txn(9, (short) 0, 0, "open");
        long lateAbortFirst = txn(11, (short) 0, 0, "late");
        long lateAbort = marker(11, (short) 0, 1, false);
        replicateAll();
        long activeBase = log.segmentBaseOffsets().getLast();
        assertThat(lateAbort).isGreaterThanOrEqualTo(activeBase);
        File activeIndex = LogFiles.file(fx.dir, activeBase, LogFiles.TXN_INDEX_SUFFIX);
        assertThat(activeIndex).exists();
        long hw = log.highWatermark();

        log.closeUncleanly(); // kill -9: no snapshot at the end, no flush
        Files.delete(activeIndex.toPath()); // lost with the page cache, say
        log = fx.reopen(LogFixture.withSegmentBytes(300), 0, false);
        log.updateHighWatermark(hw);
        assertThat(log.abortedTransactions(0, log.logEndOffset()))
                .containsExactly(
                        new AbortedTxn(7, first, abort, abort + 1),
                        new AbortedTxn(11, lateAbortFirst, lateAbort, open));
        assertThat(activeIndex).hasSize(TransactionIndex.ENTRY_BYTES);
        assertThat(log.lastStableOffset()).isEqualTo(open);
        assertThat(log.firstUnstableOffset()).isEqualTo(open);
    }

    @Test
    void producerSnapshotsKeepOpenTransactionsAndCoordinatorEpochs() {
        open(LogFixture.config());
        txn(7, (short) 2, 0, "done");
        marker(7, (short) 2, 5, true);
        long open = txn(9, (short) 0, 0, "open");
        replicateAll();
        log.close();

        log = fx.reopen(LogFixture.config(), log.logEndOffset(), true);
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.lastStableOffset()).isEqualTo(open);
        assertThat(log.activeProducers())
                .extracting(
                        ActiveProducer::producerId,
                        ActiveProducer::coordinatorEpoch,
                        ActiveProducer::currentTxnStartOffset)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(7L, 5, -1L),
                        org.assertj.core.groups.Tuple.tuple(9L, -1, open));
        // The restored coordinator epoch still fences an older coordinator.
        assertThatThrownBy(() -> marker(7, (short) 2, 4, false))
                .isInstanceOf(TransactionCoordinatorFencedException.class);
    }

    @Test
    void markersOfOlderProducerOrCoordinatorEpochsAreRefused() {
        open(LogFixture.config());
        long first = txn(7, (short) 3, 0, "x");
        marker(7, (short) 3, 2, true);
        assertThatThrownBy(() -> marker(7, (short) 2, 2, false)).isInstanceOf(InvalidProducerEpochException.class);
        assertThatThrownBy(() -> marker(7, (short) 3, 1, false))
                .isInstanceOf(TransactionCoordinatorFencedException.class);
        assertThat(log.logEndOffset()).isEqualTo(first + 2); // neither was written
        // A newer epoch (transaction protocol v2 bumps it on every commit) is taken.
        marker(7, (short) 4, 2, false);
        assertThat(log.activeProducers().getFirst().producerEpoch()).isEqualTo((short) 4);
    }

    @Test
    void retentionDeletesATransactionIndexWithItsSegment() {
        open(LogFixture.withSegmentBytes(300));
        txn(7, (short) 0, 0, "aborted");
        marker(7, (short) 0, 0, false);
        for (int i = 0; i < 10; i++) {
            plain("filler-" + i);
        }
        replicateAll();
        File index = LogFiles.file(fx.dir, 0, LogFiles.TXN_INDEX_SUFFIX);
        assertThat(index).exists();
        log.deleteRecordsBefore(log.segmentBaseOffsets().get(1));
        assertThat(index).doesNotExist();
        assertThat(new File(index.getPath() + LogFiles.DELETED_SUFFIX)).exists();
        fx.clock.advanceMs(LogFixture.config().fileDeleteDelayMs() + 1);
        fx.scheduler.runDue();
        assertThat(new File(index.getPath() + LogFiles.DELETED_SUFFIX)).doesNotExist();
        assertThat(log.abortedTransactions(0, log.logEndOffset())).isEmpty();
        assertThat(List.of(fx.dir.list())).noneMatch(n -> n.endsWith(".txnindex"));
    }
}
