package io.herald.network;

import io.herald.protocol.QuotaRate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.config.ConfigException;

/**
 * Kafka's connection limits, counted for the listeners they govern (the broker's): {@code max.connections} and
 * {@code listener.name.X.max.connections} (accepting pauses at the limit, KIP-402), {@code max.connections.per.ip}
 * with {@code max.connections.per.ip.overrides} (a connection over the limit is closed at once),
 * {@code max.connection.creation.rate} broker-wide and per listener (accepting pauses for the throttle time, KIP-612),
 * and the {@code ip} entities' {@code connection_creation_rate} quotas (a connection over its IP's rate is closed after
 * the throttle time, so a client cannot reconnect in a tight loop). The inter-broker listener is exempt from the
 * broker-wide limits. All counts change under this object's lock; gates run on their listener's acceptor thread.
 */
public final class ConnectionLimits {
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = "max.connections.per.ip.overrides";
    public static final String MAX_CONNECTION_CREATION_RATE = "max.connection.creation.rate";
    public static final String QUOTA_WINDOW_NUM = "quota.window.num";
    public static final String QUOTA_WINDOW_SIZE_SECONDS = "quota.window.size.seconds";
    private static final String LISTENER_PREFIX = "listener.name.";

    /** The {@code ip} entities' {@code connection_creation_rate} quota for an address, from the metadata image. */
    public interface IpQuotas {
        IpQuotas NONE = address -> OptionalDouble.empty();

        OptionalDouble connectionCreationRate(InetAddress address);
    }

    /** What happens to a new connection. */
    sealed interface Admission {
        record Accept() implements Admission {}

        record Reject(String reason) implements Admission {}

        record CloseAfter(long delayMs, String reason) implements Admission {}
    }

    private final Set<String> governed;
    private final String interBrokerListener;
    private final int maxConnections;
    private final Map<String, Integer> maxConnectionsByListener;
    private final int maxPerIp;
    private final Map<InetAddress, Integer> maxPerIpOverrides;
    private final double maxCreationRate;
    private final Map<String, Double> maxCreationRateByListener;
    private final IpQuotas ipQuotas;
    private final int windowNum;
    private final long windowSizeMs;
    private final Map<String, Integer> countByListener = new HashMap<>();
    private final Map<InetAddress, Integer> countByIp = new HashMap<>();
    private final Map<String, QuotaRate> creationByListener = new HashMap<>();
    private final Map<InetAddress, QuotaRate> creationByIp = new HashMap<>();
    private final QuotaRate brokerCreation;
    private final List<Runnable> gates = new CopyOnWriteArrayList<>();
    private int brokerCount;

    private ConnectionLimits(
            Set<String> governed, String interBrokerListener, Map<String, String> properties, IpQuotas ipQuotas) {
        this.governed = Set.copyOf(governed);
        // With a single listener, brokers and clients share it and the broker-wide limits must hold (as Kafka).
        this.interBrokerListener = governed.size() > 1 ? interBrokerListener : null;
        this.maxConnections = intValue(properties, MAX_CONNECTIONS, Integer.MAX_VALUE);
        this.maxPerIp = intValue(properties, MAX_CONNECTIONS_PER_IP, Integer.MAX_VALUE);
        this.maxPerIpOverrides = overrides(properties.getOrDefault(MAX_CONNECTIONS_PER_IP_OVERRIDES, ""));
        this.maxCreationRate = intValue(properties, MAX_CONNECTION_CREATION_RATE, Integer.MAX_VALUE);
        Map<String, Integer> byListener = new HashMap<>();
        Map<String, Double> rateByListener = new HashMap<>();
        for (String listener : governed) {
            String prefix = LISTENER_PREFIX + listener.toLowerCase(Locale.ROOT) + ".";
            byListener.put(listener, intValue(properties, prefix + MAX_CONNECTIONS, Integer.MAX_VALUE));
            rateByListener.put(
                    listener, (double) intValue(properties, prefix + MAX_CONNECTION_CREATION_RATE, Integer.MAX_VALUE));
        }
        this.maxConnectionsByListener = Map.copyOf(byListener);
        this.maxCreationRateByListener = Map.copyOf(rateByListener);
        this.ipQuotas = ipQuotas;
        this.windowNum = intValue(properties, QUOTA_WINDOW_NUM, 11);
        this.windowSizeMs = 1000L * intValue(properties, QUOTA_WINDOW_SIZE_SECONDS, 1);
        this.brokerCreation = new QuotaRate(windowNum, windowSizeMs);
    }

    /** The limits configured in {@code properties} (Kafka's names), for the {@code governed} listeners. */
    public static ConnectionLimits create(
            Map<String, String> properties, Set<String> governed, String interBrokerListener, IpQuotas ipQuotas) {
        return new ConnectionLimits(governed, interBrokerListener, properties, ipQuotas);
    }

    /** No limits on any listener. */
    public static ConnectionLimits none() {
        return new ConnectionLimits(Set.of(), null, Map.of(), IpQuotas.NONE);
    }

    boolean governs(String listener) {
        return governed.contains(listener);
    }

    /** Counts a new connection of {@code address} on {@code listener}, or says why it is refused. */
    synchronized Admission admit(String listener, InetAddress address, long nowMs) {
        int ipCount = countByIp.getOrDefault(address, 0);
        int ipLimit = maxPerIpOverrides.getOrDefault(address, maxPerIp);
        if (ipCount >= ipLimit) {
            return new Admission.Reject(address.getHostAddress() + " already has " + ipCount + " connections ("
                    + MAX_CONNECTIONS_PER_IP + " " + ipLimit + ")");
        }
        countByIp.put(address, ipCount + 1);
        countByListener.merge(listener, 1, Integer::sum);
        if (!listener.equals(interBrokerListener)) {
            brokerCount++;
        }
        OptionalDouble ipRate = ipQuotas.connectionCreationRate(address);
        if (ipRate.isPresent()) {
            long throttleMs = creationByIp
                    .computeIfAbsent(address, a -> new QuotaRate(windowNum, windowSizeMs))
                    .recordAndThrottleMs(1, ipRate.getAsDouble(), nowMs);
            if (throttleMs > 0) {
                return new Admission.CloseAfter(
                        throttleMs,
                        address.getHostAddress() + " is over its connection_creation_rate quota of "
                                + ipRate.getAsDouble() + "/s");
            }
        }
        return new Admission.Accept();
    }

    /** A counted connection closed. */
    void release(String listener, InetAddress address) {
        synchronized (this) {
            countByIp.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
            countByListener.computeIfPresent(listener, (l, n) -> n <= 1 ? null : n - 1);
            if (!listener.equals(interBrokerListener)) {
                brokerCount--;
            }
            creationByIp.values().removeIf(rate -> rate.lastRecordMs() < System.currentTimeMillis() - expiryMs());
        }
        gates.forEach(Runnable::run);
    }

    /** True when {@code listener} may not accept more connections now (its own or the broker-wide limit). */
    synchronized boolean atCapacity(String listener) {
        if (countByListener.getOrDefault(listener, 0)
                >= maxConnectionsByListener.getOrDefault(listener, Integer.MAX_VALUE)) {
            return true;
        }
        return !listener.equals(interBrokerListener) && brokerCount >= maxConnections;
    }

    /** Records an accepted connection's creation; returns how long {@code listener} should pause accepting. */
    synchronized long creationThrottleMs(String listener, long nowMs) {
        long listenerThrottle = creationByListener
                .computeIfAbsent(listener, l -> new QuotaRate(windowNum, windowSizeMs))
                .recordAndThrottleMs(1, maxCreationRateByListener.getOrDefault(listener, Double.MAX_VALUE), nowMs);
        if (listener.equals(interBrokerListener)) {
            return listenerThrottle;
        }
        return Math.max(listenerThrottle, brokerCreation.recordAndThrottleMs(1, maxCreationRate, nowMs));
    }

    /** Runs {@code gate} whenever a connection closes (a paused listener may accept again). */
    void addGate(Runnable gate) {
        gates.add(gate);
    }

    private long expiryMs() {
        return Math.max(3_600_000L, windowNum * windowSizeMs);
    }

    private static int intValue(Map<String, String> properties, String name, int defaultValue) {
        String value = properties.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        int min = name.startsWith("quota.") ? 1 : 0;
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min) {
                throw new ConfigException(name, value, "must be at least " + min);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(name, value, "not an integer");
        }
    }

    /** {@code host:count,ip:count} as Kafka's {@code max.connections.per.ip.overrides}. */
    private static Map<InetAddress, Integer> overrides(String value) {
        Map<InetAddress, Integer> parsed = new HashMap<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.lastIndexOf(':');
            try {
                if (colon <= 0) {
                    throw new NumberFormatException("no count");
                }
                int count = Integer.parseInt(entry.substring(colon + 1).trim());
                if (count < 0) {
                    throw new NumberFormatException("negative");
                }
                parsed.put(InetAddress.getByName(entry.substring(0, colon).trim()), count);
            } catch (NumberFormatException | UnknownHostException e) {
                throw new ConfigException(
                        MAX_CONNECTIONS_PER_IP_OVERRIDES, value, "expects host:count entries (" + entry.trim() + ")");
            }
        }
        return Map.copyOf(parsed);
    }
}
