package io.herald.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.PartitionChanges.IsrMember;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class PartitionChangesTest {
    private static final PartitionRegistration P =
            new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2, 3), 1, 5, 9);
    private static final IntPredicate ALL = b -> true;

    private static IntPredicate except(Integer... brokers) {
        Set<Integer> out = Set.of(brokers);
        return b -> !out.contains(b);
    }

    @Test
    void removingTheLeaderElectsTheNextIsrMemberAndBumpsBothEpochs() {
        PartitionRegistration next =
                PartitionChanges.removeFromIsr(P, Set.of(1), except(1), false).orElseThrow();
        assertThat(next.leader()).isEqualTo(2);
        assertThat(next.isr()).containsExactly(2, 3);
        assertThat(next.leaderEpoch()).isEqualTo(6);
        assertThat(next.partitionEpoch()).isEqualTo(10);
        assertThat(next.replicas()).isEqualTo(P.replicas());
    }

    @Test
    void removingAFollowerShrinksTheIsrAndBumpsOnlyThePartitionEpoch() {
        PartitionRegistration next =
                PartitionChanges.removeFromIsr(P, Set.of(3), except(3), false).orElseThrow();
        assertThat(next.leader()).isEqualTo(1);
        assertThat(next.isr()).containsExactly(1, 2);
        assertThat(next.leaderEpoch()).isEqualTo(5);
        assertThat(next.partitionEpoch()).isEqualTo(10);
    }

    @Test
    void removingABrokerOutsideTheIsrChangesNothing() {
        PartitionRegistration p = new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2), 1, 5, 9);
        assertThat(PartitionChanges.removeFromIsr(p, Set.of(3), except(3), false))
                .isEmpty();
    }

    @Test
    void theLastIsrMemberStaysInTheIsrWithoutALeader() {
        PartitionRegistration p = new PartitionRegistration(List.of(1, 2, 3), List.of(1), 1, 5, 9);
        PartitionRegistration next =
                PartitionChanges.removeFromIsr(p, Set.of(1), except(1), false).orElseThrow();
        assertThat(next.leader()).isEqualTo(PartitionRegistration.NO_LEADER);
        assertThat(next.isr()).containsExactly(1);
        assertThat(next.leaderEpoch()).isEqualTo(6);
        assertThat(next.partitionEpoch()).isEqualTo(10);
    }

    @Test
    void severalLeavingBrokersAtOnceKeepTheIsrNonEmpty() {
        PartitionRegistration next = PartitionChanges.removeFromIsr(P, Set.of(1, 2, 3), except(1, 2, 3), false)
                .orElseThrow();
        assertThat(next.leader()).isEqualTo(PartitionRegistration.NO_LEADER);
        assertThat(next.isr()).containsExactly(1, 2, 3);
    }

    @Test
    void uncleanElectionPicksALiveReplicaOutsideTheIsrOnlyWhenAllowed() {
        PartitionRegistration p = new PartitionRegistration(List.of(1, 2, 3), List.of(1), 1, 5, 9);
        assertThat(PartitionChanges.removeFromIsr(p, Set.of(1), except(1, 2), false)
                        .orElseThrow()
                        .leader())
                .isEqualTo(-1);
        PartitionRegistration unclean =
                PartitionChanges.removeFromIsr(p, Set.of(1), except(1, 2), true).orElseThrow();
        assertThat(unclean.leader()).isEqualTo(3);
        assertThat(unclean.isr()).containsExactly(3);
        assertThat(unclean.leaderEpoch()).isEqualTo(6);
    }

    @Test
    void uncleanElectionStillPrefersACleanLeader() {
        PartitionRegistration next =
                PartitionChanges.removeFromIsr(P, Set.of(1), except(1), true).orElseThrow();
        assertThat(next.leader()).isEqualTo(2);
        assertThat(next.isr()).containsExactly(2, 3);
    }

    @Test
    void aLeaderlessPartitionGetsTheReturningIsrMember() {
        PartitionRegistration p = new PartitionRegistration(List.of(1, 2, 3), List.of(2), -1, 6, 10);
        PartitionRegistration next =
                PartitionChanges.electIfLeaderless(p, ALL, false).orElseThrow();
        assertThat(next.leader()).isEqualTo(2);
        assertThat(next.isr()).containsExactly(2);
        assertThat(next.leaderEpoch()).isEqualTo(7);
        assertThat(PartitionChanges.electIfLeaderless(p, except(2), false)).isEmpty();
        assertThat(PartitionChanges.electIfLeaderless(P, ALL, false)).isEmpty();
    }

    @Test
    void aShuttingDownReplicaIsNeverElected() {
        PartitionRegistration p = new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2), -1, 6, 10);
        assertThat(PartitionChanges.electIfLeaderless(p, except(1), false)
                        .orElseThrow()
                        .leader())
                .isEqualTo(2);
    }

    @Test
    void preferredElectionMovesLeadershipToTheFirstReplicaWhenItIsInTheIsrAndLive() {
        PartitionRegistration p = new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2, 3), 2, 5, 9);
        PartitionRegistration next = PartitionChanges.electPreferred(p, ALL).orElseThrow();
        assertThat(next.leader()).isEqualTo(1);
        assertThat(next.leaderEpoch()).isEqualTo(6);
        assertThat(PartitionChanges.hasPreferredLeader(next)).isTrue();
        assertThat(PartitionChanges.electPreferred(p, except(1))).isEmpty();
        PartitionRegistration notInIsr = new PartitionRegistration(List.of(1, 2, 3), List.of(2, 3), 2, 5, 9);
        assertThat(PartitionChanges.electPreferred(notInIsr, ALL)).isEmpty();
        assertThat(PartitionChanges.electPreferred(P, ALL)).isEmpty();
    }

    @Test
    void isrExpansionKeepsTheLeaderAndItsEpoch() {
        PartitionRegistration p = new PartitionRegistration(List.of(1, 2, 3), List.of(1), 1, 5, 9);
        PartitionRegistration next =
                PartitionChanges.changeIsr(p, List.of(1, 2), ALL).orElseThrow();
        assertThat(next.isr()).containsExactly(1, 2);
        assertThat(next.leader()).isEqualTo(1);
        assertThat(next.leaderEpoch()).isEqualTo(5);
        assertThat(next.partitionEpoch()).isEqualTo(10);
        assertThat(PartitionChanges.changeIsr(next, List.of(1, 2), ALL)).isEmpty();
    }

    @Test
    void anIsrChangeByALeaderThatMayNoLongerLeadElectsAnother() {
        PartitionRegistration next =
                PartitionChanges.changeIsr(P, List.of(1, 2), except(1)).orElseThrow();
        assertThat(next.leader()).isEqualTo(2);
        assertThat(next.leaderEpoch()).isEqualTo(6);
    }

    private static PartitionChanges.BrokerStates brokers(Map<Integer, Long> epochs, IntPredicate acceptable) {
        return new PartitionChanges.BrokerStates() {
            @Override
            public long epoch(int brokerId) {
                return epochs.getOrDefault(brokerId, -1L);
            }

            @Override
            public boolean acceptable(int brokerId) {
                return acceptable.test(brokerId);
            }
        };
    }

    private static final PartitionChanges.BrokerStates LIVE = brokers(Map.of(1, 100L, 2, 200L, 3, 300L), ALL);

    private static Errors validate(int requester, int leaderEpoch, int partitionEpoch, List<IsrMember> isr) {
        return validate(requester, leaderEpoch, partitionEpoch, isr, LIVE);
    }

    private static Errors validate(
            int requester,
            int leaderEpoch,
            int partitionEpoch,
            List<IsrMember> isr,
            PartitionChanges.BrokerStates states) {
        return PartitionChanges.validateAlterPartition(P, requester, leaderEpoch, partitionEpoch, isr, states);
    }

    private static List<IsrMember> isr(int... brokers) {
        return java.util.Arrays.stream(brokers)
                .mapToObj(b -> new IsrMember(b, -1))
                .toList();
    }

    @Test
    void alterPartitionValidationFollowsKafkasChecksInOrder() {
        assertThat(validate(1, 5, 9, isr(1, 2))).isEqualTo(Errors.NONE);
        assertThat(validate(1, 6, 9, isr(1, 2))).isEqualTo(Errors.NOT_CONTROLLER);
        assertThat(validate(1, 5, 10, isr(1, 2))).isEqualTo(Errors.NOT_CONTROLLER);
        assertThat(validate(1, 4, 9, isr(1, 2))).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(validate(2, 4, 8, isr(1, 2))).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(validate(2, 5, 9, isr(1, 2))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(validate(1, 5, 8, isr(1, 2))).isEqualTo(Errors.INVALID_UPDATE_VERSION);
        assertThat(validate(1, 5, 9, isr(1, 4))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(validate(1, 5, 9, isr(1, 1))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(validate(1, 5, 9, isr(2, 3))).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void alterPartitionRefusesIneligibleReplicas() {
        assertThat(validate(1, 5, 9, isr(1, 3), brokers(Map.of(1, 100L, 2, 200L), ALL)))
                .as("unregistered")
                .isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(validate(1, 5, 9, isr(1, 3), brokers(Map.of(1, 100L, 2, 200L, 3, 300L), except(3))))
                .as("fenced or shutting down")
                .isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(validate(1, 5, 9, List.of(new IsrMember(1, 100), new IsrMember(3, 299))))
                .as("stale broker epoch")
                .isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(validate(1, 5, 9, List.of(new IsrMember(1, 100), new IsrMember(3, 300))))
                .isEqualTo(Errors.NONE);
    }

    @Test
    void nextIsEmptyWithoutAChange() {
        assertThat(PartitionChanges.next(P, P.isr(), P.leader())).isEqualTo(Optional.empty());
    }
}
