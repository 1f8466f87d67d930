package io.herald.server;

import io.herald.metadata.TopicConfigs;
import io.herald.storage.CleanerConfig;
import io.herald.storage.LogConfig;
import io.herald.storage.LogManagerConfig;
import java.io.File;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/**
 * The broker-wide defaults of topic settings, read from Kafka's broker keys (log.retention.hours, log.segment.bytes,
 * message.max.bytes, ...) through each topic config's broker synonym, and the log manager's own settings. A bad value
 * fails start-up with one line naming the broker key.
 */
final class BrokerLogDefaults {
    private static final long HOUR_MS = 3_600_000L;
    private static final long MINUTE_MS = 60_000L;

    private BrokerLogDefaults() {}

    /** Topic config name to the broker's value, for every topic config the broker file sets. */
    static Map<String, String> topicDefaults(Map<String, String> props) {
        Map<String, String> defaults = new HashMap<>();
        for (String name : TopicConfigs.names()) {
            TopicConfigs.definition(name).ifPresent(def -> {
                String value = props.get(def.brokerSynonym());
                if (value != null) {
                    validate(def.brokerSynonym(), name, value);
                    defaults.put(name, value);
                }
            });
        }
        // Kafka's coarser-grained synonyms: the finest one given wins.
        timeSynonym(
                props, defaults, "retention.ms", "log.retention.ms", "log.retention.minutes", "log.retention.hours");
        timeSynonym(props, defaults, "segment.ms", "log.roll.ms", null, "log.roll.hours");
        return defaults;
    }

    private static void timeSynonym(
            Map<String, String> props,
            Map<String, String> defaults,
            String topicKey,
            String msKey,
            String minutesKey,
            String hoursKey) {
        if (props.containsKey(msKey)) {
            return;
        }
        if (minutesKey != null && props.containsKey(minutesKey)) {
            defaults.put(topicKey, Long.toString(parse(minutesKey, props.get(minutesKey)) * MINUTE_MS));
        } else if (props.containsKey(hoursKey)) {
            defaults.put(topicKey, Long.toString(parse(hoursKey, props.get(hoursKey)) * HOUR_MS));
        }
    }

    private static long parse(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "Not a number of type LONG");
        }
    }

    private static void validate(String brokerKey, String topicKey, String value) {
        try {
            TopicConfigs.validate(Map.of(topicKey, value));
        } catch (InvalidConfigurationException e) {
            throw new ConfigException(brokerKey, value, e.getMessage());
        }
    }

    static LogManagerConfig logManagerConfig(ServerConfig config, Map<String, String> props) {
        LogConfig defaults = LogConfig.fromProperties(topicDefaults(props), LogConfig.DEFAULTS);
        return new LogManagerConfig(
                        config.logDirs().stream()
                                .map(p -> new File(p.toString()))
                                .toList(),
                        (int) longValue(props, "num.recovery.threads.per.data.dir", 1),
                        longValue(props, "log.retention.check.interval.ms", 300_000L),
                        longValue(props, "log.flush.scheduler.interval.ms", Long.MAX_VALUE),
                        longValue(props, "log.flush.offset.checkpoint.interval.ms", 60_000L),
                        longValue(props, "producer.id.expiration.ms", 86_400_000L),
                        defaults)
                .withCleaner(new CleanerConfig(
                        booleanValue(props, "log.cleaner.enable", true),
                        (int) longValue(props, "log.cleaner.threads", 1),
                        longValue(props, "log.cleaner.dedupe.buffer.size", 134_217_728L),
                        doubleValue(props, "log.cleaner.io.max.bytes.per.second", Double.MAX_VALUE),
                        longValue(props, "log.cleaner.backoff.ms", 15_000L)));
    }

    private static boolean booleanValue(Map<String, String> props, String key, boolean defaultValue) {
        String value = props.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (!value.trim().equalsIgnoreCase("true") && !value.trim().equalsIgnoreCase("false")) {
            throw new ConfigException(key, value, "Expected value to be either true or false");
        }
        return Boolean.parseBoolean(value.trim());
    }

    private static double doubleValue(Map<String, String> props, String key, double defaultValue) {
        String value = props.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (parsed <= 0) {
                throw new ConfigException(key, value, "Value must be positive");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "Not a number of type DOUBLE");
        }
    }

    private static long longValue(Map<String, String> props, String key, long defaultValue) {
        String value = props.get(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed = parse(key, value);
        if (parsed < 1) {
            throw new ConfigException(key, value, "Value must be at least 1");
        }
        return parsed;
    }
}
