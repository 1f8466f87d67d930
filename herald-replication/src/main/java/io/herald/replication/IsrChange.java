package io.herald.replication;

import java.util.List;

/**
 * A proposed in-sync replica set for one partition, to be decided by the controller (Kafka's AlterPartition): the
 * leader epoch and partition epoch it was proposed against, so a stale proposal is refused.
 */
public record IsrChange(List<Integer> isr, int leaderEpoch, int partitionEpoch) {
    public IsrChange {
        isr = List.copyOf(isr);
    }
}
