package io.herald.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** KIP-848 consumer groups with a manual clock: epochs, revocation before reassignment, fencing, static members. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConsumerGroupsTest {
    private final ShardHarness h = new ShardHarness(ShardHarness.config(0));
    private final Uuid topic = h.topic("t", 6);

    private ConsumerGroupHeartbeatResponseData heartbeat(
            String memberId, int epoch, Map<Uuid, Set<Integer>> owned, String instanceId) {
        ConsumerGroupHeartbeatRequestData req = new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g")
                .setMemberId(memberId)
                .setMemberEpoch(epoch)
                .setInstanceId(instanceId)
                .setRebalanceTimeoutMs(5_000)
                .setSubscribedTopicNames(epoch == 0 ? List.of("t") : null);
        if (owned != null) {
            List<ConsumerGroupHeartbeatRequestData.TopicPartitions> list = new ArrayList<>();
            owned.forEach((id, ps) -> list.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                    .setTopicId(id)
                    .setPartitions(new ArrayList<>(ps))));
            req.setTopicPartitions(list);
        }
        Effects fx = new Effects();
        ConsumerGroupHeartbeatResponseData response =
                h.shard.consumer.heartbeat(req, "client", "/127.0.0.1", h.clock.millis(), fx);
        h.run(fx);
        return response;
    }

    private static Map<Uuid, Set<Integer>> owned(ConsumerGroupHeartbeatResponseData response) {
        Map<Uuid, Set<Integer>> owned = new TreeMap<>();
        response.assignment().topicPartitions().forEach(tp -> owned.computeIfAbsent(tp.topicId(), k -> new TreeSet<>())
                .addAll(tp.partitions()));
        return owned;
    }

    private static int count(Map<Uuid, Set<Integer>> partitions) {
        return partitions.values().stream().mapToInt(Set::size).sum();
    }

    @Test
    void aSecondMemberGetsPartitionsOnlyAfterTheFirstRevokedThem() {
        ConsumerGroupHeartbeatResponseData a = heartbeat("a", 0, Map.of(), null);
        assertThat(a.memberEpoch()).isEqualTo(1);
        Map<Uuid, Set<Integer>> aOwned = owned(a);
        assertThat(count(aOwned)).isEqualTo(6);

        ConsumerGroupHeartbeatResponseData b = heartbeat("b", 0, Map.of(), null);
        assertThat(b.memberEpoch()).isEqualTo(2);
        assertThat(count(owned(b))).isZero(); // everything is still a's

        ConsumerGroupHeartbeatResponseData aRevoke = heartbeat("a", 1, aOwned, null);
        assertThat(aRevoke.memberEpoch()).isEqualTo(1); // epoch waits for the revocation
        Map<Uuid, Set<Integer>> aKept = owned(aRevoke);
        assertThat(count(aKept)).isEqualTo(3);
        assertThat(count(owned(heartbeat("b", 2, Map.of(), null)))).isZero();

        ConsumerGroupHeartbeatResponseData aDone = heartbeat("a", 1, aKept, null);
        assertThat(aDone.memberEpoch()).isEqualTo(2);
        ConsumerGroupHeartbeatResponseData bNow = heartbeat("b", 2, Map.of(), null);
        assertThat(count(owned(bNow))).isEqualTo(3);
        assertThat(h.shard.groups.get("g").stateName()).isEqualTo("Stable");
    }

    @Test
    void aStaleEpochIsFencedAndAnUnknownMemberRefused() {
        heartbeat("a", 0, Map.of(), null);
        assertThatThrownBy(() -> heartbeat("a", 7, null, null)).isInstanceOf(FencedMemberEpochException.class);
        assertThatThrownBy(() -> heartbeat("x", 1, null, null)).isInstanceOf(UnknownMemberIdException.class);
    }

    @Test
    void aMemberWhoseSessionExpiresIsFencedAndItsPartitionsMove() {
        Map<Uuid, Set<Integer>> aOwned = owned(heartbeat("a", 0, Map.of(), null));
        heartbeat("b", 0, Map.of(), null);
        Map<Uuid, Set<Integer>> aKept = owned(heartbeat("a", 1, aOwned, null));
        heartbeat("a", 1, aKept, null);
        Map<Uuid, Set<Integer>> bOwned = owned(heartbeat("b", 2, Map.of(), null));
        assertThat(count(bOwned)).isEqualTo(3);
        for (int i = 0; i < 6; i++) {
            h.advanceMs(2_000);
            heartbeat("b", 2, null, null);
        }
        assertThat(h.shard.groups.get("g") instanceof ConsumerGroup g ? g.members.keySet() : null)
                .containsOnly("b");
        ConsumerGroupHeartbeatResponseData b = heartbeat("b", 2, bOwned, null);
        assertThat(b.memberEpoch()).isEqualTo(3);
        assertThat(count(owned(b))).isEqualTo(6);
    }

    @Test
    void aStaticMemberThatReturnsTakesBackItsPartitionsWithoutANewEpoch() {
        ConsumerGroupHeartbeatResponseData a = heartbeat("a1", 0, Map.of(), "instance");
        Map<Uuid, Set<Integer>> aOwned = owned(a);
        heartbeat("a1", 1, aOwned, "instance");
        heartbeat("a1", ConsumerGroups.STATIC_LEAVE_EPOCH, null, "instance");
        ConsumerGroupHeartbeatResponseData back = heartbeat("a2", 0, Map.of(), "instance");
        assertThat(back.memberEpoch()).isEqualTo(1);
        assertThat(owned(back)).isEqualTo(aOwned);
        assertThat(((ConsumerGroup) h.shard.groups.get("g")).groupEpoch).isEqualTo(1);
    }

    @Test
    void aRegexSubscriptionFollowsTopicsAsTheyAreCreated() {
        h.topic("other", 3);
        h.topic("__internal", 3);
        ConsumerGroupHeartbeatRequestData join = new ConsumerGroupHeartbeatRequestData()
                .setGroupId("g")
                .setMemberId("r")
                .setMemberEpoch(0)
                .setRebalanceTimeoutMs(5_000)
                .setSubscribedTopicRegex("t.*")
                .setTopicPartitions(List.of());
        Effects fx = new Effects();
        ConsumerGroupHeartbeatResponseData joined =
                h.shard.consumer.heartbeat(join, "client", "/127.0.0.1", h.clock.millis(), fx);
        h.run(fx);
        assertThat(owned(joined)).containsOnlyKeys(topic);
        Uuid t2 = h.topic("t2", 2);
        ConsumerGroupHeartbeatResponseData later = heartbeat("r", joined.memberEpoch(), owned(joined), null);
        assertThat(later.memberEpoch()).isGreaterThan(joined.memberEpoch());
        assertThat(owned(later)).containsOnlyKeys(topic, t2);
        assertThat(count(owned(later))).isEqualTo(8);
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsFenced() {
        Map<Uuid, Set<Integer>> aOwned = owned(heartbeat("a", 0, Map.of(), null));
        heartbeat("b", 0, Map.of(), null);
        heartbeat("a", 1, aOwned, null); // told to revoke half; keeps reporting all six
        for (int i = 0; i < 4; i++) {
            h.advanceMs(1_000);
            heartbeat("a", 1, aOwned, null);
            heartbeat("b", 2, Map.of(), null);
        }
        assertThat(((ConsumerGroup) h.shard.groups.get("g")).members).containsOnlyKeys("a", "b");
        h.advanceMs(1_001); // its 5 s rebalance timeout is over
        assertThat(((ConsumerGroup) h.shard.groups.get("g")).members).containsOnlyKeys("b");
        assertThat(count(owned(heartbeat("b", 2, Map.of(), null)))).isEqualTo(6);
    }

    @Test
    void anEmptyClassicGroupBecomesAConsumerGroupForGood() {
        h.join(ShardHarness.joinRequest("g", "", null, "range")).join(); // a pending member only
        h.shard.groups.put("g", new ClassicGroup("g", h.clock.millis()));
        Effects fx = new Effects();
        fx.write(GroupRecords.classicGroup((ClassicGroup) h.shard.groups.get("g")));
        h.run(fx);
        heartbeat("a", 0, Map.of(), null);
        assertThat(h.shard.groups.get("g")).isInstanceOf(ConsumerGroup.class);
        assertThat(h.reloaded().shard.groups.get("g")).isInstanceOf(ConsumerGroup.class);
        assertThat(h.written).contains(GroupRecords.groupTombstone(GroupRecords.CLASSIC_GROUP, "g"));
    }

    private Errors commit(String memberId, int epoch, short version) {
        OffsetCommitRequestData data = new OffsetCommitRequestData()
                .setGroupId("g")
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(epoch);
        data.topics()
                .add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName("t")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(1))));
        Effects fx = new Effects();
        var response = h.shard.offsets.commit(data, version, h.clock.millis(), fx);
        h.run(fx);
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    @Test
    void commitsOfAConsumerGroupAreCheckedAgainstTheMemberEpoch() {
        Map<Uuid, Set<Integer>> aOwned = owned(heartbeat("a", 0, Map.of(), null));
        heartbeat("b", 0, Map.of(), null);
        Map<Uuid, Set<Integer>> aKept = owned(heartbeat("a", 1, aOwned, null));
        heartbeat("a", 1, aKept, null); // a moves to epoch 2
        assertThat(commit("a", 2, (short) 9)).isEqualTo(Errors.NONE);
        // The previous epoch is fenced as in Kafka: a zombie must not overwrite the new owner's offsets.
        assertThat(commit("a", 1, (short) 9)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(commit("a", 3, (short) 9)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(commit("x", 2, (short) 9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit("a", 2, (short) 8)).isEqualTo(Errors.UNSUPPORTED_VERSION);
        assertThat(commit("", -1, (short) 9)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void offsetsOfTopicsTheGroupNoLongerConsumesExpireWhileItHasMembers() {
        heartbeat("a", 0, Map.of(), null);
        assertThat(commit("a", 1, (short) 9)).isEqualTo(Errors.NONE);
        OffsetCommitRequestData other =
                new OffsetCommitRequestData().setGroupId("g").setMemberId("a").setGenerationIdOrMemberEpoch(1);
        other.topics()
                .add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName("gone")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0)
                                .setCommittedOffset(5))));
        Effects fx = new Effects();
        h.shard.offsets.commit(other, (short) 9, h.clock.millis(), fx);
        h.run(fx);
        for (int i = 0; i < 7; i++) {
            h.advanceMs(9_000); // retention is 60 s; the member keeps heartbeating
            heartbeat("a", 1, null, null);
        }
        var left = h.shard.offsets.fetch("g", null);
        assertThat(left.keySet())
                .extracting(org.apache.kafka.common.TopicPartition::topic)
                .containsExactly("t");
    }

    @Test
    void aStaticMemberThatLeftAndDoesNotReturnIsRemovedAfterItsSession() {
        Map<Uuid, Set<Integer>> aOwned = owned(heartbeat("a1", 0, Map.of(), "instance"));
        heartbeat("b", 0, Map.of(), null);
        heartbeat("a1", 1, aOwned, "instance");
        heartbeat("a1", ConsumerGroups.STATIC_LEAVE_EPOCH, null, "instance");
        ConsumerGroup group = (ConsumerGroup) h.shard.groups.get("g");
        assertThat(group.members).containsKeys("a1", "b"); // still holds its partitions
        for (int i = 0; i < 6; i++) {
            h.advanceMs(2_000);
            heartbeat("b", group.members.get("b").memberEpoch, null, null);
        }
        assertThat(group.members).containsOnlyKeys("b");
        assertThat(count(owned(heartbeat("b", group.members.get("b").memberEpoch, Map.of(), null))))
                .isEqualTo(6);
    }

    @Test
    void aReloadedShardKeepsMembersEpochsAndAssignments() {
        Map<Uuid, Set<Integer>> aOwned = owned(heartbeat("a", 0, Map.of(), null));
        ShardHarness loaded = h.reloaded();
        ConsumerGroup g = (ConsumerGroup) loaded.shard.groups.get("g");
        assertThat(g.members.get("a").memberEpoch).isEqualTo(1);
        assertThat(g.members.get("a").assigned).isEqualTo(aOwned);
    }
}
