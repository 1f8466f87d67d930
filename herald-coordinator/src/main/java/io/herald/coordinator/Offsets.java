package io.herald.coordinator;

import io.herald.coordinator.ClassicGroup.State;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed offsets of the groups of one shard: commits validated against the group's generation or member epoch
 * ("simple" commits for groups without members), fetches, deletions, and expiry after {@code offsets.retention.minutes}.
 */
final class Offsets {
    private static final Logger LOG = LoggerFactory.getLogger(Offsets.class);

    private final GroupConfig config;
    private final Map<String, Group> groups;
    final Map<String, Map<TopicPartition, CommittedOffset>> byGroup = new HashMap<>();
    /** Offsets committed in transactions not yet ended: producer id -> group -> partition -> offset. */
    final Map<Long, Map<String, Map<TopicPartition, CommittedOffset>>> pending = new HashMap<>();

    /** A consumer-group member's topics, its regular expression resolved. */
    private final java.util.function.Function<ConsumerMember, Set<String>> consumerSubscriptions;

    Offsets(
            GroupConfig config,
            Map<String, Group> groups,
            java.util.function.Function<ConsumerMember, Set<String>> consumerSubscriptions) {
        this.config = config;
        this.groups = groups;
        this.consumerSubscriptions = consumerSubscriptions;
    }

    OffsetCommitResponseData commit(OffsetCommitRequestData req, short version, long nowMs, Effects fx) {
        Errors groupError = validateCommit(req, version, nowMs);
        // v2-4 may ask for a retention of their own (-1: the broker's offsets.retention.minutes).
        long expireMs = version <= 4 && req.retentionTimeMs() >= 0 ? nowMs + req.retentionTimeMs() : -1;
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : req.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(topic.name());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                String metadata = p.committedMetadata() == null ? "" : p.committedMetadata();
                Errors error = partitionError(groupError, metadata);
                if (error == Errors.NONE) {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                    CommittedOffset offset = new CommittedOffset(
                            p.committedOffset(), p.committedLeaderEpoch(), metadata, nowMs, expireMs);
                    byGroup.computeIfAbsent(req.groupId(), g -> new HashMap<>()).put(tp, offset);
                    fx.write(GroupRecords.offset(req.groupId(), tp, offset));
                }
                topicResponse
                        .partitions()
                        .add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                .setPartitionIndex(p.partitionIndex())
                                .setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    /** A partition's commit error: the group's, else OFFSET_METADATA_TOO_LARGE for metadata over the limit. */
    private Errors partitionError(Errors groupError, String metadata) {
        if (groupError == Errors.NONE && metadata.length() > config.offsetMetadataMaxBytes()) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        return groupError;
    }

    /**
     * TxnOffsetCommit: offsets held per producer, written as the producer's transactional records; they become the
     * group's committed offsets when a commit marker for the producer lands on this partition, and vanish on abort.
     */
    TxnOffsetCommitResponseData txnCommit(TxnOffsetCommitRequestData req, long nowMs, Effects fx) {
        Errors groupError = validateCommit(
                new OffsetCommitRequestData()
                        .setGroupId(req.groupId())
                        .setGenerationIdOrMemberEpoch(req.generationId())
                        .setMemberId(req.memberId())
                        .setGroupInstanceId(req.groupInstanceId()),
                (short) 9,
                nowMs);
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : req.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topicResponse =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : topic.partitions()) {
                String metadata = p.committedMetadata() == null ? "" : p.committedMetadata();
                Errors error = partitionError(groupError, metadata);
                if (error == Errors.NONE) {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                    CommittedOffset offset =
                            new CommittedOffset(p.committedOffset(), p.committedLeaderEpoch(), metadata, nowMs, -1);
                    pending.computeIfAbsent(req.producerId(), id -> new HashMap<>())
                            .computeIfAbsent(req.groupId(), g -> new HashMap<>())
                            .put(tp, offset);
                    fx.writeTransactional(
                            req.producerId(), req.producerEpoch(), GroupRecords.offset(req.groupId(), tp, offset));
                }
                topicResponse
                        .partitions()
                        .add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                                .setPartitionIndex(p.partitionIndex())
                                .setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    /** A transaction marker of the producer landed on this partition: its pending offsets count, or go. */
    void transactionEnded(long producerId, boolean commit) {
        Map<String, Map<TopicPartition, CommittedOffset>> offsets = pending.remove(producerId);
        if (offsets == null || !commit) {
            return;
        }
        offsets.forEach((groupId, byPartition) -> {
            byGroup.computeIfAbsent(groupId, g -> new HashMap<>()).putAll(byPartition);
            groups.computeIfAbsent(groupId, g -> new ClassicGroup(g, System.currentTimeMillis()));
        });
    }

    /** The group's partitions with offsets in a transaction not yet ended (OffsetFetch with requireStable). */
    Set<TopicPartition> pendingPartitions(String groupId) {
        Set<TopicPartition> out = new HashSet<>();
        for (Map<String, Map<TopicPartition, CommittedOffset>> byProducer : pending.values()) {
            Map<TopicPartition, CommittedOffset> offsets = byProducer.get(groupId);
            if (offsets != null) {
                out.addAll(offsets.keySet());
            }
        }
        return out;
    }

    private Errors validateCommit(OffsetCommitRequestData req, short version, long nowMs) {
        if (req.groupId() == null || req.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        int generation = req.generationIdOrMemberEpoch();
        String memberId = req.memberId() == null ? "" : req.memberId();
        Group group = groups.get(req.groupId());
        if (group == null) {
            if (generation >= 0) {
                return version >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
            }
            // A simple commit (a consumer with assign(), or an admin) creates an empty group to hold the offsets.
            groups.put(req.groupId(), new ClassicGroup(req.groupId(), nowMs));
            return Errors.NONE;
        }
        if (group instanceof ConsumerGroup consumer) {
            if (generation < 0 && memberId.isEmpty()) {
                return consumer.isEmpty() ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
            }
            ConsumerMember member = consumer.members.get(memberId);
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (version < 9) {
                return Errors.UNSUPPORTED_VERSION;
            }
            // Only the current epoch commits, as in Kafka: a member that moved on (its partitions possibly revoked
            // and given to another) must not overwrite the new owner's offsets with a commit of its earlier epoch.
            return generation == member.memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
        }
        ClassicGroup classic = (ClassicGroup) group;
        if (classic.is(State.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && classic.is(State.EMPTY)) {
            return Errors.NONE;
        }
        if (req.groupInstanceId() != null) {
            String current = classic.staticMembers.get(req.groupInstanceId());
            if (current != null && !current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        if (generation >= 0 || !memberId.isEmpty()) {
            if (!classic.members.containsKey(memberId)) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (generation != classic.generationId) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else if (!classic.is(State.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (classic.is(State.COMPLETING_REBALANCE)) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        ClassicMember member = classic.members.get(memberId);
        if (member != null) {
            member.sessionDeadlineMs = nowMs + member.sessionTimeoutMs;
        }
        return Errors.NONE;
    }

    /** OffsetFetch v9 checks the member of a consumer group; any other request passes. */
    Errors validateFetch(String groupId, String memberId, int memberEpoch) {
        if (memberId == null || memberId.isEmpty() || memberEpoch < 0) {
            return Errors.NONE;
        }
        if (!(groups.get(groupId) instanceof ConsumerGroup consumer)) {
            return Errors.NONE;
        }
        ConsumerMember member = consumer.members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return member.memberEpoch == memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    /** The group's offsets: of the partitions asked for, or all when {@code wanted} is null; null for none. */
    Map<TopicPartition, CommittedOffset> fetch(String groupId, List<TopicPartition> wanted) {
        Map<TopicPartition, CommittedOffset> committed = byGroup.getOrDefault(groupId, Map.of());
        Map<TopicPartition, CommittedOffset> result =
                new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                        ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic()));
        if (wanted == null) {
            result.putAll(committed);
        } else {
            wanted.forEach(tp -> result.put(tp, committed.get(tp)));
        }
        return result;
    }

    OffsetDeleteResponseData delete(OffsetDeleteRequestData req, Effects fx) {
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        Group group = groups.get(req.groupId());
        if (group == null) {
            return response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
        }
        Set<String> subscribed = subscribedTopics(group);
        if (subscribed == null) {
            return response.setErrorCode(Errors.NON_EMPTY_GROUP.code());
        }
        Map<TopicPartition, CommittedOffset> committed = byGroup.getOrDefault(req.groupId(), new HashMap<>());
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : req.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResponse =
                    new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : topic.partitions()) {
                Errors error = Errors.NONE;
                if (subscribed.contains(topic.name())) {
                    error = Errors.GROUP_SUBSCRIBED_TO_TOPIC;
                } else {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                    if (committed.remove(tp) != null) {
                        fx.write(GroupRecords.offset(req.groupId(), tp, null));
                    }
                }
                topicResponse
                        .partitions()
                        .add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                                .setPartitionIndex(p.partitionIndex())
                                .setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    /** Topics the group's members consume, whose offsets may not be deleted; null when that cannot be known. */
    private Set<String> subscribedTopics(Group group) {
        Set<String> topics = new HashSet<>();
        if (group instanceof ConsumerGroup consumer) {
            consumer.members.values().forEach(m -> topics.addAll(consumerSubscriptions.apply(m)));
            return topics;
        }
        ClassicGroup classic = (ClassicGroup) group;
        if (classic.isEmpty()) {
            return topics;
        }
        if (!ConsumerProtocol.PROTOCOL_TYPE.equals(classic.protocolType)) {
            return null;
        }
        for (ClassicMember m : classic.members.values()) {
            byte[] metadata = m.metadata(classic.protocolName);
            if (metadata != null) {
                try {
                    ConsumerPartitionAssignor.Subscription subscription =
                            ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata));
                    topics.addAll(subscription.topics());
                } catch (RuntimeException e) {
                    return null; // a subscription we cannot read: treat every topic as consumed
                }
            }
        }
        return topics;
    }

    void deleteTopics(Set<String> topicNames, Effects fx) {
        byGroup.forEach((groupId, offsets) -> offsets.keySet().removeIf(tp -> {
            if (topicNames.contains(tp.topic())) {
                fx.write(GroupRecords.offset(groupId, tp, null));
                return true;
            }
            return false;
        }));
        byGroup.values().removeIf(Map::isEmpty);
    }

    void deleteAll(String groupId, Effects fx) {
        Map<TopicPartition, CommittedOffset> removed = byGroup.remove(groupId);
        if (removed != null) {
            removed.keySet().forEach(tp -> fx.write(GroupRecords.offset(groupId, tp, null)));
        }
    }

    /**
     * Expires offsets (KIP-211, KIP-496): an empty group's once it has been empty for the retention time; a group
     * without a protocol (simple commits) per offset by its commit time; a consumer group with members, those of
     * topics it no longer subscribes to by their commit time. Then removes empty groups that hold no offsets.
     */
    void expire(long nowMs, Effects fx) {
        for (Group group : List.copyOf(groups.values())) {
            Map<TopicPartition, CommittedOffset> offsets = byGroup.get(group.groupId());
            if (offsets != null) {
                // A commit with its own retention expires by it, whatever the group's state.
                offsets.entrySet().removeIf(e -> {
                    long expireMs = e.getValue().expireTimestampMs();
                    boolean expired = expireMs >= 0 && nowMs >= expireMs;
                    if (expired) {
                        fx.write(GroupRecords.offset(group.groupId(), e.getKey(), null));
                    }
                    return expired;
                });
                if (offsets.isEmpty()) {
                    byGroup.remove(group.groupId());
                    offsets = null;
                }
            }
            if (!group.isEmpty() && offsets != null) {
                Set<String> subscribed = subscribedTopics(group);
                if (subscribed != null) {
                    offsets.entrySet().removeIf(e -> {
                        boolean expired = !subscribed.contains(e.getKey().topic())
                                && nowMs >= e.getValue().commitTimestampMs() + config.offsetsRetentionMs();
                        if (expired) {
                            fx.write(GroupRecords.offset(group.groupId(), e.getKey(), null));
                        }
                        return expired;
                    });
                    if (offsets.isEmpty()) {
                        byGroup.remove(group.groupId());
                    }
                }
            }
            if (isEmptyState(group) && offsets != null) {
                boolean simple = group.protocolType().isEmpty();
                long emptyDeadlineMs = group.emptySinceMs() + config.offsetsRetentionMs();
                offsets.entrySet().removeIf(e -> {
                    long deadlineMs =
                            simple ? e.getValue().commitTimestampMs() + config.offsetsRetentionMs() : emptyDeadlineMs;
                    if (nowMs >= deadlineMs) {
                        fx.write(GroupRecords.offset(group.groupId(), e.getKey(), null));
                        return true;
                    }
                    return false;
                });
                if (offsets.isEmpty()) {
                    byGroup.remove(group.groupId());
                    LOG.info("Expired the committed offsets of group {}", group.groupId());
                }
            }
            if (isEmptyState(group) && !byGroup.containsKey(group.groupId())) {
                groups.remove(group.groupId());
                fx.write(GroupRecords.groupTombstone(
                        group instanceof ConsumerGroup ? GroupRecords.CONSUMER_GROUP : GroupRecords.CLASSIC_GROUP,
                        group.groupId()));
                LOG.info("Removed empty group {}: it has no offsets left", group.groupId());
            }
        }
    }

    private static boolean isEmptyState(Group group) {
        return group.isEmpty() && "Empty".equals(group.stateName());
    }
}
