package io.herald.metadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * Every per-topic config Kafka documents, in one place: name, type, default, validator, the broker setting it inherits
 * from, and a one-line doc. CreateTopics, DescribeConfigs and the log layer all read topic settings through this.
 */
public final class TopicConfigs {
    /** One topic config and the broker-wide setting that supplies its default. */
    public record Definition(String name, String brokerSynonym) {}

    private static final long DAY_MS = 24 * 60 * 60 * 1000L;
    private static final ConfigDef DEF = new ConfigDef();

    /** A throttled replica list: {@code *} alone, or {@code partition:broker} entries. */
    private static final ConfigDef.Validator THROTTLED_REPLICAS = (name, value) -> {
        if (!(value instanceof java.util.List<?> entries)) {
            return;
        }
        boolean wildcard =
                entries.size() == 1 && "*".equals(String.valueOf(entries.get(0)).trim());
        boolean pairs = entries.stream().allMatch(e -> String.valueOf(e).trim().matches("[0-9]+:[0-9]+"));
        if (!wildcard && !pairs) {
            throw new ConfigException(
                    name,
                    value,
                    name + " must be the literal '*' or a list of replicas in the following format:"
                            + " [partitionId]:[brokerId],[partitionId]:[brokerId],...");
        }
    };

    private static final Map<String, Definition> DEFINITIONS = new LinkedHashMap<>();

    static {
        define(
                "cleanup.policy",
                Type.LIST,
                "delete",
                ConfigDef.ValidList.in("compact", "delete"),
                "log.cleanup.policy",
                "Retention policy for old segments: delete, compact, or both.");
        define(
                "compression.type",
                Type.STRING,
                "producer",
                ConfigDef.ValidString.in("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
                "compression.type",
                "Final compression of the topic's batches; producer keeps the producer's codec.");
        define(
                "compression.gzip.level",
                Type.INT,
                -1,
                ConfigDef.Range.between(-1, 9),
                "compression.gzip.level",
                "Compression level for gzip.");
        define(
                "compression.lz4.level",
                Type.INT,
                9,
                ConfigDef.Range.between(1, 17),
                "compression.lz4.level",
                "Compression level for lz4.");
        define(
                "compression.zstd.level",
                Type.INT,
                3,
                ConfigDef.Range.between(-131072, 22),
                "compression.zstd.level",
                "Compression level for zstd.");
        define(
                "delete.retention.ms",
                Type.LONG,
                DAY_MS,
                ConfigDef.Range.atLeast(0),
                "log.cleaner.delete.retention.ms",
                "How long tombstones are kept in compacted topics.");
        define(
                "file.delete.delay.ms",
                Type.LONG,
                60000L,
                ConfigDef.Range.atLeast(0),
                "log.segment.delete.delay.ms",
                "Delay before a deleted segment's files are removed.");
        define(
                "flush.messages",
                Type.LONG,
                Long.MAX_VALUE,
                ConfigDef.Range.atLeast(1),
                "log.flush.interval.messages",
                "Force an fsync after this many messages.");
        define(
                "flush.ms",
                Type.LONG,
                Long.MAX_VALUE,
                ConfigDef.Range.atLeast(0),
                "log.flush.interval.ms",
                "Force an fsync after this much time.");
        define(
                "follower.replication.throttled.replicas",
                Type.LIST,
                "",
                THROTTLED_REPLICAS,
                "follower.replication.throttled.replicas",
                "Replicas whose follower fetches are throttled.");
        define(
                "index.interval.bytes",
                Type.INT,
                4096,
                ConfigDef.Range.atLeast(0),
                "log.index.interval.bytes",
                "Bytes of log between offset index entries.");
        define(
                "leader.replication.throttled.replicas",
                Type.LIST,
                "",
                THROTTLED_REPLICAS,
                "leader.replication.throttled.replicas",
                "Replicas whose leader-side replication is throttled.");
        define(
                "local.retention.bytes",
                Type.LONG,
                -2L,
                ConfigDef.Range.atLeast(-2),
                "log.local.retention.bytes",
                "Local retention size when tiered storage is on.");
        define(
                "local.retention.ms",
                Type.LONG,
                -2L,
                ConfigDef.Range.atLeast(-2),
                "log.local.retention.ms",
                "Local retention time when tiered storage is on.");
        define(
                "max.compaction.lag.ms",
                Type.LONG,
                Long.MAX_VALUE,
                ConfigDef.Range.atLeast(1),
                "log.cleaner.max.compaction.lag.ms",
                "Longest time a message stays ineligible for compaction.");
        define(
                "max.message.bytes",
                Type.INT,
                1048588,
                ConfigDef.Range.atLeast(0),
                "message.max.bytes",
                "Largest record batch size allowed.");
        define(
                "message.timestamp.after.max.ms",
                Type.LONG,
                3600000L,
                ConfigDef.Range.atLeast(0),
                "log.message.timestamp.after.max.ms",
                "Largest allowed lead of a timestamp over the broker's time.");
        define(
                "message.timestamp.before.max.ms",
                Type.LONG,
                Long.MAX_VALUE,
                ConfigDef.Range.atLeast(0),
                "log.message.timestamp.before.max.ms",
                "Largest allowed lag of a timestamp behind the broker's time.");
        define(
                "message.timestamp.type",
                Type.STRING,
                "CreateTime",
                ConfigDef.ValidString.in("CreateTime", "LogAppendTime"),
                "log.message.timestamp.type",
                "Whether timestamps are the producer's or the broker's append time.");
        define(
                "min.cleanable.dirty.ratio",
                Type.DOUBLE,
                0.5,
                ConfigDef.Range.between(0, 1),
                "log.cleaner.min.cleanable.ratio",
                "Dirty ratio above which the log is compacted.");
        define(
                "min.compaction.lag.ms",
                Type.LONG,
                0L,
                ConfigDef.Range.atLeast(0),
                "log.cleaner.min.compaction.lag.ms",
                "Shortest time a message stays uncompacted.");
        define(
                "min.insync.replicas",
                Type.INT,
                1,
                ConfigDef.Range.atLeast(1),
                "min.insync.replicas",
                "Fewest in-sync replicas for an acks=all write to succeed.");
        // Accepted by name, refused when set to what Herald does not do (never silently ignored).
        define(
                "preallocate",
                Type.BOOLEAN,
                false,
                unsupportedUnless(false, "Herald does not preallocate segment files"),
                "log.preallocate",
                "Preallocate segment files.");
        define(
                "remote.log.copy.disable",
                Type.BOOLEAN,
                false,
                null,
                "remote.log.copy.disable",
                "Stop copying segments to remote storage.");
        define(
                "remote.log.delete.on.disable",
                Type.BOOLEAN,
                false,
                null,
                "remote.log.delete.on.disable",
                "Delete remote data when tiered storage is turned off.");
        define(
                "remote.storage.enable",
                Type.BOOLEAN,
                false,
                null,
                "remote.storage.enable",
                "Tiered storage for this topic.");
        define(
                "retention.bytes",
                Type.LONG,
                -1L,
                null,
                "log.retention.bytes",
                "Largest size of a partition before old segments are deleted; -1 for no limit.");
        define(
                "retention.ms",
                Type.LONG,
                7 * DAY_MS,
                ConfigDef.Range.atLeast(-1),
                "log.retention.ms",
                "Longest time a segment is kept; -1 for no limit.");
        define(
                "segment.bytes",
                Type.INT,
                1073741824,
                ConfigDef.Range.atLeast(1024 * 1024),
                "log.segment.bytes",
                "Size of one segment file.");
        define(
                "segment.index.bytes",
                Type.INT,
                10485760,
                ConfigDef.Range.atLeast(4),
                "log.index.size.max.bytes",
                "Size of one segment's offset index.");
        define(
                "segment.jitter.ms",
                Type.LONG,
                0L,
                unsupportedUnless(0L, "Herald does not jitter segment rolls"),
                "log.roll.jitter.ms",
                "Random jitter subtracted from segment.ms.");
        define(
                "segment.ms",
                Type.LONG,
                7 * DAY_MS,
                ConfigDef.Range.atLeast(1),
                "log.roll.ms",
                "Time after which a segment is rolled even if not full.");
        define(
                "unclean.leader.election.enable",
                Type.BOOLEAN,
                false,
                null,
                "unclean.leader.election.enable",
                "Allow out-of-sync replicas to become leader, losing data.");
    }

    /** Accepted, validated and described, but without effect yet: Herald has no tiered storage. */
    private static final Set<String> NOT_ACTED_ON = Set.of(
            "local.retention.bytes",
            "local.retention.ms",
            "remote.log.copy.disable",
            "remote.log.delete.on.disable",
            "remote.storage.enable");

    private TopicConfigs() {}

    /** Whether Herald acts on a topic config (false: it is stored and described, but changes nothing yet). */
    public static boolean actsOn(String name) {
        return DEFINITIONS.containsKey(name) && !NOT_ACTED_ON.contains(name);
    }

    /** A validator accepting only {@code supported}: other values are refused as unsupported, naming why. */
    private static ConfigDef.Validator unsupportedUnless(Object supported, String reason) {
        return (name, value) -> {
            if (value != null && !supported.equals(value)) {
                throw new ConfigException(name, value, reason + "; only " + supported + " is supported");
            }
        };
    }

    private static void define(
            String name, Type type, Object defaultValue, ConfigDef.Validator validator, String synonym, String doc) {
        DEF.define(name, type, defaultValue, validator, Importance.MEDIUM, doc);
        DEFINITIONS.put(name, new Definition(name, synonym));
    }

    public static ConfigDef configDef() {
        return DEF;
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(DEFINITIONS.keySet());
    }

    public static Optional<Definition> definition(String name) {
        return Optional.ofNullable(DEFINITIONS.get(name));
    }

    /** The default value as a string, the way DescribeConfigs shows it. */
    public static String defaultValue(String name) {
        ConfigDef.ConfigKey key = DEF.configKeys().get(name);
        if (key == null || key.defaultValue == null) {
            return null;
        }
        if (key.defaultValue instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(key.defaultValue);
    }

    /**
     * Validates topic overrides, throwing {@link InvalidConfigurationException} with a message naming the key, the
     * value and why, as Kafka answers INVALID_CONFIG.
     */
    public static void validate(Map<String, String> overrides) {
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            String name = entry.getKey();
            ConfigDef.ConfigKey key = DEF.configKeys().get(name);
            if (key == null) {
                throw new InvalidConfigurationException("Unknown topic config name: " + name);
            }
            if (entry.getValue() == null) {
                throw new InvalidConfigurationException("Null value not supported for topic configs: " + name);
            }
            try {
                Object parsed = ConfigDef.parseType(name, entry.getValue().trim(), key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(name, parsed);
                }
            } catch (ConfigException e) {
                throw new InvalidConfigurationException(e.getMessage());
            }
        }
    }
}
