package io.herald.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Offset commits checked against generations, simple commits, deletion, expiry, and replay of the records. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OffsetsTest {
    private final ShardHarness h = new ShardHarness(ShardHarness.config(0));
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private Errors commit(String group, String memberId, int generation, long offset) {
        OffsetCommitRequestData data = new OffsetCommitRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation);
        data.topics()
                .add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(TP.topic())
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(TP.partition())
                                .setCommittedOffset(offset)
                                .setCommittedLeaderEpoch(3)
                                .setCommittedMetadata("m"))));
        Effects fx = new Effects();
        OffsetCommitResponseData response = h.shard.offsets.commit(data, (short) 9, h.clock.millis(), fx);
        h.run(fx);
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    private Long committed(ShardHarness harness, String group) {
        CommittedOffset o = harness.shard.offsets.fetch(group, List.of(TP)).get(TP);
        return o == null ? null : o.offset();
    }

    @Test
    void aSimpleCommitCreatesAnEmptyGroupAndIsFetchedBack() {
        assertThat(commit("simple", "", -1, 42)).isEqualTo(Errors.NONE);
        assertThat(committed(h, "simple")).isEqualTo(42);
        assertThat(h.shard.groups.get("simple").stateName()).isEqualTo("Empty");
        assertThat(committed(h.reloaded(), "simple")).isEqualTo(42);
    }

    @Test
    void commitsAreCheckedAgainstTheMemberAndGeneration() {
        String a = h.joinNew("g", "range").join().memberId();
        h.sync("g", a, 1, new byte[0]).join();
        assertThat(commit("g", a, 0, 5)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commit("g", "stranger", 1, 5)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit("g", "", -1, 5)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(committed(h, "g")).isNull();
        assertThat(commit("g", a, 1, 7)).isEqualTo(Errors.NONE);
        assertThat(committed(h, "g")).isEqualTo(7);
        assertThat(commit("unknown", "m", 3, 1)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionAndThenTheGroupGoes() {
        commit("simple", "", -1, 42);
        h.advanceMs(30_000);
        assertThat(committed(h, "simple")).isEqualTo(42);
        h.advanceMs(31_000); // retention is 60 s, checked every second
        assertThat(committed(h, "simple")).isNull();
        assertThat(h.shard.groups).doesNotContainKey("simple");
        assertThat(h.reloaded().shard.groups).doesNotContainKey("simple");
    }

    @Test
    void deletedOffsetsAndGroupsStayDeletedAfterReplay() {
        commit("a", "", -1, 1);
        commit("b", "", -1, 2);
        Effects fx = new Effects();
        OffsetDeleteRequestData delete = new OffsetDeleteRequestData().setGroupId("a");
        OffsetDeleteRequestData.OffsetDeleteRequestTopic topic =
                new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("t");
        topic.partitions().add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0));
        delete.topics().add(topic);
        h.shard.offsets.delete(delete, fx);
        assertThat(h.shard.admin.delete("b", fx)).isEqualTo(Errors.NONE);
        assertThat(h.shard.admin.delete("nope", fx)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        h.run(fx);
        ShardHarness loaded = h.reloaded();
        assertThat(committed(loaded, "a")).isNull();
        assertThat(loaded.shard.groups).doesNotContainKey("b");
    }

    @Test
    void aCommitWithItsOwnRetentionExpiresByIt() {
        OffsetCommitRequestData data = new OffsetCommitRequestData()
                .setGroupId("own")
                .setMemberId("")
                .setGenerationIdOrMemberEpoch(-1)
                .setRetentionTimeMs(5_000);
        data.topics()
                .add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setName(TP.topic())
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(TP.partition())
                                .setCommittedOffset(9))));
        Effects fx = new Effects();
        h.shard.offsets.commit(data, (short) 4, h.clock.millis(), fx);
        h.run(fx);
        assertThat(committed(h.reloaded(), "own")).isEqualTo(9);
        h.advanceMs(4_000);
        assertThat(committed(h, "own")).isEqualTo(9);
        h.advanceMs(1_001);
        assertThat(committed(h, "own")).isNull();
    }

    @Test
    void offsetsOfADeletedTopicGo() {
        commit("simple", "", -1, 42);
        Effects fx = new Effects();
        h.shard.offsets.deleteTopics(java.util.Set.of("t"), fx);
        h.run(fx);
        assertThat(committed(h, "simple")).isNull();
        assertThat(committed(h.reloaded(), "simple")).isNull();
    }

    @Test
    void offsetsOfAGroupWithUnreadableSubscriptionsStayAndCannotBeDeleted() {
        String a = h.joinNew("g", "range").join().memberId(); // its metadata is not a consumer subscription
        h.sync("g", a, 1, new byte[0]).join();
        commit("g", a, 1, 7);
        for (int i = 0; i < 16; i++) {
            h.advanceMs(4_000); // past the 60 s retention, heartbeating within the 5 s session
            heartbeat(a);
        }
        assertThat(h.classic("g").members).containsOnlyKeys(a);
        assertThat(committed(h, "g")).isEqualTo(7);
        OffsetDeleteRequestData delete = new OffsetDeleteRequestData().setGroupId("g");
        Effects fx = new Effects();
        assertThat(Errors.forCode(h.shard.offsets.delete(delete, fx).errorCode()))
                .isEqualTo(Errors.NON_EMPTY_GROUP);
    }

    private void heartbeat(String memberId) {
        h.shard.membership.heartbeat("g", memberId, null, 1, h.clock.millis());
    }

    @Test
    void aGroupWithMembersCannotBeDeleted() {
        h.joinNew("g", "range").join();
        Effects fx = new Effects();
        assertThat(h.shard.admin.delete("g", fx)).isEqualTo(Errors.NON_EMPTY_GROUP);
    }
}
