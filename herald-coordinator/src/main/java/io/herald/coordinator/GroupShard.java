package io.herald.coordinator;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The groups and offsets of one {@code __consumer_offsets} partition. Everything here runs on the coordinator's
 * thread: requests, timers ({@link #tick}) and the replay of the partition when this broker becomes its leader.
 */
final class GroupShard {
    final int partition;
    final Map<String, Group> groups = new HashMap<>();
    final ClassicGroups classic;
    final ClassicMembership membership;
    final ConsumerGroups consumer;
    final Offsets offsets;
    final GroupAdmin admin;
    private final GroupConfig config;
    private long nextExpiryCheckMs;
    /**
     * Completes once every write of this shard so far reached the in-sync replicas: answers wait for it, so a client
     * never hears of a commit or a group change that a failover of the partition could lose.
     */
    java.util.concurrent.CompletableFuture<Void> durable = java.util.concurrent.CompletableFuture.completedFuture(null);

    GroupShard(int partition, GroupConfig config, TopicsView topics, long nowMs) {
        this.partition = partition;
        this.config = config;
        this.classic = new ClassicGroups(config, groups);
        this.membership = new ClassicMembership(groups, classic);
        this.consumer = new ConsumerGroups(config, groups, topics);
        this.offsets = new Offsets(config, groups, consumer::subscribedTopics);
        this.admin = new GroupAdmin(groups, offsets, topics, consumer);
        this.nextExpiryCheckMs = nowMs + config.offsetsRetentionCheckIntervalMs();
    }

    /**
     * Applies one record of a producer's transaction read back from the partition: pending until the producer's
     * marker follows.
     */
    void replay(GroupRecord record, long producerId, long nowMs) {
        if (producerId < 0) {
            replay(record, nowMs);
            return;
        }
        if (GroupRecords.decode(record, nowMs) instanceof GroupRecords.OffsetEntry e && e.offset() != null) {
            offsets.pending
                    .computeIfAbsent(producerId, id -> new HashMap<>())
                    .computeIfAbsent(e.groupId(), g -> new HashMap<>())
                    .put(e.partition(), e.offset());
        }
    }

    /** Applies one record read back from the partition: the latest record of a key wins, a tombstone deletes. */
    void replay(GroupRecord record, long nowMs) {
        switch (GroupRecords.decode(record, nowMs)) {
            case GroupRecords.OffsetEntry e -> {
                if (e.offset() == null) {
                    Map<TopicPartition, CommittedOffset> group = offsets.byGroup.get(e.groupId());
                    if (group != null) {
                        group.remove(e.partition());
                        if (group.isEmpty()) {
                            offsets.byGroup.remove(e.groupId());
                        }
                    }
                } else {
                    offsets.byGroup
                            .computeIfAbsent(e.groupId(), g -> new HashMap<>())
                            .put(e.partition(), e.offset());
                    groups.computeIfAbsent(e.groupId(), g -> new ClassicGroup(g, nowMs));
                }
            }
            case GroupRecords.ClassicEntry e -> {
                if (e.group() == null) {
                    groups.remove(e.groupId());
                } else {
                    groups.put(e.groupId(), e.group());
                }
            }
            case GroupRecords.ConsumerEntry e -> {
                if (e.group() == null) {
                    groups.remove(e.groupId());
                } else {
                    consumer.loaded(e.group(), nowMs);
                    groups.put(e.groupId(), e.group());
                }
            }
        }
    }

    /** The shard is gone from this broker: members waiting for a join or sync answer go find the new coordinator. */
    void unloaded() {
        for (Group g : groups.values()) {
            if (g instanceof ClassicGroup c) {
                for (ClassicMember m : c.members.values()) {
                    if (m.awaitingJoin != null) {
                        m.awaitingJoin.accept(ClassicGroups.joinError(Errors.NOT_COORDINATOR, m.memberId));
                        m.awaitingJoin = null;
                    }
                    if (m.awaitingSync != null) {
                        m.awaitingSync.accept(new SyncGroupResponseData()
                                .setErrorCode(Errors.NOT_COORDINATOR.code())
                                .setAssignment(new byte[0]));
                        m.awaitingSync = null;
                    }
                }
            }
        }
        groups.clear();
        offsets.byGroup.clear();
        offsets.pending.clear();
    }

    void tick(long nowMs, Effects fx) {
        for (Group g : java.util.List.copyOf(groups.values())) {
            if (g instanceof ClassicGroup c) {
                membership.tick(c, nowMs, fx);
            } else if (g instanceof ConsumerGroup c) {
                consumer.tick(c, nowMs, fx);
            }
        }
        if (nowMs >= nextExpiryCheckMs) {
            nextExpiryCheckMs = nowMs + config.offsetsRetentionCheckIntervalMs();
            offsets.expire(nowMs, fx);
        }
    }
}
