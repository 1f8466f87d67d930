package io.herald.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.metadata.PartitionChanges.Elr;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** KIP-966's rules in {@link PartitionChanges}: three replicas, min.insync.replicas 2. */
class EligibleLeaderReplicasTest {
    private static final Elr ON = new Elr(true, 2);
    private static final PartitionRegistration P =
            new PartitionRegistration(List.of(1, 2, 3), List.of(1, 2, 3), 1, 5, 9);

    private static IntPredicate except(Integer... brokers) {
        Set<Integer> out = Set.of(brokers);
        return b -> !out.contains(b);
    }

    @Test
    void replicasLeavingAnIsrBelowMinIsrBecomeEligibleAndTheIsrMayEmpty() {
        PartitionRegistration two = PartitionChanges.removeFromIsr(P, Set.of(3), except(3), false, ON)
                .orElseThrow();
        assertThat(two.isr()).containsExactly(1, 2);
        assertThat(two.elr()).as("the ISR is still at min ISR").isEmpty();

        PartitionRegistration one = PartitionChanges.removeFromIsr(two, Set.of(2), except(2, 3), false, ON)
                .orElseThrow();
        assertThat(one.isr()).containsExactly(1);
        assertThat(one.elr()).containsExactly(2);

        PartitionRegistration none = PartitionChanges.removeFromIsr(one, Set.of(1), except(1, 2, 3), false, ON)
                .orElseThrow();
        assertThat(none.isr()).as("the last member leaves the ISR too").isEmpty();
        assertThat(none.elr()).containsExactly(1, 2);
        assertThat(none.leader()).isEqualTo(PartitionRegistration.NO_LEADER);
        assertThat(none.leaderEpoch()).isEqualTo(6);
        assertThat(none.lastKnownElr()).isEmpty();
    }

    @Test
    void withoutElrTheLastIsrMemberStays() {
        PartitionRegistration one = new PartitionRegistration(List.of(1, 2, 3), List.of(1), 1, 5, 9);
        PartitionRegistration none = PartitionChanges.removeFromIsr(one, Set.of(1), except(1, 2, 3), false, Elr.OFF)
                .orElseThrow();
        assertThat(none.isr()).containsExactly(1);
        assertThat(none.elr()).isEmpty();
        assertThat(none.leader()).isEqualTo(PartitionRegistration.NO_LEADER);
    }

    @Test
    void aLeaderlessPartitionElectsTheFirstLiveEligibleReplicaAloneInTheIsr() {
        PartitionRegistration leaderless = new PartitionRegistration(
                List.of(1, 2, 3), List.of(), -1, 6, 12, List.of(), List.of(), List.of(1, 2), List.of());
        assertThat(PartitionChanges.electIfLeaderless(leaderless, except(1, 2, 3), false, ON))
                .as("every eligible replica is fenced")
                .isEmpty();
        PartitionRegistration elected = PartitionChanges.electIfLeaderless(leaderless, except(1, 3), false, ON)
                .orElseThrow();
        assertThat(elected.leader()).isEqualTo(2);
        assertThat(elected.isr()).containsExactly(2);
        assertThat(elected.elr())
                .as("the other eligible replica stays eligible")
                .containsExactly(1);
        assertThat(elected.leaderEpoch()).isEqualTo(7);
        assertThat(elected.partitionEpoch()).isEqualTo(13);
        assertThat(PartitionChanges.electIfLeaderless(leaderless, except(1, 3), false, Elr.OFF))
                .as("without ELR nobody outside the (empty) ISR is elected")
                .isEmpty();
    }

    @Test
    void anIsrBackAtMinIsrClearsTheEligibleReplicas() {
        PartitionRegistration one = new PartitionRegistration(
                List.of(1, 2, 3), List.of(2), 2, 7, 13, List.of(), List.of(), List.of(1), List.of());
        PartitionRegistration grown =
                PartitionChanges.changeIsr(one, List.of(2, 3), b -> true, ON).orElseThrow();
        assertThat(grown.isr()).containsExactly(2, 3);
        assertThat(grown.elr()).isEmpty();
        PartitionRegistration rejoined = PartitionChanges.changeIsr(one, List.of(2, 1), b -> true, new Elr(true, 3))
                .orElseThrow();
        assertThat(rejoined.elr())
                .as("an eligible replica that rejoins the ISR leaves the eligible set")
                .isEmpty();
        assertThat(rejoined.isr()).containsExactly(2, 1);
    }
}
