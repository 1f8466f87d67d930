package io.herald.coordinator;

import io.herald.common.ManualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/** One shard driven by hand: a manual clock, topics in a map, every written record kept, replies run at once. */
final class ShardHarness {
    final ManualClock clock = new ManualClock(1_000_000);
    final Map<String, TopicsView.TopicInfo> topics = new HashMap<>();
    final List<GroupRecord> written = new ArrayList<>();
    final GroupConfig config;
    final GroupShard shard;

    ShardHarness(GroupConfig config) {
        this.config = config;
        TopicsView view = new TopicsView() {
            @Override
            public Optional<TopicInfo> byName(String name) {
                return Optional.ofNullable(topics.get(name));
            }

            @Override
            public java.util.Collection<String> names() {
                return topicNames();
            }

            @Override
            public long version() {
                return topics.hashCode();
            }

            @Override
            public Optional<TopicInfo> byId(Uuid id) {
                return topics.values().stream().filter(t -> t.id().equals(id)).findFirst();
            }
        };
        this.shard = new GroupShard(0, config, view, clock.millis());
    }

    static GroupConfig config(int initialDelayMs) {
        GroupConfig d = GroupConfig.defaults();
        return new GroupConfig(
                1,
                (short) 1,
                d.offsetsTopicSegmentBytes(),
                60_000,
                1_000,
                d.offsetMetadataMaxBytes(),
                1_000,
                d.groupMaxSessionTimeoutMs(),
                initialDelayMs,
                3,
                10_000,
                1_000,
                3,
                d.consumerAssignors());
    }

    java.util.Collection<String> topicNames() {
        return topics.keySet();
    }

    Uuid topic(String name, int partitions) {
        Uuid id = Uuid.randomUuid();
        topics.put(name, new TopicsView.TopicInfo(name, id, partitions));
        return id;
    }

    /** Like the coordinator runtime: records, then replies, then the timers if the event asked for them now. */
    void run(Effects fx) {
        written.addAll(fx.records());
        fx.replies().forEach(Runnable::run);
        if (fx.wakeAtMs() <= clock.millis()) {
            tick();
        }
    }

    void tick() {
        Effects fx = new Effects();
        shard.tick(clock.millis(), fx);
        run(fx);
    }

    void advanceMs(long ms) {
        clock.advanceMs(ms);
        tick();
    }

    static JoinGroupRequestData joinRequest(String group, String memberId, String instanceId, String... protocols) {
        JoinGroupRequestData data = new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGroupInstanceId(instanceId)
                .setProtocolType("consumer")
                .setSessionTimeoutMs(5_000)
                .setRebalanceTimeoutMs(10_000);
        for (String p : protocols) {
            data.protocols()
                    .add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                            .setName(p)
                            .setMetadata(new byte[] {1}));
        }
        return data;
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData data) {
        CompletableFuture<JoinGroupResponseData> result = new CompletableFuture<>();
        Effects fx = new Effects();
        shard.classic.join(
                ClassicGroups.joinOf(data, (short) 9, "client", "/127.0.0.1"), clock.millis(), result::complete, fx);
        run(fx);
        return result;
    }

    /** Joins as a new dynamic member: MEMBER_ID_REQUIRED first, then the real join (which may wait). */
    CompletableFuture<JoinGroupResponseData> joinNew(String group, String... protocols) {
        JoinGroupResponseData first =
                join(joinRequest(group, "", null, protocols)).join();
        return join(joinRequest(group, first.memberId(), null, protocols));
    }

    CompletableFuture<SyncGroupResponseData> sync(String group, String memberId, int generation, byte[] assignment) {
        SyncGroupRequestData data = new SyncGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setGenerationId(generation);
        if (assignment != null) {
            data.assignments()
                    .add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                            .setMemberId(memberId)
                            .setAssignment(assignment));
        }
        CompletableFuture<SyncGroupResponseData> result = new CompletableFuture<>();
        Effects fx = new Effects();
        shard.membership.sync(data, clock.millis(), result::complete, fx);
        run(fx);
        return result;
    }

    ClassicGroup classic(String group) {
        return (ClassicGroup) shard.groups.get(group);
    }

    /** A fresh shard that replays everything this one wrote: what a new leader would load. */
    ShardHarness reloaded() {
        ShardHarness copy = new ShardHarness(config);
        copy.topics.putAll(topics);
        written.forEach(r -> copy.shard.replay(r, copy.clock.millis()));
        return copy;
    }
}
