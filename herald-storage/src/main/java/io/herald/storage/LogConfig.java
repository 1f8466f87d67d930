package io.herald.storage;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.TimestampType;

/**
 * The per-topic settings of a partition log, typed and immutable, with Apache Kafka's defaults. Built from Kafka's topic
 * config names with {@link #fromProperties}; a changed config is applied to a live log with
 * {@link PartitionLog#updateConfig}.
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        long retentionMs,
        long retentionBytes,
        int maxMessageBytes,
        TimestampType messageTimestampType,
        long timestampBeforeMaxMs,
        long timestampAfterMaxMs,
        TopicCompression compressionType,
        long flushMessages,
        long flushMs,
        long fileDeleteDelayMs,
        Set<String> cleanupPolicy,
        double minCleanableDirtyRatio,
        long minCompactionLagMs,
        long maxCompactionLagMs,
        long deleteRetentionMs,
        CompressionLevels compressionLevels) {

    public static final String SEGMENT_BYTES = "segment.bytes";
    /** Unchecked override of segment.bytes for tests and tools, as Kafka 4.x has; wins over segment.bytes. */
    public static final String INTERNAL_SEGMENT_BYTES = "internal.segment.bytes";

    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";

    /** Smallest segment that can hold a batch header (the record accepts it, for tests via internal.segment.bytes). */
    static final int MIN_SEGMENT_BYTES = 14;
    /** Kafka 4.0's floor for a topic's segment.bytes (KIP-1030). */
    static final int MIN_TOPIC_SEGMENT_BYTES = 1024 * 1024;
    /** One index entry is at most 12 bytes (time index); an index must hold at least one. */
    static final int MIN_SEGMENT_INDEX_BYTES = 12;

    public static final LogConfig DEFAULTS = new LogConfig(
            1024 * 1024 * 1024,
            7L * 24 * 60 * 60 * 1000,
            10 * 1024 * 1024,
            4096,
            7L * 24 * 60 * 60 * 1000,
            -1L,
            1024 * 1024 + 12,
            TimestampType.CREATE_TIME,
            Long.MAX_VALUE,
            3_600_000L,
            TopicCompression.PRODUCER,
            Long.MAX_VALUE,
            Long.MAX_VALUE,
            60_000L,
            Set.of("delete"),
            0.5,
            0L,
            Long.MAX_VALUE,
            86_400_000L,
            CompressionLevels.DEFAULTS);

    public LogConfig {
        require(compressionLevels != null, CompressionLevels.GZIP_LEVEL, compressionLevels);
        require(segmentBytes >= MIN_SEGMENT_BYTES, SEGMENT_BYTES, segmentBytes);
        require(segmentMs >= 1, SEGMENT_MS, segmentMs);
        require(segmentIndexBytes >= MIN_SEGMENT_INDEX_BYTES, SEGMENT_INDEX_BYTES, segmentIndexBytes);
        require(indexIntervalBytes >= 0, INDEX_INTERVAL_BYTES, indexIntervalBytes);
        require(retentionMs >= -1, RETENTION_MS, retentionMs);
        require(retentionBytes >= -1, RETENTION_BYTES, retentionBytes);
        require(maxMessageBytes >= 0, MAX_MESSAGE_BYTES, maxMessageBytes);
        require(
                messageTimestampType == TimestampType.CREATE_TIME
                        || messageTimestampType == TimestampType.LOG_APPEND_TIME,
                MESSAGE_TIMESTAMP_TYPE,
                messageTimestampType);
        require(timestampBeforeMaxMs >= 0, MESSAGE_TIMESTAMP_BEFORE_MAX_MS, timestampBeforeMaxMs);
        require(timestampAfterMaxMs >= 0, MESSAGE_TIMESTAMP_AFTER_MAX_MS, timestampAfterMaxMs);
        require(compressionType != null, COMPRESSION_TYPE, compressionType);
        require(flushMessages >= 1, FLUSH_MESSAGES, flushMessages);
        require(flushMs >= 0, FLUSH_MS, flushMs);
        require(fileDeleteDelayMs >= 0, FILE_DELETE_DELAY_MS, fileDeleteDelayMs);
        cleanupPolicy = Set.copyOf(cleanupPolicy);
        require(
                !cleanupPolicy.isEmpty() && Set.of("delete", "compact").containsAll(cleanupPolicy),
                CLEANUP_POLICY,
                cleanupPolicy);
        require(
                minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1,
                MIN_CLEANABLE_DIRTY_RATIO,
                minCleanableDirtyRatio);
        require(minCompactionLagMs >= 0, MIN_COMPACTION_LAG_MS, minCompactionLagMs);
        require(maxCompactionLagMs >= 1, MAX_COMPACTION_LAG_MS, maxCompactionLagMs);
        require(deleteRetentionMs >= 0, DELETE_RETENTION_MS, deleteRetentionMs);
    }

    /** True when the log cleaner compacts this log (cleanup.policy contains "compact"). */
    public boolean compactionEnabled() {
        return cleanupPolicy.contains("compact");
    }

    /** True when time and size retention apply (cleanup.policy contains "delete"). */
    public boolean deleteRetentionEnabled() {
        return cleanupPolicy.contains("delete");
    }

    /**
     * Applies Kafka topic-config overrides (e.g. {@code retention.ms=1000}) on top of {@code defaults}. Unknown names
     * are ignored (they belong to other layers, e.g. min.insync.replicas); bad values throw {@link ConfigException}.
     */
    public static LogConfig fromProperties(Map<String, String> overrides, LogConfig defaults) {
        Parser p = new Parser(overrides);
        int segmentBytes = p.intValue(SEGMENT_BYTES, defaults.segmentBytes);
        if (overrides.containsKey(SEGMENT_BYTES)) {
            require(segmentBytes >= MIN_TOPIC_SEGMENT_BYTES, SEGMENT_BYTES, segmentBytes);
        }
        segmentBytes = p.intValue(INTERNAL_SEGMENT_BYTES, segmentBytes);
        return new LogConfig(
                segmentBytes,
                p.longValue(SEGMENT_MS, defaults.segmentMs),
                p.intValue(SEGMENT_INDEX_BYTES, defaults.segmentIndexBytes),
                p.intValue(INDEX_INTERVAL_BYTES, defaults.indexIntervalBytes),
                p.longValue(RETENTION_MS, defaults.retentionMs),
                p.longValue(RETENTION_BYTES, defaults.retentionBytes),
                p.intValue(MAX_MESSAGE_BYTES, defaults.maxMessageBytes),
                p.timestampType(defaults.messageTimestampType),
                p.longValue(MESSAGE_TIMESTAMP_BEFORE_MAX_MS, defaults.timestampBeforeMaxMs),
                p.longValue(MESSAGE_TIMESTAMP_AFTER_MAX_MS, defaults.timestampAfterMaxMs),
                p.compression(defaults.compressionType),
                p.longValue(FLUSH_MESSAGES, defaults.flushMessages),
                p.longValue(FLUSH_MS, defaults.flushMs),
                p.longValue(FILE_DELETE_DELAY_MS, defaults.fileDeleteDelayMs),
                p.policy(defaults.cleanupPolicy),
                p.doubleValue(MIN_CLEANABLE_DIRTY_RATIO, defaults.minCleanableDirtyRatio),
                p.longValue(MIN_COMPACTION_LAG_MS, defaults.minCompactionLagMs),
                p.longValue(MAX_COMPACTION_LAG_MS, defaults.maxCompactionLagMs),
                p.longValue(DELETE_RETENTION_MS, defaults.deleteRetentionMs),
                new CompressionLevels(
                        p.intValue(CompressionLevels.GZIP_LEVEL, defaults.compressionLevels.gzip()),
                        p.intValue(CompressionLevels.LZ4_LEVEL, defaults.compressionLevels.lz4()),
                        p.intValue(CompressionLevels.ZSTD_LEVEL, defaults.compressionLevels.zstd())));
    }

    private static void require(boolean ok, String name, Object value) {
        if (!ok) {
            throw new ConfigException(name, value, "out of range");
        }
    }

    /** Parses the string values of one override map, naming the offending key on error. */
    private record Parser(Map<String, String> overrides) {
        int intValue(String name, int fallback) {
            String v = overrides.get(name);
            try {
                return v == null ? fallback : Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(name, v, "not an int");
            }
        }

        long longValue(String name, long fallback) {
            String v = overrides.get(name);
            try {
                return v == null ? fallback : Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(name, v, "not a long");
            }
        }

        double doubleValue(String name, double fallback) {
            String v = overrides.get(name);
            try {
                return v == null ? fallback : Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(name, v, "not a double");
            }
        }

        TimestampType timestampType(TimestampType fallback) {
            String v = overrides.get(MESSAGE_TIMESTAMP_TYPE);
            if (v == null) {
                return fallback;
            }
            return switch (v.trim()) {
                case "CreateTime" -> TimestampType.CREATE_TIME;
                case "LogAppendTime" -> TimestampType.LOG_APPEND_TIME;
                default -> throw new ConfigException(MESSAGE_TIMESTAMP_TYPE, v, "expected CreateTime or LogAppendTime");
            };
        }

        TopicCompression compression(TopicCompression fallback) {
            String v = overrides.get(COMPRESSION_TYPE);
            if (v == null) {
                return fallback;
            }
            try {
                return TopicCompression.valueOf(v.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(COMPRESSION_TYPE, v, "unknown compression type");
            }
        }

        Set<String> policy(Set<String> fallback) {
            String v = overrides.get(CLEANUP_POLICY);
            if (v == null) {
                return fallback;
            }
            return Set.of(v.trim().toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
        }
    }
}
