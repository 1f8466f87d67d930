package io.herald.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderStateTest {
    private static LeaderState leader(List<Integer> isr) {
        return new LeaderState(1, 5, 7, List.of(1, 2, 3), isr, 10, 10, 0);
    }

    @Test
    void highWatermarkWaitsForEveryIsrMember() {
        LeaderState state = leader(List.of(1, 2, 3));
        assertThat(state.leaderAppended(20).highWatermarkMoved()).isFalse();
        assertThat(state.followerFetched(2, 20, 20, 1).highWatermarkMoved()).isFalse();
        LeaderState.Update update = state.followerFetched(3, 15, 20, 1);
        assertThat(update.highWatermarkMoved()).isTrue();
        assertThat(update.highWatermark()).isEqualTo(15);
        // Never backwards, even if a follower reports less (it truncated).
        assertThat(state.followerFetched(3, 12, 20, 2).highWatermark()).isEqualTo(15);
    }

    @Test
    void aSoleLeaderMovesTheHighWatermarkOnAppend() {
        LeaderState state = leader(List.of(1));
        assertThat(state.leaderAppended(42).highWatermark()).isEqualTo(42);
    }

    @Test
    void laggingMembersAreProposedForRemovalOnce() {
        LeaderState state = leader(List.of(1, 2, 3));
        state.followerFetched(2, 10, 10, 100);
        state.followerFetched(3, 10, 10, 100);
        state.followerFetched(2, 10, 30, 20_000); // 2 was caught up at 100, then fell behind
        state.followerFetched(3, 30, 30, 20_000); // 3 keeps up
        assertThat(state.maybeShrink(20_000, 30_000)).isNull();
        IsrChange shrink = state.maybeShrink(30_200, 30_000);
        assertThat(shrink.isr()).containsExactly(1, 3);
        assertThat(shrink.partitionEpoch()).isEqualTo(7);
        assertThat(state.maybeShrink(40_000, 30_000))
                .as("one proposal at a time")
                .isNull();
        // While the shrink is in flight, 2 still holds the high watermark back (maximal ISR).
        assertThat(state.highWatermark()).isEqualTo(10);
        LeaderState.Update committed = state.isrCommitted(List.of(1, 3), 8, 30);
        assertThat(committed.highWatermark()).isEqualTo(30);
        assertThat(state.hasPendingIsrChange()).isFalse();
    }

    @Test
    void aFollowerRejoinsOnceAtTheHighWatermarkAndEpochStart() {
        LeaderState state = leader(List.of(1, 3));
        state.followerFetched(3, 10, 10, 0);
        assertThat(state.followerFetched(2, 5, 10, 1).proposal()).isNull();
        IsrChange grow = state.followerFetched(2, 10, 10, 2).proposal();
        assertThat(grow.isr()).containsExactly(1, 3, 2);
        state.proposalFailed(grow);
        assertThat(state.followerFetched(2, 10, 10, 3).proposal()).isNotNull();
    }

    @Test
    void aStaleCommitIsIgnored() {
        LeaderState state = leader(List.of(1, 2));
        state.isrCommitted(List.of(1), 6, 10);
        assertThat(state.isr()).containsExactly(1, 2);
    }

    @Test
    void divergenceFollowsEpochs() {
        // Leader: epoch 3 ends at 50. A follower that last wrote in epoch 3 up to 60 diverged at 50.
        EpochEnd leaderEnd = new EpochEnd(3, 50);
        assertThat(Divergence.atLeader(3, 60, leaderEnd)).isEqualTo(leaderEnd);
        assertThat(Divergence.atLeader(3, 50, leaderEnd)).isNull();
        // The follower's epoch 4 is unknown to the leader, whose latest earlier epoch is 3.
        assertThat(Divergence.atLeader(4, 55, new EpochEnd(3, 50))).isEqualTo(new EpochEnd(3, 50));
        // Follower has epoch 3 up to 60: cut at 50.
        assertThat(Divergence.truncationOffset(leaderEnd, e -> new EpochEnd(3, 60), 0, 70))
                .isEqualTo(50);
        // Follower never saw epoch 3: its epoch 2 ends at 40, cut there and ask again.
        assertThat(Divergence.truncationOffset(leaderEnd, e -> new EpochEnd(2, 40), 0, 70))
                .isEqualTo(40);
        assertThat(Divergence.truncationOffset(leaderEnd, e -> EpochEnd.UNDEFINED, 5, 70))
                .isEqualTo(5);
    }

    @Test
    void waitersReleaseInOffsetOrder() {
        OffsetWaiters<String> waiters = new OffsetWaiters<>();
        waiters.add(10, "a", 10);
        waiters.add(5, "b", 10);
        waiters.add(20, "c", 10);
        assertThat(waiters.release(4)).isEmpty();
        assertThat(waiters.release(10)).containsExactly("b", "a");
        assertThat(waiters.remove(20, "c")).isTrue();
        assertThat(waiters.size()).isZero();
        waiters.add(1, "d", 1);
        assertThat(waiters.add(1, "e", 1)).isFalse();
    }

    @Test
    void anAddedReplicaHoldsNothingBackUntilItJoinsTheIsr() {
        LeaderState state = leader(List.of(1, 2, 3));
        state.followerFetched(2, 10, 10, 0);
        state.followerFetched(3, 10, 10, 0);
        state.replicasChanged(List.of(1, 2, 3, 4), 0);
        assertThat(state.replicas()).containsExactly(1, 2, 3, 4);
        state.followerFetched(2, 20, 20, 1);
        assertThat(state.followerFetched(3, 20, 20, 1).highWatermark()).isEqualTo(20);
        assertThat(state.followerFetched(4, 20, 20, 2).proposal().isr()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void withEligibleLeaderReplicasTheHighWatermarkStaysWhileTheIsrIsBelowMinIsr() {
        LeaderState state = leader(List.of(1, 2));
        state.holdHighWatermarkBelowMinIsr(2);
        state.followerFetched(2, 20, 20, 1);
        assertThat(state.leaderAppended(20).highWatermark()).isEqualTo(20);
        state.leaderAppended(30);
        LeaderState.Update shrunk = state.isrCommitted(List.of(1), 8, 30);
        assertThat(shrunk.highWatermarkMoved()).as("ISR {1} is below min ISR 2").isFalse();
        assertThat(state.leaderAppended(40).highWatermark()).isEqualTo(20);

        LeaderState unheld = leader(List.of(1, 2));
        unheld.followerFetched(2, 20, 20, 1);
        assertThat(unheld.isrCommitted(List.of(1), 8, 30).highWatermark())
                .as("without the hold a sole leader takes its log end")
                .isEqualTo(30);
    }
}
