package io.herald.metadata;

import java.util.List;

/** One partition's replica set, in-sync replicas and leadership, as the metadata image knows it. */
public record PartitionRegistration(
        List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch) {
    public static final int NO_LEADER = -1;

    public PartitionRegistration {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
