package io.herald.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The classic protocol's transitions with a manual clock: join, sync, heartbeat, leave, expiry, static members. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClassicGroupsTest {
    private final ShardHarness h = new ShardHarness(ShardHarness.config(0));

    private Errors heartbeat(String group, String memberId, int generation) {
        return h.shard.membership.heartbeat(group, memberId, null, generation, h.clock.millis());
    }

    @Test
    void newMemberFirstGetsItsIdThenBecomesLeaderOfGenerationOne() {
        JoinGroupResponseData first =
                h.join(ShardHarness.joinRequest("g", "", null, "range")).join();
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith("client-");

        JoinGroupResponseData joined = h.join(ShardHarness.joinRequest("g", first.memberId(), null, "range"))
                .join();
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(first.memberId());
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.members()).hasSize(1);
        assertThat(h.classic("g").stateName()).isEqualTo("CompletingRebalance");

        SyncGroupResponseData synced =
                h.sync("g", first.memberId(), 1, new byte[] {7}).join();
        assertThat(synced.assignment()).containsExactly(7);
        assertThat(h.classic("g").stateName()).isEqualTo("Stable");
        assertThat(heartbeat("g", first.memberId(), 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void secondMemberRebalancesTheGroupAndBothGetTheNextGeneration() {
        String a = h.joinNew("g", "range").join().memberId();
        h.sync("g", a, 1, new byte[] {1}).join();

        CompletableFuture<JoinGroupResponseData> b = h.joinNew("g", "range");
        assertThat(b).isNotDone();
        assertThat(heartbeat("g", a, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        JoinGroupResponseData aJoined =
                h.join(ShardHarness.joinRequest("g", a, null, "range")).join();
        assertThat(b).isDone();
        assertThat(aJoined.generationId()).isEqualTo(2);
        assertThat(b.join().generationId()).isEqualTo(2);
        assertThat(aJoined.leader()).isEqualTo(a);
        assertThat(aJoined.members()).hasSize(2);
        assertThat(b.join().members()).isEmpty();

        CompletableFuture<SyncGroupResponseData> follower = h.sync("g", b.join().memberId(), 2, null);
        assertThat(follower).isNotDone();
        h.sync("g", a, 2, new byte[] {1});
        assertThat(follower).isDone();
        assertThat(heartbeat("g", a, 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(heartbeat("g", "nobody", 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberWithoutHeartbeatsExpiresAfterItsSessionAndTheGroupGoesOn() {
        String a = h.joinNew("g", "range").join().memberId();
        h.sync("g", a, 1, new byte[0]).join();
        CompletableFuture<JoinGroupResponseData> bJoin = h.joinNew("g", "range");
        h.join(ShardHarness.joinRequest("g", a, null, "range")).join();
        assertThat(bJoin.join().generationId()).isEqualTo(2);
        h.sync("g", a, 2, new byte[0]).join();
        h.sync("g", bJoin.join().memberId(), 2, null).join();

        h.advanceMs(3_000);
        assertThat(heartbeat("g", a, 2)).isEqualTo(Errors.NONE);
        h.advanceMs(2_500); // b's 5 s session is over, a heartbeated 2.5 s ago
        assertThat(h.classic("g").members).containsOnlyKeys(a);
        assertThat(h.classic("g").stateName()).isEqualTo("PreparingRebalance");
        assertThat(heartbeat("g", a, 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData rejoined =
                h.join(ShardHarness.joinRequest("g", a, null, "range")).join();
        assertThat(rejoined.generationId()).isEqualTo(3);
        assertThat(rejoined.members()).hasSize(1);
    }

    @Test
    void theJoinPhaseEndsAtTheRebalanceTimeoutWithoutMembersThatDidNotRejoin() {
        String a = h.joinNew("g", "range").join().memberId();
        h.sync("g", a, 1, new byte[0]).join();
        CompletableFuture<JoinGroupResponseData> b = h.joinNew("g", "range");
        // a keeps heartbeating but never rejoins: after its 10 s rebalance timeout it is dropped.
        for (int i = 0; i < 4; i++) {
            h.advanceMs(2_000);
            heartbeat("g", a, 1);
        }
        assertThat(b).isNotDone();
        h.advanceMs(2_001);
        assertThat(b.join().generationId()).isEqualTo(2);
        assertThat(h.classic("g").members).containsOnlyKeys(b.join().memberId());
    }

    @Test
    void aRetriedJoinAnswersTheEarlierOneSoNoRequestHangs() {
        ShardHarness delayed = new ShardHarness(ShardHarness.config(3_000));
        JoinGroupResponseData id =
                delayed.join(ShardHarness.joinRequest("g", "", null, "range")).join();
        CompletableFuture<JoinGroupResponseData> first =
                delayed.join(ShardHarness.joinRequest("g", id.memberId(), null, "range"));
        CompletableFuture<JoinGroupResponseData> retry =
                delayed.join(ShardHarness.joinRequest("g", id.memberId(), null, "range"));
        assertThat(Errors.forCode(first.join().errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(retry).isNotDone();
        delayed.advanceMs(3_001);
        assertThat(retry.join().generationId()).isEqualTo(1);
    }

    @Test
    void aLeaderThatNeverSyncsIsRemovedAfterTheRebalanceTimeout() {
        String a = h.joinNew("g", "range").join().memberId();
        h.sync("g", a, 1, new byte[0]).join();
        CompletableFuture<JoinGroupResponseData> bJoin = h.joinNew("g", "range");
        h.join(ShardHarness.joinRequest("g", a, null, "range")).join(); // a stays the leader of generation 2
        String b = bJoin.join().memberId();
        CompletableFuture<SyncGroupResponseData> bSync = h.sync("g", b, 2, null);
        assertThat(bSync).isNotDone(); // waits for the leader's assignment, which never comes
        for (int i = 0; i < 4; i++) {
            h.advanceMs(2_000);
            heartbeat("g", a, 2);
            heartbeat("g", b, 2);
        }
        assertThat(bSync).isNotDone();
        h.advanceMs(2_001); // the 10 s rebalance timeout is over
        assertThat(h.classic("g").members).containsOnlyKeys(b);
        assertThat(Errors.forCode(bSync.join().errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void theInitialRebalanceDelayWaitsForMoreMembers() {
        ShardHarness delayed = new ShardHarness(ShardHarness.config(3_000));
        CompletableFuture<JoinGroupResponseData> a = delayed.joinNew("g", "range");
        delayed.advanceMs(2_000);
        CompletableFuture<JoinGroupResponseData> b = delayed.joinNew("g", "range");
        delayed.advanceMs(2_000);
        assertThat(a).isNotDone();
        delayed.advanceMs(1_001);
        assertThat(a.join().generationId()).isEqualTo(1);
        assertThat(b.join().generationId()).isEqualTo(1);
        assertThat(a.join().members().size() + b.join().members().size()).isEqualTo(2);
    }

    @Test
    void aJoinWithNoProtocolInCommonIsRefusedAndTheGroupGoesOn() {
        String a = h.joinNew("g", "range").join().memberId();
        h.sync("g", a, 1, new byte[0]).join();
        JoinGroupResponseData refused =
                h.join(ShardHarness.joinRequest("g", "", null, "roundrobin")).join();
        assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(heartbeat("g", a, 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void theGroupRefusesMembersBeyondItsMaximumSize() {
        for (int i = 0; i < 3; i++) {
            h.join(ShardHarness.joinRequest("g", "", null, "range")).join();
        }
        JoinGroupResponseData fourth =
                h.join(ShardHarness.joinRequest("g", "", null, "range")).join();
        assertThat(Errors.forCode(fourth.errorCode())).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
    }

    @Test
    void theLastMemberLeavingEmptiesTheGroupInANewGeneration() {
        String a = h.joinNew("g", "range").join().memberId();
        h.sync("g", a, 1, new byte[0]).join();
        Effects fx = new Effects();
        var responses = h.shard.membership.leave(
                "g", List.of(new MemberIdentity().setMemberId(a), new MemberIdentity().setMemberId("x")), 0, fx);
        h.run(fx);
        assertThat(responses)
                .extracting(r -> Errors.forCode(r.errorCode()))
                .containsExactly(Errors.NONE, Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.classic("g").stateName()).isEqualTo("Empty");
        assertThat(h.classic("g").generationId).isEqualTo(2);
    }

    @Test
    void aStaticMemberComingBackWithinItsSessionKeepsItsAssignmentWithoutARebalance() {
        JoinGroupResponseData a =
                h.join(ShardHarness.joinRequest("g", "", "instance-a", "range")).join();
        assertThat(Errors.forCode(a.errorCode())).isEqualTo(Errors.NONE);
        h.sync("g", a.memberId(), 1, new byte[] {9}).join();

        JoinGroupResponseData back =
                h.join(ShardHarness.joinRequest("g", "", "instance-a", "range")).join();
        assertThat(back.generationId()).isEqualTo(1);
        assertThat(back.memberId()).isNotEqualTo(a.memberId());
        assertThat(back.skipAssignment()).isTrue();
        assertThat(h.classic("g").stateName()).isEqualTo("Stable");
        assertThat(h.sync("g", back.memberId(), 1, null).join().assignment()).containsExactly(9);
        // The old incarnation is fenced.
        assertThat(h.shard.membership.heartbeat("g", a.memberId(), "instance-a", 1, h.clock.millis()))
                .isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void aReloadedShardHasTheGroupAndItsMembers() {
        String a = h.joinNew("g", "range").join().memberId();
        h.sync("g", a, 1, new byte[] {5}).join();
        ShardHarness loaded = h.reloaded();
        ClassicGroup group = loaded.classic("g");
        assertThat(group.stateName()).isEqualTo("Stable");
        assertThat(group.generationId).isEqualTo(1);
        assertThat(group.members.get(a).assignment).containsExactly(5);
        assertThat(loaded.shard.membership.heartbeat("g", a, null, 1, loaded.clock.millis()))
                .isEqualTo(Errors.NONE);
    }
}
