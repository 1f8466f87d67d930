package io.herald.storage;

import java.io.File;
import java.util.List;

/**
 * Broker-level settings of the {@link LogManager}, named after Kafka's: log.dirs,
 * num.recovery.threads.per.data.dir, log.retention.check.interval.ms, log.flush.scheduler.interval.ms,
 * log.flush.offset.checkpoint.interval.ms, producer.id.expiration.ms, plus the default per-topic {@link LogConfig} and
 * the {@link CleanerConfig} (log.cleaner.*).
 */
public record LogManagerConfig(
        List<File> logDirs,
        int numRecoveryThreadsPerDataDir,
        long retentionCheckIntervalMs,
        long flushSchedulerIntervalMs,
        long flushOffsetCheckpointIntervalMs,
        long producerIdExpirationMs,
        LogConfig defaultLogConfig,
        CleanerConfig cleanerConfig) {

    public LogManagerConfig {
        logDirs = List.copyOf(logDirs);
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("log.dirs must name at least one directory");
        }
        if (numRecoveryThreadsPerDataDir < 1
                || retentionCheckIntervalMs < 1
                || flushSchedulerIntervalMs < 1
                || flushOffsetCheckpointIntervalMs < 1
                || producerIdExpirationMs < 1) {
            throw new IllegalArgumentException("log manager intervals and thread counts must be positive");
        }
        if (cleanerConfig == null) {
            throw new IllegalArgumentException("cleaner config is required");
        }
    }

    /** The settings without cleaner overrides: the log cleaner runs with {@link CleanerConfig#DEFAULTS}. */
    public LogManagerConfig(
            List<File> logDirs,
            int numRecoveryThreadsPerDataDir,
            long retentionCheckIntervalMs,
            long flushSchedulerIntervalMs,
            long flushOffsetCheckpointIntervalMs,
            long producerIdExpirationMs,
            LogConfig defaultLogConfig) {
        this(
                logDirs,
                numRecoveryThreadsPerDataDir,
                retentionCheckIntervalMs,
                flushSchedulerIntervalMs,
                flushOffsetCheckpointIntervalMs,
                producerIdExpirationMs,
                defaultLogConfig,
                CleanerConfig.DEFAULTS);
    }

    /** A copy with other cleaner settings. */
    public LogManagerConfig withCleaner(CleanerConfig cleaner) {
        return new LogManagerConfig(
                logDirs,
                numRecoveryThreadsPerDataDir,
                retentionCheckIntervalMs,
                flushSchedulerIntervalMs,
                flushOffsetCheckpointIntervalMs,
                producerIdExpirationMs,
                defaultLogConfig,
                cleaner);
    }

    /** Kafka's defaults for everything but the directories. */
    public static LogManagerConfig defaults(List<File> logDirs) {
        return new LogManagerConfig(logDirs, 1, 300_000L, Long.MAX_VALUE, 60_000L, 86_400_000L, LogConfig.DEFAULTS);
    }
}
