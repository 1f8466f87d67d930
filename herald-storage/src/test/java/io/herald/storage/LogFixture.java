package io.herald.storage;

import io.herald.common.ManualClock;
import java.io.File;
import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;

/** Opens partition logs in a temp dir under a manual clock and scheduler. */
final class LogFixture {
    static final long START_MS = 1_700_000_000_000L;
    static final TopicPartition TP = new TopicPartition("orders", 0);

    final ManualClock clock = new ManualClock(START_MS);
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final File dir;

    LogFixture(Path tempDir) {
        this.dir = tempDir.resolve("orders-0").toFile();
    }

    PartitionLog open(LogConfig config) {
        return PartitionLog.open(TP, dir, config, -1, 0, true, clock, scheduler);
    }

    PartitionLog reopen(LogConfig config, long recoveryPoint, boolean clean) {
        return reopen(config, -1, recoveryPoint, clean);
    }

    PartitionLog reopen(LogConfig config, long logStartOffset, long recoveryPoint, boolean clean) {
        return PartitionLog.open(TP, dir, config, logStartOffset, recoveryPoint, clean, clock, scheduler);
    }

    static LogConfig config() {
        return LogConfig.DEFAULTS;
    }

    static LogConfig withSegmentBytes(int segmentBytes) {
        LogConfig d = LogConfig.DEFAULTS;
        return new LogConfig(
                segmentBytes,
                d.segmentMs(),
                d.segmentIndexBytes(),
                d.indexIntervalBytes(),
                d.retentionMs(),
                d.retentionBytes(),
                d.maxMessageBytes(),
                d.messageTimestampType(),
                d.timestampBeforeMaxMs(),
                d.timestampAfterMaxMs(),
                d.compressionType(),
                d.flushMessages(),
                d.flushMs(),
                d.fileDeleteDelayMs(),
                d.cleanupPolicy(),
                d.minCleanableDirtyRatio(),
                d.minCompactionLagMs(),
                d.maxCompactionLagMs(),
                d.deleteRetentionMs(),
                d.compressionLevels());
    }
}
