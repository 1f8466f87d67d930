package io.herald.broker;

import io.herald.metadata.BrokerConfigs;
import io.herald.metadata.BrokerDynamicConfigs;
import io.herald.metadata.ConfigResourceType;
import io.herald.metadata.MetadataImage;
import io.herald.metadata.TopicConfigs;
import io.herald.storage.LogConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * A topic's effective settings with Kafka's precedence: the topic's own override, then the dynamic per-broker value,
 * the dynamic cluster-wide default, the broker's configuration file, and Kafka's default. DescribeConfigs shows the
 * chain (synonyms); the log layer gets the winning values.
 */
final class TopicConfigResolver {
    /** One level of the chain: where a value comes from, under which name. */
    record Level(String name, String value, ConfigSource source) {}

    /** Topic configs whose broker default can be given in coarser units, finest first. */
    private static final Map<String, List<String>> STATIC_SYNONYMS = Map.of(
            "retention.ms", List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours"),
            "segment.ms", List.of("log.roll.ms", "log.roll.hours"));

    private final int nodeId;
    private final BrokerSettings.StaticConfigs statics;

    TopicConfigResolver(int nodeId, BrokerSettings.StaticConfigs statics) {
        this.nodeId = nodeId;
        this.statics = statics;
    }

    /** Every level that sets {@code topicConfig} for {@code topic}, strongest first; never empty. */
    List<Level> chain(MetadataImage image, String topic, String topicConfig) {
        List<Level> levels = new ArrayList<>();
        String override = topic == null
                ? null
                : image.configs(ConfigResourceType.TOPIC, topic).get(topicConfig);
        if (override != null) {
            levels.add(new Level(topicConfig, override, ConfigSource.TOPIC_CONFIG));
        }
        String synonym = TopicConfigs.definition(topicConfig).orElseThrow().brokerSynonym();
        String perBroker = image.configs(ConfigResourceType.BROKER, Integer.toString(nodeId))
                .get(synonym);
        if (perBroker != null) {
            levels.add(new Level(synonym, perBroker, ConfigSource.DYNAMIC_BROKER_CONFIG));
        }
        String clusterDefault = image.configs(ConfigResourceType.BROKER, "").get(synonym);
        if (clusterDefault != null) {
            levels.add(new Level(synonym, clusterDefault, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG));
        }
        String fromFile = statics.topicDefaults().get(topicConfig);
        if (fromFile != null) {
            // Shown under the key the file used, as Kafka does (log.retention.hours=168, not the derived ms).
            String fileKey = STATIC_SYNONYMS.getOrDefault(topicConfig, List.of(synonym)).stream()
                    .filter(k -> statics.properties().containsKey(k))
                    .findFirst()
                    .orElse(synonym);
            String raw = statics.properties().getOrDefault(fileKey, fromFile);
            // Kafka reports a default given in coarser units (log.retention.hours) as DEFAULT_CONFIG, so
            // kafka-topics --describe lists it under no topic's "Configs:" (as in Kafka's quick start output).
            ConfigSource source =
                    fileKey.equals(synonym) ? ConfigSource.STATIC_BROKER_CONFIG : ConfigSource.DEFAULT_CONFIG;
            levels.add(new Level(fileKey, raw, source));
        }
        levels.add(new Level(synonym, TopicConfigs.defaultValue(topicConfig), ConfigSource.DEFAULT_CONFIG));
        return levels;
    }

    /**
     * Whether Kafka lists a level among a topic config's synonyms: every set level, but a default only for the
     * config's own broker key when Kafka's broker defines a default for it (so {@code retention.ms} lists no
     * {@code log.retention.hours}, and topic-only configs list no default).
     */
    static boolean listedAsSynonym(String topicConfig, Level level) {
        if (level.source() != ConfigSource.DEFAULT_CONFIG) {
            return true;
        }
        // Topic-only configs have no broker key; log.retention.ms and its like have no default of their own in Kafka.
        String brokerKey = TopicConfigs.definition(topicConfig).orElseThrow().brokerSynonym();
        return level.name().equals(brokerKey)
                && BrokerConfigs.definition(brokerKey)
                        .map(d -> d.defaultValue() != null)
                        .orElse(false);
    }

    /** The level's value in the topic config's own unit (a static default may be in hours or minutes). */
    String value(Level level, String topicConfig) {
        boolean fromFile = statics.properties().containsKey(level.name())
                && level.source() != ConfigSource.TOPIC_CONFIG
                && level.source() != ConfigSource.DYNAMIC_BROKER_CONFIG
                && level.source() != ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
        return fromFile ? statics.topicDefaults().get(topicConfig) : level.value();
    }

    /** The topic config's effective value in its own unit. */
    String effectiveValue(MetadataImage image, String topic, String topicConfig) {
        return value(chain(image, topic, topicConfig).get(0), topicConfig);
    }

    /** The log settings of a topic (or the broker-wide defaults when {@code topic} is null). */
    LogConfig logConfig(MetadataImage image, String topic) {
        Map<String, String> effective = new HashMap<>();
        for (String name : TopicConfigs.names()) {
            String value = effectiveValue(image, topic, name);
            if (value != null) {
                effective.put(name, value);
            }
        }
        return LogConfig.fromProperties(effective, LogConfig.DEFAULTS);
    }

    /** The broker-level value of a dynamic broker setting, for DescribeConfigs on a broker. */
    static boolean isDynamic(String brokerKey) {
        return BrokerDynamicConfigs.isDynamic(brokerKey);
    }
}
