package io.herald.metadata;

import java.util.ArrayList;
import java.util.List;

/**
 * One partition's replica set, in-sync replicas and leadership, as the metadata image knows it. While a reassignment
 * is in progress (KIP-455, as KRaft records it) {@code replicas} is the target replicas followed by the ones being
 * removed, {@code addingReplicas} the target replicas that were not replicas before and {@code removingReplicas} the
 * replicas that are not in the target. {@code elr} are the eligible leader replicas (KIP-966): replicas out of the ISR
 * that still hold every committed record, electable when the ISR is empty; {@code lastKnownElr} is KIP-966's field of
 * the same name (always empty here: Kafka fills it only for its last-known-leader recovery, off by default).
 */
public record PartitionRegistration(
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch,
        List<Integer> addingReplicas,
        List<Integer> removingReplicas,
        List<Integer> elr,
        List<Integer> lastKnownElr) {
    public static final int NO_LEADER = -1;

    public PartitionRegistration {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
        elr = List.copyOf(elr);
        lastKnownElr = List.copyOf(lastKnownElr);
    }

    /** A partition without eligible leader replicas. */
    public PartitionRegistration(
            List<Integer> replicas,
            List<Integer> isr,
            int leader,
            int leaderEpoch,
            int partitionEpoch,
            List<Integer> addingReplicas,
            List<Integer> removingReplicas) {
        this(
                replicas,
                isr,
                leader,
                leaderEpoch,
                partitionEpoch,
                addingReplicas,
                removingReplicas,
                List.of(),
                List.of());
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
