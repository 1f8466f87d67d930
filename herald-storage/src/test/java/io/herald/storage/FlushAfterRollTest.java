package io.herald.storage;

import static io.herald.storage.TestRecords.batch;
import static io.herald.storage.TestRecords.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A roll seals the segment and writes the producer snapshot without forcing either: the storage scheduler does the
 * fsync (Kafka's flush-log task) and only then moves the recovery point, so appends never wait for a disk flush.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FlushAfterRollTest {
    @TempDir
    Path tmp;

    private static LogConfig smallSegments() {
        return LogConfig.fromProperties(Map.of("internal.segment.bytes", "300"), LogConfig.DEFAULTS);
    }

    private static void appendUntilRolled(LogFixture fx, PartitionLog log, int segments) {
        for (int i = 0; log.numberOfSegments() < segments; i++) {
            log.append(batch(fx.clock.millis(), "r" + i, 2), 0);
        }
    }

    @Test
    void aRollLeavesTheFsyncToTheSchedulerAndTheRecoveryPointWaitsForIt() {
        LogFixture fx = new LogFixture(tmp);
        PartitionLog log = fx.open(smallSegments());
        appendUntilRolled(fx, log, 3);
        List<Long> bases = log.segmentBaseOffsets();
        long lastRoll = bases.get(bases.size() - 1);

        // The append returned before anything was forced: the recovery point has not moved.
        assertThat(log.recoveryPoint()).isZero();
        assertThat(fx.scheduler.pendingOneShot()).isGreaterThanOrEqualTo(2);
        assertThat(new File(fx.dir, String.format("%020d.snapshot", lastRoll))).exists();

        fx.scheduler.runDue();
        assertThat(log.recoveryPoint()).isEqualTo(lastRoll);
        log.close();
    }

    @Test
    void aTruncationBeforeTheFlushKeepsTheRecoveryPointWithinTheLog() {
        LogFixture fx = new LogFixture(tmp);
        PartitionLog log = fx.open(smallSegments());
        appendUntilRolled(fx, log, 3);
        log.truncateTo(1);

        fx.scheduler.runDue();
        assertThat(log.recoveryPoint()).isLessThanOrEqualTo(log.logEndOffset()).isLessThanOrEqualTo(1);
        log.close();
    }

    @Test
    void aCrashBeforeTheFlushRecoversEveryRecordFromTheOldRecoveryPoint() {
        LogFixture fx = new LogFixture(tmp);
        PartitionLog log = fx.open(smallSegments());
        appendUntilRolled(fx, log, 3);
        long end = log.logEndOffset();
        List<String> before = values(log.read(0, Integer.MAX_VALUE, end, true).records());
        log.closeUncleanly();

        PartitionLog recovered = fx.reopen(smallSegments(), 0, false);
        assertThat(recovered.logEndOffset()).isEqualTo(end);
        List<String> after = new ArrayList<>(
                values(recovered.read(0, Integer.MAX_VALUE, end, true).records()));
        assertThat(after).isEqualTo(before);
        recovered.close();
    }
}
