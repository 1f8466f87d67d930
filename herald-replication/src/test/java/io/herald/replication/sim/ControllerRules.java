package io.herald.replication.sim;

import io.herald.metadata.PartitionRegistration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.kafka.common.protocol.Errors;

/**
 * The controller's leader and ISR rules as KRaft applies them without eligible leader replicas: a fenced broker leaves
 * the ISR (never emptying it), a leader is the first ISR member in replica order that is alive, never an out-of-sync
 * replica; a leader change bumps the leader epoch and the partition epoch, an ISR change only the partition epoch;
 * AlterPartition is validated in Kafka's order. {@code acceptable} says which brokers are registered and unfenced.
 */
final class ControllerRules {
    private ControllerRules() {}

    static Optional<PartitionRegistration> removeFromIsr(
            PartitionRegistration partition, int leaving, IntPredicate acceptable) {
        List<Integer> isr = new ArrayList<>(partition.isr());
        isr.remove(Integer.valueOf(leaving));
        if (isr.isEmpty()) {
            isr = partition.isr(); // the last member stays: it holds every committed record
        }
        return change(partition, isr, acceptable);
    }

    static Optional<PartitionRegistration> electIfLeaderless(PartitionRegistration partition, IntPredicate acceptable) {
        if (partition.leader() != PartitionRegistration.NO_LEADER) {
            return Optional.empty();
        }
        return change(partition, partition.isr(), acceptable);
    }

    static Optional<PartitionRegistration> change(
            PartitionRegistration partition, List<Integer> isr, IntPredicate acceptable) {
        IntPredicate valid = r -> isr.contains(r) && acceptable.test(r);
        int leader = PartitionRegistration.NO_LEADER;
        if (partition.leader() != PartitionRegistration.NO_LEADER && valid.test(partition.leader())) {
            leader = partition.leader();
        } else {
            for (int replica : partition.replicas()) {
                if (valid.test(replica)) {
                    leader = replica;
                    break;
                }
            }
        }
        boolean leaderChanged = leader != partition.leader();
        if (!leaderChanged && isr.equals(partition.isr())) {
            return Optional.empty();
        }
        int leaderEpoch = leaderChanged ? partition.leaderEpoch() + 1 : partition.leaderEpoch();
        return Optional.of(new PartitionRegistration(
                partition.replicas(), isr, leader, leaderEpoch, partition.partitionEpoch() + 1));
    }

    /** AlterPartition's checks, in Kafka's order. */
    static Errors validateAlterPartition(
            PartitionRegistration partition,
            int requester,
            int leaderEpoch,
            int partitionEpoch,
            List<Integer> newIsr,
            IntPredicate acceptable) {
        if (leaderEpoch > partition.leaderEpoch() || partitionEpoch > partition.partitionEpoch()) {
            return Errors.NOT_CONTROLLER;
        }
        if (leaderEpoch < partition.leaderEpoch()) {
            return Errors.FENCED_LEADER_EPOCH;
        }
        if (requester != partition.leader()) {
            return Errors.INVALID_REQUEST;
        }
        if (partitionEpoch < partition.partitionEpoch()) {
            return Errors.INVALID_UPDATE_VERSION;
        }
        Set<Integer> seen = new HashSet<>();
        for (int member : newIsr) {
            if (!partition.replicas().contains(member) || !seen.add(member)) {
                return Errors.INVALID_REQUEST;
            }
        }
        if (!seen.contains(partition.leader())) {
            return Errors.INVALID_REQUEST;
        }
        for (int member : newIsr) {
            if (!acceptable.test(member)) {
                return Errors.INELIGIBLE_REPLICA;
            }
        }
        return Errors.NONE;
    }
}
