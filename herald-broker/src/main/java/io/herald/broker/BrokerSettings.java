package io.herald.broker;

import io.herald.metadata.BrokerEndpoint;
import io.herald.storage.LogManagerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

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
        int minInsyncReplicas,
        LogManagerConfig logManagerConfig) {

    public BrokerSettings {
        advertisedEndpoints = List.copyOf(advertisedEndpoints);
        controllers = List.copyOf(controllers);
        logDirs = List.copyOf(logDirs);
        if (controllers.isEmpty()) {
            throw new IllegalArgumentException("a broker needs at least one controller to talk to");
        }
    }
}
