package io.herald.metadata;

import java.util.ArrayList;
import java.util.List;

/**
 * One partition's replica set, in-sync replicas and leadership, as the metadata image knows it. While a reassignment
 * is in progress (KIP-455, as KRaft records it) {@code replicas} is the target replicas followed by the ones being
 * removed, {@code addingReplicas} the target replicas that were not replicas before and {@code removingReplicas} the
 * replicas that are not in the target.
 */
public record PartitionRegistration(
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch,
        List<Integer> addingReplicas,
        List<Integer> removingReplicas) {
    public static final int NO_LEADER = -1;

    public PartitionRegistration {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A partition with no reassignment in progress. */
    public PartitionRegistration(
            List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch) {
        this(replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
    }

    /** Whether a reassignment is in progress. */
    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    /** The replicas the partition will have once its reassignment completes (its replicas when none is going on). */
    public List<Integer> targetReplicas() {
        if (removingReplicas.isEmpty()) {
            return replicas;
        }
        List<Integer> target = new ArrayList<>(replicas);
        target.removeAll(removingReplicas);
        return List.copyOf(target);
    }
}
