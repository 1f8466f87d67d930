package io.herald.tools.topics;

import java.util.Set;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Decides which describe lines to print: the report flags ({@code --under-replicated-partitions} and friends) show
 * only matching partitions and hide topic lines; {@code --topics-with-overrides} shows only topic lines.
 */
final class DescribeFilter {
    private final TopicsOptions opts;
    private final Set<Integer> liveBrokers;

    DescribeFilter(TopicsOptions opts, Set<Integer> liveBrokers) {
        this.opts = opts;
        this.liveBrokers = liveBrokers;
    }

    boolean describeConfigs() {
        return !opts.has("unavailable-partitions")
                && !opts.has("under-replicated-partitions")
                && !opts.has("under-min-isr-partitions")
                && !opts.has("at-min-isr-partitions");
    }

    boolean describePartitions() {
        return !opts.has("topics-with-overrides");
    }

    boolean shouldPrint(TopicPartitionInfo p, PartitionReassignment ra, Config config) {
        if (describeConfigs()) {
            return true;
        }
        boolean hasLeader = p.leader() != null;
        int isr = p.isr().size();
        return (opts.has("under-replicated-partitions") && replicationFactor(p, ra) - isr > 0)
                || (opts.has("unavailable-partitions")
                        && (!hasLeader || !liveBrokers.contains(p.leader().id())))
                || (opts.has("under-min-isr-partitions") && (!hasLeader || isr < minIsr(config)))
                || (opts.has("at-min-isr-partitions") && isr == minIsr(config));
    }

    private static int minIsr(Config config) {
        ConfigEntry entry = config.get("min.insync.replicas");
        return entry == null || entry.value() == null ? 1 : Integer.parseInt(entry.value());
    }

    /** While a reassignment is moving replicas, the replication factor excludes the replicas being added. */
    static int replicationFactor(TopicPartitionInfo p, PartitionReassignment ra) {
        if (ra != null) {
            boolean moving = p.replicas().stream()
                    .map(Node::id)
                    .anyMatch(id -> ra.addingReplicas().contains(id)
                            || ra.removingReplicas().contains(id));
            if (moving) {
                return ra.replicas().size() - ra.addingReplicas().size();
            }
        }
        return p.replicas().size();
    }
}
