package io.herald.broker;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * One side of the inter-broker replication throttle, as Kafka applies it: a byte rate (the dynamic broker config
 * {@code leader.replication.throttled.rate} or {@code follower.replication.throttled.rate}) shared by the partitions
 * this broker is listed for in the topic config {@code leader.replication.throttled.replicas} or
 * {@code follower.replication.throttled.replicas} ({@code partition:broker} entries, or {@code *} for every replica).
 * The rate is measured over {@code replication.quota.window.num} windows of
 * {@code replication.quota.window.size.seconds} with kafka-clients' {@link Rate}, so one burst is forgiven within the
 * windows and the long-run rate holds. Thread-safe; the clock is passed in.
 */
final class ReplicationQuota {
    /** No limit: Kafka's default for both rates. */
    static final long UNLIMITED = Long.MAX_VALUE;

    private final String name;
    private final int nodeId;
    private final MetricConfig window;
    private final Rate rate = new Rate();
    private final Map<String, Optional<Set<Integer>>> throttled = new HashMap<>();
    private volatile long bytesPerSecond = UNLIMITED;

    ReplicationQuota(String name, int nodeId, int windows, int windowSeconds) {
        this.name = name;
        this.nodeId = nodeId;
        this.window = new MetricConfig()
                .samples(Math.max(2, windows))
                .timeWindow(Math.max(1, windowSeconds), TimeUnit.SECONDS);
    }

    /** The side's name, for logs: {@code leader} or {@code follower}. */
    String name() {
        return name;
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Sets the rate; null, blank or negative means unlimited (the config was removed). */
    void setRate(String value) {
        long parsed = UNLIMITED;
        if (value != null && !value.isBlank()) {
            try {
                parsed = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                parsed = UNLIMITED;
            }
        }
        bytesPerSecond = parsed < 0 ? UNLIMITED : parsed;
    }

    /**
     * Sets the throttled replicas of {@code topic} from its config value: the partitions listed with this broker's id,
     * all of them for {@code *}, none when the value is null or blank. Malformed entries are skipped (the controller
     * validates the list when it is set).
     */
    synchronized void setReplicas(String topic, String value) {
        if (value == null || value.isBlank()) {
            throttled.remove(topic);
            return;
        }
        if (value.trim().equals("*")) {
            throttled.put(topic, Optional.empty());
            return;
        }
        Set<Integer> partitions = new HashSet<>();
        for (String entry : value.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length != 2) {
                continue;
            }
            try {
                if (Integer.parseInt(parts[1].trim()) == nodeId) {
                    partitions.add(Integer.parseInt(parts[0].trim()));
                }
            } catch (NumberFormatException e) {
                // not a partition:broker entry
            }
        }
        if (partitions.isEmpty()) {
            throttled.remove(topic);
        } else {
            throttled.put(topic, Optional.of(partitions));
        }
    }

    /** Whether this broker's replica of {@code tp} is listed for this side (the rate may still be unlimited). */
    synchronized boolean isThrottled(TopicPartition tp) {
        Optional<Set<Integer>> partitions = throttled.get(tp.topic());
        return partitions != null
                && partitions.map(p -> p.contains(tp.partition())).orElse(true);
    }

    /** Whether the bytes recorded over the windows exceed the rate. */
    synchronized boolean isExceeded(long nowMs) {
        long limit = bytesPerSecond;
        return limit != UNLIMITED && rate.measure(window, nowMs) > limit;
    }

    /** Counts bytes replicated for a throttled partition. */
    synchronized void record(long bytes, long nowMs) {
        if (bytes > 0) {
            rate.record(window, bytes, nowMs);
        }
    }

    /**
     * The most a throttled partition should take in one fetch: one window's worth of the rate (so a large
     * {@code replica.fetch.max.bytes} cannot overshoot a small rate by a whole response), or {@code maxBytes}.
     */
    int bound(int maxBytes) {
        long limit = bytesPerSecond;
        if (limit == UNLIMITED) {
            return maxBytes;
        }
        long perWindow = limit * window.timeWindowMs() / 1000;
        return (int) Math.max(1, Math.min(maxBytes, perWindow));
    }

    /**
     * How long until the measured rate falls back to the limit (0 when it is not above it), at most one window, so a
     * caller that waits this long checks again no later than the oldest bytes leave the measurement.
     */
    synchronized long delayMs(long nowMs) {
        long limit = bytesPerSecond;
        if (limit == UNLIMITED) {
            return 0;
        }
        double measured = rate.measure(window, nowMs);
        if (measured <= limit) {
            return 0;
        }
        if (limit == 0) {
            return window.timeWindowMs();
        }
        // measured = total / elapsed; the rate reaches the limit once total / (elapsed + d) <= limit.
        double elapsedMs = rate.windowSize(window, nowMs);
        long delay = (long) Math.ceil((measured - limit) / limit * elapsedMs);
        return Math.max(1, Math.min(delay, window.timeWindowMs()));
    }
}
