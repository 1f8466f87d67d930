package io.herald.coordinator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KIP-848 consumer groups of one shard: ConsumerGroupHeartbeat joins, updates and leaves members; a change of members,
 * subscriptions or topic partitions bumps the group epoch and the server-side assignor computes a new target; each
 * member then moves to it by {@link Reconciler}: revoke first, then take partitions once others released them.
 */
final class ConsumerGroups {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroups.class);
    static final int LEAVE_EPOCH = -1;
    static final int STATIC_LEAVE_EPOCH = -2;

    private final GroupConfig config;
    private final Map<String, Group> groups;
    private final TopicsView topics;
    private static final int MAX_CACHED_REGEXES = 1_000;
    private final Map<String, Set<String>> regexCache = new HashMap<>();
    private long regexCacheVersion = -1;

    ConsumerGroups(GroupConfig config, Map<String, Group> groups, TopicsView topics) {
        this.config = config;
        this.groups = groups;
        this.topics = topics;
    }

    ConsumerGroupHeartbeatResponseData heartbeat(
            ConsumerGroupHeartbeatRequestData req, String clientId, String clientHost, long nowMs, Effects fx) {
        if (req.groupId() == null || req.groupId().isEmpty()) {
            throw new InvalidRequestException("GroupId can't be empty.");
        }
        if (req.subscribedTopicRegex() != null && !req.subscribedTopicRegex().isEmpty()) {
            compile(req.subscribedTopicRegex());
        }
        if (req.serverAssignor() != null && !config.consumerAssignors().contains(req.serverAssignor())) {
            throw new UnsupportedAssignorException("ServerAssignor " + req.serverAssignor()
                    + " is not supported. Supported assignors: " + config.consumerAssignors() + ".");
        }
        ConsumerGroup group = consumerGroup(req.groupId(), req.memberEpoch() == 0, nowMs, fx);
        if (req.memberEpoch() == LEAVE_EPOCH || req.memberEpoch() == STATIC_LEAVE_EPOCH) {
            return leave(group, req, nowMs, fx);
        }
        int epochBefore = group.groupEpoch;
        ConsumerMember member = req.memberEpoch() == 0 ? join(group, req, nowMs) : existing(group, req);
        boolean subscriptionChanged = update(member, req, clientId, clientHost);
        member.sessionDeadlineMs = nowMs + config.consumerSessionTimeoutMs();
        member.leftTemporarily = false;
        if (subscriptionChanged || member.memberEpoch == 0 && !group.target.containsKey(member.memberId)) {
            group.groupEpoch++;
        }
        refreshTarget(group, nowMs, group.groupEpoch != epochBefore);
        int memberEpochBefore = member.memberEpoch;
        Map<Uuid, Set<Integer>> assignedBefore = copy(member.assigned);
        Reconciler.reconcile(group, member, ownedOf(req), nowMs);
        if (group.groupEpoch != epochBefore
                || member.memberEpoch != memberEpochBefore
                || !assignedBefore.equals(member.assigned)) {
            fx.write(GroupRecords.consumerGroup(group));
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId)
                .setMemberEpoch(member.memberEpoch)
                .setHeartbeatIntervalMs(config.consumerHeartbeatIntervalMs());
        if (req.memberEpoch() == 0 || req.topicPartitions() != null || !member.assigned.equals(member.lastSent)) {
            member.lastSent = copy(member.assigned);
            ConsumerGroupHeartbeatResponseData.Assignment assignment =
                    new ConsumerGroupHeartbeatResponseData.Assignment();
            member.assigned.forEach((id, partitions) -> assignment
                    .topicPartitions()
                    .add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                            .setTopicId(id)
                            .setPartitions(new ArrayList<>(partitions))));
            response.setAssignment(assignment);
        }
        return response;
    }

    private ConsumerGroup consumerGroup(String groupId, boolean createIfMissing, long nowMs, Effects fx) {
        Group g = groups.get(groupId);
        if (g instanceof ConsumerGroup consumer) {
            return consumer;
        }
        if (g != null && !g.isEmpty()) {
            throw new GroupIdNotFoundException("Group " + groupId + " is not a consumer group.");
        }
        if (!createIfMissing) {
            throw new UnknownMemberIdException("Group " + groupId + " has no such member.");
        }
        if (g != null) {
            // An empty classic group becomes a consumer group: its record must not come back after compaction.
            fx.write(GroupRecords.groupTombstone(GroupRecords.CLASSIC_GROUP, groupId));
        }
        ConsumerGroup created = new ConsumerGroup(groupId, nowMs);
        groups.put(groupId, created);
        return created;
    }

    private ConsumerMember join(ConsumerGroup group, ConsumerGroupHeartbeatRequestData req, long nowMs) {
        if (req.subscribedTopicNames() == null && req.subscribedTopicRegex() == null || req.topicPartitions() == null) {
            throw new InvalidRequestException("A joining member must send its subscription and owned partitions.");
        }
        String memberId = req.memberId() == null || req.memberId().isEmpty()
                ? Uuid.randomUuid().toString()
                : req.memberId();
        ConsumerMember existing = group.members.get(memberId);
        if (existing != null) {
            // A fenced member rejoining with its id starts afresh.
            removeMember(group, existing, "rejoined with epoch 0", nowMs);
            group.groupEpoch++;
        } else if (group.members.size() >= config.consumerGroupMaxSize()) {
            throw new GroupMaxSizeReachedException("The consumer group has reached its maximum number of members.");
        }
        ConsumerMember member = new ConsumerMember(memberId);
        if (req.instanceId() != null) {
            ConsumerMember previous = group.members.values().stream()
                    .filter(m -> req.instanceId().equals(m.instanceId))
                    .findFirst()
                    .orElse(null);
            if (previous != null && !previous.leftTemporarily) {
                throw new UnreleasedInstanceIdException("Static member " + previous.memberId + " with instance id "
                        + req.instanceId() + " is still active in group " + group.groupId + ".");
            }
            if (previous != null) {
                // A static member coming back takes over its predecessor's epoch and partitions: no rebalance.
                group.members.remove(previous.memberId);
                member.memberEpoch = previous.memberEpoch;
                member.subscribedTopicNames = previous.subscribedTopicNames;
                member.subscribedTopicRegex = previous.subscribedTopicRegex;
                member.compiledRegex = previous.compiledRegex;
                member.serverAssignor = previous.serverAssignor;
                member.previousMemberEpoch = previous.previousMemberEpoch;
                member.assigned = previous.assigned;
                member.pendingRevocation = previous.pendingRevocation;
                member.state = previous.state;
                Map<Uuid, Set<Integer>> target = group.target.remove(previous.memberId);
                if (target != null) {
                    group.target.put(memberId, target);
                }
                group.members.put(memberId, member);
                LOG.info(
                        "Static member {} of group {} replaced {} with {}",
                        req.instanceId(),
                        group.groupId,
                        previous.memberId,
                        memberId);
                return member;
            }
        }
        group.members.put(memberId, member);
        LOG.info("Member {} joined consumer group {}", memberId, group.groupId);
        return member;
    }

    private static ConsumerMember existing(ConsumerGroup group, ConsumerGroupHeartbeatRequestData req) {
        ConsumerMember member = group.members.get(req.memberId());
        if (member == null) {
            throw new UnknownMemberIdException(
                    "Member " + req.memberId() + " is not a member of group " + group.groupId + ".");
        }
        if (req.memberEpoch() != member.memberEpoch) {
            boolean lostResponse =
                    req.memberEpoch() == member.previousMemberEpoch && contained(ownedOf(req), member.assigned);
            if (!lostResponse) {
                throw new FencedMemberEpochException("The consumer group member has a stale member epoch "
                        + req.memberEpoch() + "; the current epoch is " + member.memberEpoch + ".");
            }
        }
        return member;
    }

    private static boolean update(
            ConsumerMember member, ConsumerGroupHeartbeatRequestData req, String clientId, String clientHost) {
        member.clientId = clientId;
        member.clientHost = clientHost;
        if (req.instanceId() != null) {
            member.instanceId = req.instanceId();
        }
        if (req.rackId() != null) {
            member.rackId = req.rackId();
        }
        if (req.rebalanceTimeoutMs() > 0) {
            member.rebalanceTimeoutMs = req.rebalanceTimeoutMs();
        }
        if (req.serverAssignor() != null) {
            member.serverAssignor = req.serverAssignor();
        }
        boolean changed = false;
        if (req.subscribedTopicNames() != null) {
            List<String> names = List.copyOf(new TreeSet<>(req.subscribedTopicNames()));
            if (!names.equals(member.subscribedTopicNames)) {
                member.subscribedTopicNames = names;
                changed = true;
            }
        }
        if (req.subscribedTopicRegex() != null) {
            String regex = req.subscribedTopicRegex().isEmpty() ? null : req.subscribedTopicRegex();
            if (!java.util.Objects.equals(regex, member.subscribedTopicRegex)) {
                member.subscribedTopicRegex = regex;
                member.compiledRegex = regex == null ? null : compile(regex);
                changed = true;
            }
        }
        return changed;
    }

    private ConsumerGroupHeartbeatResponseData leave(
            ConsumerGroup group, ConsumerGroupHeartbeatRequestData req, long nowMs, Effects fx) {
        ConsumerMember member = group.members.get(req.memberId());
        if (member == null) {
            throw new UnknownMemberIdException(
                    "Member " + req.memberId() + " is not a member of group " + group.groupId + ".");
        }
        if (req.memberEpoch() == STATIC_LEAVE_EPOCH && member.instanceId != null) {
            // KIP-345 in KIP-848: a static member that stops keeps its partitions until its session expires.
            member.leftTemporarily = true;
            LOG.info("Static member {} of consumer group {} left temporarily", member.instanceId, group.groupId);
            return new ConsumerGroupHeartbeatResponseData()
                    .setMemberId(req.memberId())
                    .setMemberEpoch(STATIC_LEAVE_EPOCH)
                    .setHeartbeatIntervalMs(0);
        }
        removeMember(group, member, "left", nowMs);
        group.groupEpoch++;
        refreshTarget(group, nowMs, true);
        fx.write(GroupRecords.consumerGroup(group));
        return new ConsumerGroupHeartbeatResponseData()
                .setMemberId(req.memberId())
                .setMemberEpoch(req.memberEpoch())
                .setHeartbeatIntervalMs(0);
    }

    /** Removes a member; the caller bumps the group epoch once for all it removes. */
    private static void removeMember(ConsumerGroup group, ConsumerMember member, String reason, long nowMs) {
        group.members.remove(member.memberId);
        group.target.remove(member.memberId);
        if (group.members.isEmpty()) {
            group.stateTimestampMs = nowMs;
        }
        LOG.info("Member {} of consumer group {} {}", member.memberId, group.groupId, reason);
    }

    /** Bumps the epoch when subscribed topics changed size, and computes a new target when the epoch moved. */
    private void refreshTarget(ConsumerGroup group, long nowMs, boolean epochBumped) {
        Map<String, Integer> partitions = new HashMap<>();
        for (ConsumerMember m : group.members.values()) {
            for (String name : subscribedTopics(m)) {
                // Keyed by name and id: a topic deleted and created again is a change even with the same size.
                topics.byName(name).ifPresent(t -> partitions.put(name + ":" + t.id(), t.partitionCount()));
            }
        }
        if (!partitions.equals(group.subscribedTopicPartitions)) {
            group.subscribedTopicPartitions = partitions;
            if (!epochBumped) {
                group.groupEpoch++;
            }
        }
        if (group.groupEpoch <= group.assignmentEpoch) {
            return;
        }
        Map<Uuid, Integer> counts = new HashMap<>();
        List<Assignors.MemberSpec> specs = new ArrayList<>();
        for (ConsumerMember m : group.members.values()) {
            Set<Uuid> ids = new HashSet<>();
            for (String name : subscribedTopics(m)) {
                topics.byName(name).ifPresent(t -> {
                    ids.add(t.id());
                    counts.put(t.id(), t.partitionCount());
                });
            }
            specs.add(new Assignors.MemberSpec(m.memberId, ids));
        }
        String assignor = assignorOf(group);
        Map<String, Map<Uuid, Set<Integer>>> target = Assignors.assign(assignor, specs, counts, group.target);
        group.target.clear();
        group.target.putAll(target);
        group.assignmentEpoch = group.groupEpoch;
        group.stateTimestampMs = nowMs;
        LOG.info(
                "Consumer group {} epoch {}: new target assignment by {} for {} member(s)",
                group.groupId,
                group.groupEpoch,
                assignor,
                group.members.size());
    }

    /** The topics a member subscribes to: by name, and those its regular expression matches (internal ones aside). */
    Set<String> subscribedTopics(ConsumerMember member) {
        Set<String> names = new TreeSet<>(member.subscribedTopicNames);
        if (member.subscribedTopicRegex != null) {
            if (member.compiledRegex == null) {
                member.compiledRegex = compile(member.subscribedTopicRegex);
            }
            names.addAll(regexMatches(member.subscribedTopicRegex, member.compiledRegex));
        }
        return names;
    }

    /** The topics a regex matches, computed once per regex and metadata version (members often share one). */
    private Set<String> regexMatches(String regex, java.util.regex.Pattern pattern) {
        long version = topics.version();
        if (version != regexCacheVersion || regexCache.size() >= MAX_CACHED_REGEXES) {
            regexCache.clear();
            regexCacheVersion = version;
        }
        return regexCache.computeIfAbsent(regex, r -> {
            Set<String> matched = new TreeSet<>();
            for (String name : topics.names()) {
                if (!name.startsWith("__") && pattern.matcher(name).matches()) {
                    matched.add(name);
                }
            }
            return matched;
        });
    }

    private static java.util.regex.Pattern compile(String regex) {
        try {
            return java.util.regex.Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new InvalidRegularExpression("SubscribedTopicRegex " + regex + " is not a valid regular expression: "
                    + e.getDescription() + ".");
        }
    }

    /** The assignor the members ask for, when they all agree; else the first configured one. */
    String assignorOf(ConsumerGroup group) {
        String chosen = null;
        for (ConsumerMember m : group.members.values()) {
            if (m.serverAssignor == null) {
                continue;
            }
            if (chosen != null && !chosen.equals(m.serverAssignor)) {
                return config.consumerAssignors().get(0);
            }
            chosen = m.serverAssignor;
        }
        return chosen == null ? config.consumerAssignors().get(0) : chosen;
    }

    /** Fences members whose session expired or who did not revoke in time. */
    void tick(ConsumerGroup group, long nowMs, Effects fx) {
        List<ConsumerMember> expired = new ArrayList<>();
        for (ConsumerMember m : group.members.values()) {
            if (m.sessionDeadlineMs <= nowMs || m.revocationDeadlineMs <= nowMs) {
                expired.add(m);
            }
        }
        if (expired.isEmpty()) {
            return;
        }
        for (ConsumerMember m : expired) {
            removeMember(
                    group,
                    m,
                    m.sessionDeadlineMs <= nowMs ? "was fenced: session expired" : "was fenced: revocation timed out",
                    nowMs);
        }
        group.groupEpoch++;
        refreshTarget(group, nowMs, true);
        fx.write(GroupRecords.consumerGroup(group));
    }

    /** After loading from the log, members get a full session to show up at this coordinator. */
    void loaded(ConsumerGroup group, long nowMs) {
        group.members.values().forEach(m -> m.sessionDeadlineMs = nowMs + config.consumerSessionTimeoutMs());
    }

    private static Map<Uuid, Set<Integer>> ownedOf(ConsumerGroupHeartbeatRequestData req) {
        if (req.topicPartitions() == null) {
            return null;
        }
        Map<Uuid, Set<Integer>> owned = new TreeMap<>();
        req.topicPartitions().forEach(tp -> {
            if (!tp.partitions().isEmpty()) {
                owned.computeIfAbsent(tp.topicId(), k -> new TreeSet<>()).addAll(tp.partitions());
            }
        });
        return owned;
    }

    static boolean contained(Map<Uuid, Set<Integer>> owned, Map<Uuid, Set<Integer>> assigned) {
        if (owned == null) {
            return true;
        }
        for (Map.Entry<Uuid, Set<Integer>> e : owned.entrySet()) {
            Set<Integer> has = assigned.getOrDefault(e.getKey(), Set.of());
            if (!has.containsAll(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    static Map<Uuid, Set<Integer>> copy(Map<Uuid, Set<Integer>> partitions) {
        Map<Uuid, Set<Integer>> copy = new TreeMap<>();
        partitions.forEach((id, set) -> copy.put(id, new TreeSet<>(set)));
        return copy;
    }
}
