package io.herald.metadata;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigException;

/**
 * Broker settings that change without a restart, cluster-wide or per broker, as {@link BrokerConfigs} records Kafka's
 * update modes: the broker-wide defaults of topic configs (log.retention.ms, message.max.bytes, ...), capacity and
 * security settings. As in Kafka, only a topic config's primary broker key is dynamic (log.retention.ms, not
 * log.retention.hours), and a per-broker config is refused at the cluster-wide default.
 */
public final class BrokerDynamicConfigs {
    private static final Set<String> NAMES = collectNames();

    /** Dynamic keys a feature applies live, beyond topic defaults and listener stores. */
    private static final Set<String> APPLIED_WHILE_RUNNING =
            Set.of("leader.replication.throttled.rate", "follower.replication.throttled.rate");

    /** Key and trust stores of one listener, which Kafka reloads on a per-broker update (never cluster-wide). */
    private static final Pattern LISTENER_STORE = Pattern.compile(
            "listener\\.name\\.[^.]+\\.ssl\\.(keystore\\.(location|password|type|key|certificate\\.chain)"
                    + "|key\\.password|truststore\\.(location|password|type|certificates))");

    private BrokerDynamicConfigs() {}

    private static Set<String> collectNames() {
        Set<String> names = new TreeSet<>();
        BrokerConfigs.definitions().values().stream()
                .filter(BrokerConfigs.Definition::isDynamic)
                .forEach(d -> names.add(d.name()));
        return Collections.unmodifiableSet(names);
    }

    /**
     * Checks a broker setting's value against its type and bounds; keys the registry does not define are not checked.
     *
     * @throws ConfigException naming the key and value, in Kafka's words
     */
    public static void validateCapacity(String key, String value) {
        if (BrokerConfigs.definition(key).isPresent()) {
            BrokerConfigs.validate(key, value);
        }
    }

    public static Set<String> names() {
        return NAMES;
    }

    /** Whether a broker key may change without a restart: {@link #names()} and a listener's TLS stores. */
    public static boolean isDynamic(String key) {
        return NAMES.contains(key) || isListenerStore(key);
    }

    /** Whether a key may only be set for one broker, never as the cluster-wide default (Kafka's per-broker mode). */
    public static boolean isPerBrokerOnly(String key) {
        return isListenerStore(key)
                || BrokerConfigs.definition(key)
                        .map(d -> d.updateMode() == BrokerConfigs.UpdateMode.PER_BROKER)
                        .orElse(false);
    }

    /**
     * Whether a running broker applies a dynamic change of this key: the broker-wide topic defaults (the log settings
     * follow them; unclean.leader.election.enable is one, which the controller reads too), a listener's TLS stores and
     * the replication throttle rates. Other dynamic
     * keys are stored and described, and the broker logs that it does not apply them. A feature that applies a key
     * live adds it here.
     */
    public static boolean isAppliedWhileRunning(String key) {
        return topicConfigOf(key).isPresent() || isListenerStore(key) || APPLIED_WHILE_RUNNING.contains(key);
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
