package io.herald.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Producer state rules below the log: sequence wrap-around and snapshot files. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProducerStateManagerTest {
    @TempDir
    Path tmp;

    private static MutableRecordBatch batch(long pid, int baseSeq, long baseOffset, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(1000L, ("v" + i).getBytes());
        }
        MemoryRecords mr = MemoryRecords.withIdempotentRecords(Compression.NONE, pid, (short) 0, baseSeq, records);
        MutableRecordBatch b = mr.batches().iterator().next();
        b.setLastOffset(baseOffset + count - 1);
        return b;
    }

    @Test
    void sequenceRuleWrapsAtIntMax() {
        assertThat(ProducerStateManager.inSequence(Integer.MAX_VALUE, 0)).isTrue();
        assertThat(ProducerStateManager.inSequence(Integer.MAX_VALUE, 1)).isFalse();
        assertThat(ProducerStateManager.inSequence(4, 5)).isTrue();
        assertThat(ProducerStateManager.inSequence(4, 6)).isFalse();
    }

    @Test
    void batchCrossingIntMaxIsFollowedByWrappedSequence() {
        ProducerStateManager state = new ProducerStateManager(tmp.toFile());
        // Replay (as from the log) a batch whose sequences run MAX-1, MAX, 0: the next must start at 1.
        ProducerStateManager.Update replay = state.startUpdate();
        replay.replay(batch(1L, Integer.MAX_VALUE - 1, 0, 3));
        replay.commit();
        ProducerStateManager.Update bad = state.startUpdate();
        assertThatThrownBy(() -> bad.append(batch(1L, 0, 3, 1))).isInstanceOf(OutOfOrderSequenceException.class);
        ProducerStateManager.Update good = state.startUpdate();
        good.append(batch(1L, 1, 3, 1));
        good.commit();
        assertThat(state.findDuplicate(batch(1L, 1, 3, 1))).isNotNull();
    }

    @Test
    void onlyTheNewestSnapshotsAreKept() {
        ProducerStateManager state = new ProducerStateManager(tmp.toFile());
        for (long offset = 10; offset <= 60; offset += 10) {
            state.takeSnapshot(offset);
        }
        assertThat(state.snapshotOffsets()).containsExactly(40L, 50L, 60L);
    }

    @Test
    void snapshotRoundTripAndCorruptSnapshotIgnored() throws Exception {
        ProducerStateManager state = new ProducerStateManager(tmp.toFile());
        ProducerStateManager.Update u = state.startUpdate();
        u.append(batch(1L, 0, 0, 2));
        u.append(batch(2L, 0, 2, 1));
        u.commit();
        state.takeSnapshot(3);

        ProducerStateManager loaded = new ProducerStateManager(tmp.toFile());
        assertThat(loaded.loadLatestSnapshot(10)).isEqualTo(3);
        assertThat(loaded.producerCount()).isEqualTo(2);
        assertThat(loaded.findDuplicate(batch(1L, 0, 0, 2))).isNotNull();

        // A newer snapshot with a flipped byte is discarded in favour of the older valid one.
        state.takeSnapshot(5);
        java.io.File newer = LogFiles.file(tmp.toFile(), 5, LogFiles.SNAPSHOT_SUFFIX);
        byte[] bytes = java.nio.file.Files.readAllBytes(newer.toPath());
        bytes[8] ^= 0x55;
        java.nio.file.Files.write(newer.toPath(), bytes);
        assertThat(loaded.loadLatestSnapshot(10)).isEqualTo(3);
        assertThat(newer).doesNotExist();
        // Snapshots beyond the end of the log (after truncation) are dropped too.
        assertThat(loaded.loadLatestSnapshot(2)).isEqualTo(-1);
        assertThat(loaded.producerCount()).isZero();
    }
}
