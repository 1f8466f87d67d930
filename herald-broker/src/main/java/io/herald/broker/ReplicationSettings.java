package io.herald.broker;

import io.herald.metadata.BrokerEndpoint;
import io.herald.network.ClientSecurity;
import java.util.List;
import java.util.Map;

/**
 * The replication settings a broker reads, under Kafka's names and with Kafka's defaults; the replica fetchers connect
 * to the inter-broker listener secured as it is configured.
 */
record ReplicationSettings(
        String interBrokerListener,
        long lagTimeMaxMs,
        int fetchWaitMaxMs,
        int fetchMinBytes,
        int fetchMaxBytes,
        int fetchResponseMaxBytes,
        long fetchBackoffMs,
        int numFetchers,
        long socketTimeoutMs,
        int quotaWindows,
        int quotaWindowSeconds,
        ClientSecurity interBrokerSecurity) {

    static ReplicationSettings from(Map<String, String> properties, List<BrokerEndpoint> advertised) {
        String listener = properties.get("inter.broker.listener.name");
        if (listener == null || listener.isBlank()) {
            listener = advertised.stream()
                    .map(BrokerEndpoint::listenerName)
                    .filter("PLAINTEXT"::equals)
                    .findFirst()
                    .orElse(
                            advertised.isEmpty()
                                    ? "PLAINTEXT"
                                    : advertised.get(0).listenerName());
        }
        return new ReplicationSettings(
                listener,
                longValue(properties, "replica.lag.time.max.ms", 30_000),
                (int) longValue(properties, "replica.fetch.wait.max.ms", 500),
                (int) longValue(properties, "replica.fetch.min.bytes", 1),
                (int) longValue(properties, "replica.fetch.max.bytes", 1024 * 1024),
                (int) longValue(properties, "replica.fetch.response.max.bytes", 10 * 1024 * 1024),
                longValue(properties, "replica.fetch.backoff.ms", 1_000),
                (int) Math.max(1, longValue(properties, "num.replica.fetchers", 1)),
                longValue(properties, "replica.socket.timeout.ms", 30_000),
                (int) Math.max(1, longValue(properties, "replication.quota.window.num", 11)),
                (int) Math.max(1, longValue(properties, "replication.quota.window.size.seconds", 1)),
                ClientSecurity.forListener(listener, properties, "sasl.mechanism.inter.broker.protocol"));
    }

    private static long longValue(Map<String, String> properties, String key, long fallback) {
        String value = properties.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value " + value + " for configuration " + key
                    + ": Not a number of type " + (key.endsWith(".ms") ? "LONG" : "INT"));
        }
    }
}
