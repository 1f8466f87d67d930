package io.herald.broker;

import io.herald.metadata.BrokerEndpoint;
import io.herald.storage.LogManagerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/** What the broker role needs from the server configuration, typed. */
public record BrokerSettings(
        int nodeId,
        String clusterId,
        List<BrokerEndpoint> advertisedEndpoints,
        List<InetSocketAddress> controllers,
        String rack,
        List<Path> logDirs,
        long heartbeatIntervalMs,
        long requestTimeoutMs,
        boolean autoCreateTopics,
        int numPartitions,
        short defaultReplicationFactor,
        LogManagerConfig logManagerConfig,
        StaticConfigs staticConfigs) {

    /**
     * The server's configuration file as DescribeConfigs shows it: the properties given, the definitions of the keys
     * Herald reads, and the broker-wide topic defaults they imply (topic config name to value).
     */
    public record StaticConfigs(
            Map<String, String> properties,
            Map<String, ConfigDef.ConfigKey> definitions,
            Map<String, String> topicDefaults) {
        public StaticConfigs {
            properties = Map.copyOf(properties);
            definitions = Map.copyOf(definitions);
            topicDefaults = Map.copyOf(topicDefaults);
        }

        public static StaticConfigs empty() {
            return new StaticConfigs(Map.of(), Map.of(), Map.of());
        }
    }

    public BrokerSettings {
        advertisedEndpoints = List.copyOf(advertisedEndpoints);
        controllers = List.copyOf(controllers);
        logDirs = List.copyOf(logDirs);
        if (controllers.isEmpty()) {
            throw new IllegalArgumentException("a broker needs at least one controller to talk to");
        }
    }
}
