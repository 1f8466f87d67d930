package io.herald.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The reassignment rules of {@link PartitionChanges} (KIP-455 as KRaft applies them). */
class PartitionReassignmentTest {
    private static final IntPredicate ALL = b -> true;
    private static final PartitionRegistration P =
            new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2, 3), 1, 5, 9);

    @Test
    void startingRecordsTheUnionTargetFirstWithAddingAndRemovingAndBumpsOnlyThePartitionEpoch() {
        PartitionRegistration next =
                PartitionChanges.reassign(P, List.of(4, 1, 2), ALL).orElseThrow();
        assertThat(next.replicas()).containsExactly(4, 1, 2, 3);
        assertThat(next.addingReplicas()).containsExactly(4);
        assertThat(next.removingReplicas()).containsExactly(3);
        assertThat(next.isr()).containsExactly(1, 2, 3);
        assertThat(next.leader()).isEqualTo(1);
        assertThat(next.leaderEpoch()).isEqualTo(5);
        assertThat(next.partitionEpoch()).isEqualTo(10);
        assertThat(next.isReassigning()).isTrue();
        assertThat(next.targetReplicas()).containsExactly(4, 1, 2);
    }

    @Test
    void completesOnceEveryAddingReplicaIsInTheIsrDroppingTheRemovedOnesAndBumpingTheLeaderEpoch() {
        PartitionRegistration moving =
                PartitionChanges.reassign(P, List.of(4, 1, 2), ALL).orElseThrow();
        PartitionRegistration done =
                PartitionChanges.changeIsr(moving, List.of(1, 2, 3, 4), ALL).orElseThrow();
        assertThat(done.replicas()).containsExactly(4, 1, 2);
        assertThat(done.isr()).containsExactly(1, 2, 4);
        assertThat(done.leader()).isEqualTo(1);
        assertThat(done.isReassigning()).isFalse();
        assertThat(done.leaderEpoch()).as("a replica left the replica set").isEqualTo(6);
        assertThat(done.partitionEpoch()).isEqualTo(11);
    }

    @Test
    void doesNotCompleteWhileAnAddingReplicaIsMissingFromTheIsr() {
        PartitionRegistration moving =
                PartitionChanges.reassign(P, List.of(4, 5, 1), ALL).orElseThrow();
        PartitionRegistration half =
                PartitionChanges.changeIsr(moving, List.of(1, 2, 3, 4), ALL).orElseThrow();
        assertThat(half.isReassigning()).isTrue();
        assertThat(half.replicas()).containsExactly(4, 5, 1, 2, 3);
        assertThat(half.isr()).containsExactly(1, 2, 3, 4);
        assertThat(half.leaderEpoch()).isEqualTo(5);
        PartitionRegistration done =
                PartitionChanges.changeIsr(half, List.of(1, 2, 3, 4, 5), ALL).orElseThrow();
        assertThat(done.replicas()).containsExactly(4, 5, 1);
        assertThat(done.isr()).containsExactly(1, 4, 5);
    }

    @Test
    void aRemovedLeaderHandsLeadershipToTheFirstTargetReplicaInTheIsr() {
        PartitionRegistration single = new PartitionRegistration(List.of(1), List.of(1), 1, 0, 0);
        PartitionRegistration moving =
                PartitionChanges.reassign(single, List.of(2, 3, 4), ALL).orElseThrow();
        assertThat(moving.replicas()).containsExactly(2, 3, 4, 1);
        assertThat(moving.addingReplicas()).containsExactly(2, 3, 4);
        assertThat(moving.removingReplicas()).containsExactly(1);
        PartitionRegistration done =
                PartitionChanges.changeIsr(moving, List.of(1, 4, 3, 2), ALL).orElseThrow();
        assertThat(done.replicas()).containsExactly(2, 3, 4);
        assertThat(done.isr()).containsExactly(4, 3, 2);
        assertThat(done.leader()).isEqualTo(2);
        assertThat(done.leaderEpoch()).isEqualTo(1);
        assertThat(done.partitionEpoch()).isEqualTo(2);
    }

    @Test
    void theRemovedLeaderGivesWayToAnAcceptableTargetReplicaOnly() {
        PartitionRegistration moving = PartitionChanges.reassign(
                        new PartitionRegistration(List.of(1), List.of(1), 1, 0, 0), List.of(2, 3), ALL)
                .orElseThrow();
        IntPredicate twoFenced = b -> b != 2;
        PartitionRegistration done =
                PartitionChanges.changeIsr(moving, List.of(1, 2, 3), twoFenced).orElseThrow();
        assertThat(done.leader()).isEqualTo(3);
    }

    @Test
    void shrinkingTheReplicaSetCompletesAtOnce() {
        PartitionRegistration done =
                PartitionChanges.reassign(P, List.of(2, 3), ALL).orElseThrow();
        assertThat(done.isReassigning()).isFalse();
        assertThat(done.replicas()).containsExactly(2, 3);
        assertThat(done.isr()).containsExactly(2, 3);
        assertThat(done.leader()).isEqualTo(2);
        assertThat(done.leaderEpoch()).isEqualTo(6);
    }

    @Test
    void aRemovalWaitsWhileNoTargetReplicaIsInTheIsr() {
        PartitionRegistration p = new PartitionRegistration(List.of(1, 2), List.of(1), 1, 0, 0);
        PartitionRegistration moving =
                PartitionChanges.reassign(p, List.of(2), ALL).orElseThrow();
        assertThat(moving.isReassigning()).isTrue();
        assertThat(moving.removingReplicas()).containsExactly(1);
        assertThat(moving.addingReplicas()).isEmpty();
        PartitionRegistration done =
                PartitionChanges.changeIsr(moving, List.of(1, 2), ALL).orElseThrow();
        assertThat(done.replicas()).containsExactly(2);
        assertThat(done.isr()).containsExactly(2);
        assertThat(done.leader()).isEqualTo(2);
    }

    @Test
    void growingTheReplicationFactorAddsWithoutRemoving() {
        PartitionRegistration single = new PartitionRegistration(List.of(1), List.of(1), 1, 0, 0);
        PartitionRegistration moving =
                PartitionChanges.reassign(single, List.of(1, 2, 3), ALL).orElseThrow();
        assertThat(moving.replicas()).containsExactly(1, 2, 3);
        assertThat(moving.removingReplicas()).isEmpty();
        PartitionRegistration done =
                PartitionChanges.changeIsr(moving, List.of(1, 2, 3), ALL).orElseThrow();
        assertThat(done.isReassigning()).isFalse();
        assertThat(done.leaderEpoch()).as("nothing left the replica set").isEqualTo(0);
    }

    @Test
    void theCurrentReplicasAsTargetChangeNothing() {
        assertThat(PartitionChanges.reassign(P, List.of(1, 2, 3), ALL)).isEmpty();
    }

    @Test
    void aNewTargetReplacesTheOneInProgressAgainstTheFullReplicaList() {
        PartitionRegistration moving =
                PartitionChanges.reassign(P, List.of(4, 1, 2), ALL).orElseThrow();
        PartitionRegistration replaced =
                PartitionChanges.reassign(moving, List.of(5, 1, 2), ALL).orElseThrow();
        assertThat(replaced.replicas()).containsExactly(5, 1, 2, 4, 3);
        assertThat(replaced.addingReplicas()).containsExactly(5);
        assertThat(replaced.removingReplicas()).containsExactly(4, 3);
    }

    @Test
    void cancellingRevertsToTheOriginalReplicas() {
        PartitionRegistration moving =
                PartitionChanges.reassign(P, List.of(4, 5, 1), ALL).orElseThrow();
        PartitionRegistration half =
                PartitionChanges.changeIsr(moving, List.of(1, 2, 3, 4), ALL).orElseThrow();
        assertThat(PartitionChanges.revertNeedsUnclean(half)).isFalse();
        PartitionRegistration reverted = PartitionChanges.cancel(half, ALL).orElseThrow();
        assertThat(reverted.replicas()).containsExactly(1, 2, 3);
        assertThat(reverted.isr()).containsExactly(1, 2, 3);
        assertThat(reverted.leader()).isEqualTo(1);
        assertThat(reverted.isReassigning()).isFalse();
        assertThat(reverted.leaderEpoch()).as("the added replicas left").isEqualTo(6);
    }

    @Test
    void cancellingWhenOnlyAddedReplicasAreInSyncNeedsAnUncleanElection() {
        PartitionRegistration moving =
                new PartitionRegistration(List.of(4, 1), List.of(4), 4, 3, 7, List.of(4), List.of(1));
        assertThat(PartitionChanges.revertNeedsUnclean(moving)).isTrue();
        PartitionRegistration reverted = PartitionChanges.cancel(moving, ALL).orElseThrow();
        assertThat(reverted.replicas()).containsExactly(1);
        assertThat(reverted.isr()).containsExactly(1);
        assertThat(reverted.leader()).isEqualTo(1);
    }

    @Test
    void cancellingNothingChangesNothing() {
        assertThat(PartitionChanges.cancel(P, ALL)).isEmpty();
    }

    @Test
    void fencingARemovingLeaderDuringAReassignmentCanCompleteIt() {
        PartitionRegistration moving =
                new PartitionRegistration(List.of(2, 1), List.of(1, 2), 1, 3, 7, List.of(), List.of(1));
        PartitionRegistration next = PartitionChanges.removeFromIsr(moving, Set.of(1), b -> b != 1, false)
                .orElseThrow();
        assertThat(next.replicas()).containsExactly(2);
        assertThat(next.leader()).isEqualTo(2);
    }

    @Test
    void theRecordsRoundTripTheReassignmentState() {
        PartitionRegistration moving =
                new PartitionRegistration(List.of(4, 1, 2, 3), List.of(1, 2, 3), 1, 5, 10, List.of(4), List.of(3));
        Uuid topic = Uuid.randomUuid();
        MetadataRecord record = MetadataRecord.Partition.of(topic, 0, moving);
        List<MetadataRecord> decoded = MetadataRecordCodec.decode(MetadataRecordCodec.encode(List.of(record)));
        assertThat(decoded).containsExactly(record);
        assertThat(((MetadataRecord.Partition) decoded.get(0)).registration()).isEqualTo(moving);
    }
}
