package io.herald.storage;

import static io.herald.storage.TestRecords.idempotent;
import static io.herald.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent and transactional producers on the append path: duplicates, sequence and epoch rules, state after restarts. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdempotentProducerTest {
    @TempDir
    Path tmp;

    LogFixture fx;
    PartitionLog log;

    @BeforeEach
    void setUp() {
        fx = new LogFixture(tmp);
        log = fx.open(LogFixture.config());
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private long now() {
        return fx.clock.millis();
    }

    @Test
    void duplicateReturnsOriginalOffsetsWithoutWriting() {
        MemoryRecords first = idempotent(1L, (short) 0, 0, now(), 3);
        MemoryRecords retry = TestRecords.copy(first);
        LogAppendInfo a = log.append(first, 0);
        log.append(idempotent(1L, (short) 0, 3, now(), 2), 0);
        LogAppendInfo dup = log.append(retry, 0);

        assertThat(dup.duplicate()).isTrue();
        assertThat(dup.firstOffset()).isEqualTo(a.firstOffset());
        assertThat(dup.lastOffset()).isEqualTo(a.lastOffset());
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(values(log.read(0, 100_000, 5, false).records())).hasSize(5);
    }

    @Test
    void onlyTheLastFiveBatchesAreRemembered() {
        MemoryRecords oldest = idempotent(1L, (short) 0, 0, now(), 1);
        MemoryRecords retryOfOldest = TestRecords.copy(oldest);
        log.append(oldest, 0);
        for (int seq = 1; seq <= 5; seq++) {
            log.append(idempotent(1L, (short) 0, seq, now(), 1), 0);
        }
        // Six batches later the first one is no longer a known duplicate: it is simply out of order.
        assertThatThrownBy(() -> log.append(retryOfOldest, 0)).isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void outOfOrderSequenceRejected() {
        log.append(idempotent(1L, (short) 0, 0, now(), 2), 0);
        assertThatThrownBy(() -> log.append(idempotent(1L, (short) 0, 5, now(), 1), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void unknownProducerMustStartAtZero() {
        assertThatThrownBy(() -> log.append(idempotent(9L, (short) 0, 4, now(), 1), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void olderEpochIsFencedAndNewEpochStartsAtZero() {
        log.append(idempotent(1L, (short) 3, 0, now(), 1), 0);
        assertThatThrownBy(() -> log.append(idempotent(1L, (short) 2, 1, now(), 1), 0))
                .isInstanceOf(InvalidProducerEpochException.class);
        assertThatThrownBy(() -> log.append(idempotent(1L, (short) 4, 1, now(), 1), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        LogAppendInfo bumped = log.append(idempotent(1L, (short) 4, 0, now(), 1), 0);
        assertThat(bumped.firstOffset()).isEqualTo(1);
    }

    @Test
    void stateSurvivesCleanCloseAndCrash() {
        MemoryRecords first = idempotent(1L, (short) 0, 0, now(), 2);
        MemoryRecords retry = TestRecords.copy(first);
        log.append(first, 0);
        log.close();
        log = fx.reopen(LogFixture.config(), 0, true);
        assertThat(log.append(TestRecords.copy(retry), 0).duplicate()).isTrue();
        log.append(idempotent(1L, (short) 0, 2, now(), 1), 0);

        // Crash: no snapshot at the end, state must come back by replaying the log.
        log.closeUncleanly();
        java.io.File[] snapshots = fx.dir.listFiles((d, n) -> n.endsWith(".snapshot"));
        for (java.io.File f : snapshots) {
            assertThat(f.delete()).isTrue();
        }
        log = fx.reopen(LogFixture.config(), 0, false);
        assertThat(log.append(TestRecords.copy(retry), 0).duplicate()).isTrue();
        assertThatThrownBy(() -> log.append(idempotent(1L, (short) 0, 1, now(), 1), 0))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.append(idempotent(1L, (short) 0, 3, now(), 1), 0).firstOffset())
                .isEqualTo(3);
    }

    @Test
    void transactionalAndControlBatchesAreStoredAndReadable() {
        MemoryRecords txn = MemoryRecords.withTransactionalRecords(
                Compression.NONE, 5L, (short) 0, 0, TestRecords.record(now(), "k", "in-txn"));
        log.append(txn, 0);
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.firstUnstableOffset()).isZero();
        assertThat(log.lastStableOffset()).isZero();
        MemoryRecords commit = MemoryRecords.withEndTransactionMarker(
                now(), 5L, (short) 0, new EndTransactionMarker(ControlRecordType.COMMIT, 0));
        assertThatThrownBy(() -> log.append(TestRecords.copy(commit), 0))
                .isInstanceOf(org.apache.kafka.common.InvalidRecordException.class);
        LogAppendInfo marker = log.append(commit, 0, AppendOrigin.COORDINATOR);
        assertThat(marker.firstOffset()).isEqualTo(1);
        // Unstable until the high watermark passes the marker (a leader change before that changes no reader's view).
        assertThat(log.firstUnstableOffset()).isZero();
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.firstUnstableOffset()).isEqualTo(-1);
        assertThat(log.lastStableOffset()).isEqualTo(2);

        int controls = 0;
        for (RecordBatch b : log.read(0, 100_000, 2, false).records().batches()) {
            assertThat(b.isTransactional()).isTrue();
            controls += b.isControlBatch() ? 1 : 0;
        }
        assertThat(controls).isEqualTo(1);
    }
}
