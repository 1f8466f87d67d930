package io.herald.storage;

import static io.herald.storage.TestRecords.withTimestamps;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ListOffsets (earliest, latest, by timestamp, max timestamp) and OffsetForLeaderEpoch over a multi-segment log. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ListOffsetsAndEpochsTest {
    @TempDir
    Path tmp;

    LogFixture fx;
    PartitionLog log;
    long t0;

    @BeforeEach
    void setUp() {
        fx = new LogFixture(tmp);
        // Small segments and an index entry per batch, so lookups go through several segments and indexes.
        log = fx.open(LogConfig.fromProperties(
                Map.of("internal.segment.bytes", "150", "index.interval.bytes", "1"), LogConfig.DEFAULTS));
        t0 = fx.clock.millis() - 100_000;
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    @Test
    void byTimestampFindsFirstRecordAtOrAfterTarget() {
        // Offsets 0..8 with timestamps rising by 10 per record, three records a batch, epochs 1,1,2.
        log.append(withTimestamps(t0, t0 + 10, t0 + 20), 1);
        log.append(withTimestamps(t0 + 30, t0 + 40, t0 + 50), 1);
        log.append(withTimestamps(t0 + 60, t0 + 70, t0 + 80), 2);
        assertThat(log.numberOfSegments()).isGreaterThan(1);

        assertThat(log.offsetForTimestamp(t0 - 5)).contains(new TimestampOffset(t0, 0, Optional.of(1)));
        assertThat(log.offsetForTimestamp(t0 + 35)).contains(new TimestampOffset(t0 + 40, 4, Optional.of(1)));
        assertThat(log.offsetForTimestamp(t0 + 60)).contains(new TimestampOffset(t0 + 60, 6, Optional.of(2)));
        assertThat(log.offsetForTimestamp(t0 + 81)).isEmpty();
    }

    @Test
    void byTimestampWithUnorderedTimestamps() {
        log.append(withTimestamps(t0 + 50, t0 + 10), 0);
        log.append(withTimestamps(t0 + 20, t0 + 60), 0);
        assertThat(log.offsetForTimestamp(t0 + 15).map(TimestampOffset::offset)).contains(0L);
        assertThat(log.offsetForTimestamp(t0 + 55).map(TimestampOffset::offset)).contains(3L);
    }

    @Test
    void maxTimestampIsFirstRecordWithLargestTimestamp() {
        log.append(withTimestamps(t0, t0 + 500, t0 + 20), 3);
        log.append(withTimestamps(t0 + 30, t0 + 500), 4);
        assertThat(log.maxTimestampOffset()).contains(new TimestampOffset(t0 + 500, 1, Optional.of(3)));
    }

    @Test
    void maxTimestampOnEmptyLogIsAbsent() {
        assertThat(log.maxTimestampOffset()).isEmpty();
        assertThat(log.offsetForTimestamp(0)).isEmpty();
    }

    @Test
    void earliestAndLatest() {
        log.append(withTimestamps(t0, t0), 5);
        log.append(withTimestamps(t0), 7);
        assertThat(log.earliestOffset()).isEqualTo(new TimestampOffset(-1, 0, Optional.of(5)));
        assertThat(log.latestOffset()).isEqualTo(new TimestampOffset(-1, 3, Optional.of(7)));
    }

    @Test
    void endOffsetForEpochFollowsKafkaRules() {
        assertThat(log.endOffsetForEpoch(0)).isEqualTo(EpochEndOffset.UNDEFINED);
        log.append(withTimestamps(t0, t0), 2); // epoch 2 starts at 0
        log.append(withTimestamps(t0, t0), 4); // epoch 4 starts at 2
        log.append(withTimestamps(t0), 6); // epoch 6 starts at 4

        assertThat(log.endOffsetForEpoch(6)).isEqualTo(new EpochEndOffset(6, 5));
        assertThat(log.endOffsetForEpoch(4)).isEqualTo(new EpochEndOffset(4, 4));
        assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(4, 4));
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 2));
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 0));
        assertThat(log.endOffsetForEpoch(7)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void epochCacheIsPersistedAndTruncated() throws Exception {
        log.append(withTimestamps(t0, t0), 2);
        log.append(withTimestamps(t0, t0), 4);
        assertThat(java.nio.file.Files.readAllLines(fx.dir.toPath().resolve("leader-epoch-checkpoint")))
                .containsExactly("0", "2", "2 0", "4 2");
        log.close();
        log = fx.reopen(LogFixture.config(), 0, true);
        assertThat(log.latestEpoch()).isEqualTo(4);
        log.updateHighWatermark(log.logEndOffset());
        log.truncateTo(2);
        assertThat(log.latestEpoch()).isEqualTo(2);
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 2));
    }

    @Test
    void anEpochLedWithoutAppendsIsForgottenWhenTruncatingToTheLogEnd() {
        log.append(withTimestamps(t0, t0), 2);
        log.assignEpochStartOffset(5, log.logEndOffset());
        assertThat(log.latestEpoch()).isEqualTo(5);
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 2));
        // A follower told its epoch 2 ends at 2 truncates to 2, its log end: the empty epoch 5 must go, or the next
        // fetch (last fetched epoch 5) diverges at the same offset again, forever.
        assertThat(log.truncateTo(log.logEndOffset())).isFalse();
        assertThat(log.latestEpoch()).isEqualTo(2);
    }
}
