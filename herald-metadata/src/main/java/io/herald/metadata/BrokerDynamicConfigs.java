package io.herald.metadata;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Broker settings that change without a restart, cluster-wide or per broker: the broker-wide defaults of topic configs
 * (log.retention.ms, message.max.bytes, ...) and a few capacity settings, as Kafka's dynamic broker configs.
 */
public final class BrokerDynamicConfigs {
    private static final Set<String> NAMES = collectNames();

    private BrokerDynamicConfigs() {}

    private static Set<String> collectNames() {
        Set<String> names = new TreeSet<>();
        for (String topicConfig : TopicConfigs.names()) {
            TopicConfigs.definition(topicConfig).ifPresent(d -> names.add(d.brokerSynonym()));
        }
        names.addAll(List.of(
                "log.retention.hours",
                "log.retention.minutes",
                "log.roll.hours",
                "log.cleaner.threads",
                "log.cleaner.dedupe.buffer.size",
                "log.cleaner.io.max.bytes.per.second",
                "num.io.threads",
                "num.network.threads",
                "num.recovery.threads.per.data.dir",
                "max.connections",
                // Replication throttles (kafka-reassign-partitions sets and clears them); no effect until replication.
                "leader.replication.throttled.rate",
                "follower.replication.throttled.rate",
                "replica.alter.log.dirs.io.max.bytes.per.second"));
        return Collections.unmodifiableSet(names);
    }

    public static Set<String> names() {
        return NAMES;
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
