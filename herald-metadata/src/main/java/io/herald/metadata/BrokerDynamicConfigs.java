package io.herald.metadata;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Broker settings that change without a restart, cluster-wide or per broker: the broker-wide defaults of topic configs
 * (log.retention.ms, message.max.bytes, ...) and a few capacity settings, as Kafka's dynamic broker configs. As in
 * Kafka, only a topic config's primary broker key is dynamic (log.retention.ms, not log.retention.hours).
 */
public final class BrokerDynamicConfigs {
    /** The capacity settings with their types and lower bounds (topic-config defaults validate as topic configs). */
    private static final ConfigDef CAPACITY = new ConfigDef()
            .define("log.cleaner.threads", ConfigDef.Type.INT, 1, atLeast(1), ConfigDef.Importance.MEDIUM, "")
            .define("log.cleaner.dedupe.buffer.size", ConfigDef.Type.LONG, 134217728L, ConfigDef.Importance.MEDIUM, "")
            .define(
                    "log.cleaner.io.max.bytes.per.second",
                    ConfigDef.Type.DOUBLE,
                    Double.MAX_VALUE,
                    ConfigDef.Importance.MEDIUM,
                    "")
            .define("num.io.threads", ConfigDef.Type.INT, 8, atLeast(1), ConfigDef.Importance.MEDIUM, "")
            .define("num.network.threads", ConfigDef.Type.INT, 3, atLeast(1), ConfigDef.Importance.MEDIUM, "")
            .define(
                    "num.recovery.threads.per.data.dir",
                    ConfigDef.Type.INT,
                    2,
                    atLeast(1),
                    ConfigDef.Importance.MEDIUM,
                    "")
            .define(
                    "max.connections",
                    ConfigDef.Type.INT,
                    Integer.MAX_VALUE,
                    atLeast(0),
                    ConfigDef.Importance.MEDIUM,
                    "")
            // Replication throttles (kafka-reassign-partitions sets and clears them); no effect until replication.
            .define(
                    "leader.replication.throttled.rate",
                    ConfigDef.Type.LONG,
                    Long.MAX_VALUE,
                    atLeast(0),
                    ConfigDef.Importance.MEDIUM,
                    "")
            .define(
                    "follower.replication.throttled.rate",
                    ConfigDef.Type.LONG,
                    Long.MAX_VALUE,
                    atLeast(0),
                    ConfigDef.Importance.MEDIUM,
                    "")
            .define(
                    "replica.alter.log.dirs.io.max.bytes.per.second",
                    ConfigDef.Type.LONG,
                    Long.MAX_VALUE,
                    atLeast(0),
                    ConfigDef.Importance.MEDIUM,
                    "");

    private static final Set<String> NAMES = collectNames();

    /** Key and trust stores of one listener, which Kafka reloads on a per-broker update (never cluster-wide). */
    private static final java.util.regex.Pattern LISTENER_STORE = java.util.regex.Pattern.compile(
            "listener\\.name\\.[^.]+\\.ssl\\.(keystore\\.(location|password|type|key|certificate\\.chain)"
                    + "|key\\.password|truststore\\.(location|password|type|certificates))");

    private BrokerDynamicConfigs() {}

    private static Set<String> collectNames() {
        Set<String> names = new TreeSet<>();
        for (String topicConfig : TopicConfigs.names()) {
            TopicConfigs.definition(topicConfig).ifPresent(d -> names.add(d.brokerSynonym()));
        }
        names.addAll(CAPACITY.names());
        return Collections.unmodifiableSet(names);
    }

    private static ConfigDef.Validator atLeast(int minimum) {
        return ConfigDef.Range.atLeast(minimum);
    }

    /**
     * Checks a capacity setting's value against its type and bounds; other keys are not checked here.
     *
     * @throws ConfigException naming the key and value, in Kafka's words
     */
    public static void validateCapacity(String key, String value) {
        ConfigDef.ConfigKey definition = CAPACITY.configKeys().get(key);
        if (definition == null) {
            return;
        }
        Object parsed = ConfigDef.parseType(key, value, definition.type);
        if (definition.validator != null) {
            definition.validator.ensureValid(key, parsed);
        }
    }

    public static Set<String> names() {
        return NAMES;
    }

    /** Whether a broker key may change without a restart: {@link #names()} and a listener's TLS stores. */
    public static boolean isDynamic(String key) {
        return NAMES.contains(key) || isListenerStore(key);
    }

    /** {@code listener.name.<listener>.ssl.keystore.location} and its siblings. */
    public static boolean isListenerStore(String key) {
        return LISTENER_STORE.matcher(key).matches();
    }

    /** The topic config a broker key is the default of, if any. */
    public static Optional<String> topicConfigOf(String brokerKey) {
        return TopicConfigs.names().stream()
                .filter(t ->
                        TopicConfigs.definition(t).orElseThrow().brokerSynonym().equals(brokerKey))
                .findFirst();
    }

    /** Broker keys mapped to the topic configs they default, for a set of broker settings. */
    public static Map<String, String> asTopicDefaults(Map<String, String> brokerConfigs) {
        Map<String, String> topicDefaults = new java.util.HashMap<>();
        brokerConfigs.forEach((key, value) -> topicConfigOf(key).ifPresent(t -> topicDefaults.put(t, value)));
        return topicDefaults;
    }
}
