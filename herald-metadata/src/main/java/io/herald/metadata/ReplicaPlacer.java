package io.herald.metadata;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;

/**
 * Spreads the replicas of new partitions over the live brokers: partition p's replicas are the brokers starting at
 * (start + p) in id order, so leaders and replicas rotate evenly. Pure: the caller picks {@code start} (at random, as
 * Kafka does, so topics don't all lead on the same broker).
 */
public final class ReplicaPlacer {
    private ReplicaPlacer() {}

    public static List<List<Integer>> place(
            int firstPartition, int partitionCount, short replicationFactor, List<Integer> liveBrokerIds, int start) {
        if (replicationFactor > liveBrokerIds.size()) {
            throw new InvalidReplicationFactorException("Unable to replicate the partition " + replicationFactor
                    + " time(s): The target replication factor of " + replicationFactor
                    + " cannot be reached because only " + liveBrokerIds.size() + " broker(s) are registered.");
        }
        List<Integer> brokers = liveBrokerIds.stream().sorted().toList();
        int n = brokers.size();
        List<List<Integer>> assignments = new ArrayList<>(partitionCount);
        for (int p = firstPartition; p < firstPartition + partitionCount; p++) {
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            for (int r = 0; r < replicationFactor; r++) {
                replicas.add(brokers.get(Math.floorMod(start + p + r, n)));
            }
            assignments.add(replicas);
        }
        return assignments;
    }
}
