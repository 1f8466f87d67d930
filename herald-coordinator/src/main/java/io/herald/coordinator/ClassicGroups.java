package io.herald.coordinator;

import io.herald.coordinator.ClassicGroup.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic protocol's join phase for the groups of one shard: JoinGroup (member ids, static members, protocol
 * choice), rebalance preparation with the initial delay, and the end of the join phase that elects a leader and answers
 * every waiting member. Sync, heartbeat, leave and expiry are in {@link ClassicMembership}.
 */
final class ClassicGroups {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicGroups.class);

    /** What a join carries, already validated by the caller for group id and version quirks. */
    record Join(
            String groupId,
            String memberId,
            String groupInstanceId,
            String protocolType,
            List<ClassicMember.Protocol> protocols,
            int sessionTimeoutMs,
            int rebalanceTimeoutMs,
            boolean requireKnownMemberId,
            String clientId,
            String clientHost) {}

    private final GroupConfig config;
    private final Map<String, Group> groups;

    ClassicGroups(GroupConfig config, Map<String, Group> groups) {
        this.config = config;
        this.groups = groups;
    }

    static JoinGroupResponseData joinError(Errors error, String memberId) {
        return new JoinGroupResponseData()
                .setErrorCode(error.code())
                .setGenerationId(-1)
                .setProtocolName(null)
                .setLeader("")
                .setMemberId(memberId == null ? "" : memberId);
    }

    void join(Join join, long nowMs, Consumer<JoinGroupResponseData> reply, Effects fx) {
        if (join.sessionTimeoutMs() < config.groupMinSessionTimeoutMs()
                || join.sessionTimeoutMs() > config.groupMaxSessionTimeoutMs()) {
            fx.reply(() -> reply.accept(joinError(Errors.INVALID_SESSION_TIMEOUT, join.memberId())));
            return;
        }
        Group existing = groups.get(join.groupId());
        if (existing != null && !(existing instanceof ClassicGroup)) {
            if (!existing.isEmpty()) {
                fx.reply(() -> reply.accept(joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, join.memberId())));
                return;
            }
            groups.remove(join.groupId());
            fx.write(GroupRecords.groupTombstone(GroupRecords.CONSUMER_GROUP, join.groupId()));
            existing = null;
        }
        boolean unknownMember = join.memberId().isEmpty();
        if (existing == null && !unknownMember) {
            fx.reply(() -> reply.accept(joinError(Errors.UNKNOWN_MEMBER_ID, join.memberId())));
            return;
        }
        ClassicGroup group = existing == null ? new ClassicGroup(join.groupId(), nowMs) : (ClassicGroup) existing;
        if (!supportsProtocols(group, join)) {
            fx.reply(() -> reply.accept(joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, join.memberId())));
            return;
        }
        groups.putIfAbsent(join.groupId(), group);
        if (unknownMember) {
            joinUnknownMember(group, join, nowMs, reply, fx);
        } else {
            joinKnownMember(group, join, nowMs, reply, fx);
        }
        maybeCompleteJoin(group, nowMs, false, fx);
    }

    private boolean supportsProtocols(ClassicGroup group, Join join) {
        if (join.protocolType() == null
                || join.protocolType().isEmpty()
                || join.protocols().isEmpty()) {
            return false;
        }
        if (group.isEmpty()) {
            return true;
        }
        if (!join.protocolType().equals(group.protocolType)) {
            return false;
        }
        Set<String> candidates = candidateProtocols(group);
        for (ClassicMember.Protocol p : join.protocols()) {
            if (candidates.contains(p.name())) {
                return true;
            }
        }
        return false;
    }

    /** The protocols every member supports. */
    private static Set<String> candidateProtocols(ClassicGroup group) {
        Set<String> candidates = null;
        for (ClassicMember m : group.members.values()) {
            Set<String> names = new LinkedHashSet<>();
            m.protocols.forEach(p -> names.add(p.name()));
            if (candidates == null) {
                candidates = names;
            } else {
                candidates.retainAll(names);
            }
        }
        return candidates == null ? Set.of() : candidates;
    }

    private void joinUnknownMember(
            ClassicGroup group, Join join, long nowMs, Consumer<JoinGroupResponseData> reply, Effects fx) {
        String prefix = join.groupInstanceId() != null ? join.groupInstanceId() : join.clientId();
        String newMemberId = prefix + "-" + UUID.randomUUID();
        if (join.groupInstanceId() != null) {
            String previous = group.staticMembers.get(join.groupInstanceId());
            if (previous != null && group.members.containsKey(previous)) {
                replaceStaticMember(group, previous, newMemberId, join, nowMs, reply, fx);
                return;
            }
        }
        if (group.members.size() + group.pendingMembers.size() >= config.groupMaxSize()) {
            fx.reply(() -> reply.accept(joinError(Errors.GROUP_MAX_SIZE_REACHED, join.memberId())));
            return;
        }
        if (join.groupInstanceId() == null && join.requireKnownMemberId()) {
            // KIP-394: the member learns its id first, so a lost response does not leave a ghost member behind.
            group.pendingMembers.put(newMemberId, nowMs + join.sessionTimeoutMs());
            fx.reply(() -> reply.accept(joinError(Errors.MEMBER_ID_REQUIRED, newMemberId)));
            return;
        }
        addMemberAndRebalance(group, newMemberId, join, nowMs, reply, fx);
    }

    private void joinKnownMember(
            ClassicGroup group, Join join, long nowMs, Consumer<JoinGroupResponseData> reply, Effects fx) {
        String memberId = join.memberId();
        if (group.pendingMembers.remove(memberId) != null) {
            if (group.members.size() >= config.groupMaxSize()) {
                fx.reply(() -> reply.accept(joinError(Errors.GROUP_MAX_SIZE_REACHED, memberId)));
                return;
            }
            addMemberAndRebalance(group, memberId, join, nowMs, reply, fx);
            return;
        }
        if (join.groupInstanceId() != null) {
            String current = group.staticMembers.get(join.groupInstanceId());
            if (current != null && !current.equals(memberId)) {
                LOG.info(
                        "Fenced member {} of group {}: instance {} now belongs to {}",
                        memberId,
                        group.groupId,
                        join.groupInstanceId(),
                        current);
                fx.reply(() -> reply.accept(joinError(Errors.FENCED_INSTANCE_ID, memberId)));
                return;
            }
        }
        ClassicMember member = group.members.get(memberId);
        if (member == null || group.is(State.EMPTY) || group.is(State.DEAD)) {
            fx.reply(() -> reply.accept(joinError(Errors.UNKNOWN_MEMBER_ID, memberId)));
            return;
        }
        boolean sameProtocols = member.sameProtocols(join.protocols());
        update(member, join, nowMs);
        switch (group.state) {
            case PREPARING_REBALANCE -> awaitJoin(member, reply, fx);
            case COMPLETING_REBALANCE -> {
                if (sameProtocols) {
                    // A retried join after a lost response: answer with the current generation again.
                    fx.reply(() -> reply.accept(joinResponse(group, member, false)));
                } else {
                    awaitJoin(member, reply, fx);
                    prepareRebalance(group, nowMs, "member " + memberId + " changed its protocols", fx);
                }
            }
            case STABLE -> {
                if (sameProtocols && !memberId.equals(group.leaderId)) {
                    fx.reply(() -> reply.accept(joinResponse(group, member, false)));
                } else {
                    awaitJoin(member, reply, fx);
                    prepareRebalance(group, nowMs, "member " + memberId + " rejoined", fx);
                }
            }
            default -> throw new IllegalStateException("unexpected state " + group.state);
        }
    }

    /**
     * The member waits for the end of the join phase. A join it sent before (a retry after a lost response) is
     * answered now, so the connection's responses, which go out in order, are not held up behind it.
     */
    private static void awaitJoin(ClassicMember member, Consumer<JoinGroupResponseData> reply, Effects fx) {
        Consumer<JoinGroupResponseData> superseded = member.awaitingJoin;
        if (superseded != null) {
            fx.reply(() -> superseded.accept(joinError(Errors.REBALANCE_IN_PROGRESS, member.memberId)));
        }
        member.awaitingJoin = reply;
    }

    private void replaceStaticMember(
            ClassicGroup group,
            String oldMemberId,
            String newMemberId,
            Join join,
            long nowMs,
            Consumer<JoinGroupResponseData> reply,
            Effects fx) {
        ClassicMember old = group.members.remove(oldMemberId);
        ClassicMember member = new ClassicMember(newMemberId);
        member.assignment = old.assignment;
        member.protocols = old.protocols;
        update(member, join, nowMs);
        group.members.put(newMemberId, member);
        group.staticMembers.put(join.groupInstanceId(), newMemberId);
        if (oldMemberId.equals(group.leaderId)) {
            group.leaderId = newMemberId;
        }
        if (old.awaitingJoin != null) {
            Consumer<JoinGroupResponseData> fenced = old.awaitingJoin;
            fx.reply(() -> fenced.accept(joinError(Errors.FENCED_INSTANCE_ID, oldMemberId)));
        }
        if (old.awaitingSync != null) {
            Consumer<SyncGroupResponseData> fenced = old.awaitingSync;
            fx.reply(() -> fenced.accept(new SyncGroupResponseData().setErrorCode(Errors.FENCED_INSTANCE_ID.code())));
        }
        LOG.info(
                "Static member {} of group {} rejoined as {} (was {})",
                join.groupInstanceId(),
                group.groupId,
                newMemberId,
                oldMemberId);
        // As Kafka: the member's subscription bytes may differ (a restarted consumer owns nothing yet); what matters
        // is whether the group's protocol stays the same.
        boolean sameProtocol = group.protocolName != null && group.protocolName.equals(selectProtocol(group));
        if (group.is(State.STABLE) && sameProtocol) {
            // KIP-345: a static member that comes back within its session keeps its assignment, no rebalance.
            fx.write(GroupRecords.classicGroup(group));
            fx.reply(() -> reply.accept(joinResponse(group, member, true)));
        } else {
            member.awaitingJoin = reply;
            if (!group.is(State.PREPARING_REBALANCE)) {
                prepareRebalance(group, nowMs, "static member " + join.groupInstanceId() + " rejoined", fx);
            }
        }
    }

    private void addMemberAndRebalance(
            ClassicGroup group,
            String memberId,
            Join join,
            long nowMs,
            Consumer<JoinGroupResponseData> reply,
            Effects fx) {
        ClassicMember member = new ClassicMember(memberId);
        update(member, join, nowMs);
        member.awaitingJoin = reply;
        if (group.isEmpty()) {
            group.protocolType = join.protocolType();
        }
        group.members.put(memberId, member);
        if (join.groupInstanceId() != null) {
            group.staticMembers.put(join.groupInstanceId(), memberId);
        }
        if (group.is(State.PREPARING_REBALANCE)) {
            if (group.initialDelayLimitMs >= 0) {
                group.joinDeadlineMs =
                        Math.min(nowMs + config.groupInitialRebalanceDelayMs(), group.initialDelayLimitMs);
                group.memberAddedSinceTimer = config.groupInitialRebalanceDelayMs() == 0;
                fx.wakeAt(group.joinDeadlineMs);
            }
        } else {
            prepareRebalance(group, nowMs, "member " + memberId + " joined", fx);
        }
    }

    private static void update(ClassicMember member, Join join, long nowMs) {
        member.groupInstanceId = join.groupInstanceId();
        member.clientId = join.clientId();
        member.clientHost = join.clientHost();
        member.sessionTimeoutMs = join.sessionTimeoutMs();
        member.rebalanceTimeoutMs = join.rebalanceTimeoutMs();
        member.protocols = List.copyOf(join.protocols());
        member.sessionDeadlineMs = nowMs + join.sessionTimeoutMs();
    }

    /** Starts (or restarts) a rebalance: members must rejoin within the largest rebalance timeout. */
    void prepareRebalance(ClassicGroup group, long nowMs, String reason, Effects fx) {
        if (group.is(State.COMPLETING_REBALANCE)) {
            for (ClassicMember m : group.members.values()) {
                if (m.awaitingSync != null) {
                    Consumer<SyncGroupResponseData> waiting = m.awaitingSync;
                    m.awaitingSync = null;
                    fx.reply(() -> waiting.accept(
                            new SyncGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code())));
                }
            }
        }
        if (group.is(State.EMPTY)) {
            // The first rebalance of an empty group ends on its timer only, never on "everyone joined": members that
            // start together then land in one generation. With a delay of 0 the timer runs right after the requests
            // already received, so concurrent first joins still share it.
            group.initialDelayLimitMs = nowMs + Math.max(group.maxRebalanceTimeoutMs(), 0);
            group.joinDeadlineMs = Math.min(nowMs + config.groupInitialRebalanceDelayMs(), group.initialDelayLimitMs);
            group.memberAddedSinceTimer = config.groupInitialRebalanceDelayMs() == 0;
            fx.wakeAt(group.joinDeadlineMs);
        } else {
            group.initialDelayLimitMs = -1;
            group.joinDeadlineMs = nowMs + group.maxRebalanceTimeoutMs();
        }
        group.transition(State.PREPARING_REBALANCE, nowMs);
        LOG.info("Preparing to rebalance group {} in generation {}: {}", group.groupId, group.generationId, reason);
    }

    /**
     * Ends the join phase once every member has rejoined or the deadline passed; the first rebalance of an empty group
     * ends only from the timers ({@code timer}), when its delay is over.
     */
    void maybeCompleteJoin(ClassicGroup group, long nowMs, boolean timer, Effects fx) {
        if (!group.is(State.PREPARING_REBALANCE)) {
            return;
        }
        boolean deadlinePassed = nowMs >= group.joinDeadlineMs;
        boolean initial = group.initialDelayLimitMs >= 0;
        if (initial && timer && deadlinePassed && group.memberAddedSinceTimer && nowMs < group.initialDelayLimitMs) {
            // Members are still arriving with a delay of 0: wait one more round (the requests queued by now), so
            // members that start together share the first generation.
            group.memberAddedSinceTimer = false;
            fx.wakeAt(nowMs);
            return;
        }
        boolean complete = initial ? timer && deadlinePassed : deadlinePassed || group.allMembersJoined();
        if (complete) {
            completeJoin(group, nowMs, fx);
        }
    }

    private void completeJoin(ClassicGroup group, long nowMs, Effects fx) {
        List<String> missing = new ArrayList<>();
        for (ClassicMember m : group.members.values()) {
            if (m.awaitingJoin == null) {
                missing.add(m.memberId);
            }
        }
        for (String id : missing) {
            ClassicMember gone = group.members.remove(id);
            if (gone.groupInstanceId != null) {
                group.staticMembers.remove(gone.groupInstanceId);
            }
            LOG.info("Removed member {} from group {}: it did not rejoin in time", id, group.groupId);
        }
        group.pendingMembers.clear();
        group.initialDelayLimitMs = -1;
        group.memberAddedSinceTimer = false;
        group.joinDeadlineMs = Long.MAX_VALUE;
        group.generationId++;
        if (group.members.isEmpty()) {
            group.protocolName = null;
            group.leaderId = null;
            group.transition(State.EMPTY, nowMs);
            fx.write(GroupRecords.classicGroup(group));
            LOG.info("Group {} is empty in generation {}", group.groupId, group.generationId);
            return;
        }
        group.protocolName = selectProtocol(group);
        if (group.leaderId == null || !group.members.containsKey(group.leaderId)) {
            group.leaderId = group.members.keySet().iterator().next();
        }
        group.transition(State.COMPLETING_REBALANCE, nowMs);
        group.syncDeadlineMs = nowMs + group.maxRebalanceTimeoutMs();
        LOG.info(
                "Group {} generation {} with {} member(s), protocol {}, leader {}",
                group.groupId,
                group.generationId,
                group.members.size(),
                group.protocolName,
                group.leaderId);
        for (ClassicMember m : group.members.values()) {
            Consumer<JoinGroupResponseData> waiting = m.awaitingJoin;
            m.awaitingJoin = null;
            m.synced = false;
            m.sessionDeadlineMs = nowMs + m.sessionTimeoutMs;
            JoinGroupResponseData response = joinResponse(group, m, false);
            fx.reply(() -> waiting.accept(response));
        }
    }

    /** Kafka's choice: among protocols all members support, the one most members list first. */
    private static String selectProtocol(ClassicGroup group) {
        Set<String> candidates = candidateProtocols(group);
        Map<String, Integer> votes = new HashMap<>();
        for (ClassicMember m : group.members.values()) {
            for (ClassicMember.Protocol p : m.protocols) {
                if (candidates.contains(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        for (String name : candidates) {
            if (best == null || votes.getOrDefault(name, 0) > votes.getOrDefault(best, 0)) {
                best = name;
            }
        }
        return best;
    }

    static JoinGroupResponseData joinResponse(ClassicGroup group, ClassicMember member, boolean skipAssignment) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setGenerationId(group.generationId)
                .setProtocolType(group.protocolType)
                .setProtocolName(group.protocolName)
                .setLeader(group.leaderId)
                .setSkipAssignment(skipAssignment)
                .setMemberId(member.memberId);
        if (member.memberId.equals(group.leaderId)) {
            for (ClassicMember m : group.members.values()) {
                response.members()
                        .add(new JoinGroupResponseData.JoinGroupResponseMember()
                                .setMemberId(m.memberId)
                                .setGroupInstanceId(m.groupInstanceId)
                                .setMetadata(m.metadata(group.protocolName)));
            }
        }
        return response;
    }

    static Join joinOf(JoinGroupRequestData data, short version, String clientId, String clientHost) {
        List<ClassicMember.Protocol> protocols = new ArrayList<>();
        data.protocols().forEach(p -> protocols.add(new ClassicMember.Protocol(p.name(), p.metadata())));
        int rebalanceTimeoutMs = version == 0 ? data.sessionTimeoutMs() : data.rebalanceTimeoutMs();
        return new Join(
                data.groupId(),
                data.memberId() == null ? "" : data.memberId(),
                data.groupInstanceId(),
                data.protocolType(),
                protocols,
                data.sessionTimeoutMs(),
                rebalanceTimeoutMs,
                version >= 4,
                clientId == null ? "" : clientId,
                clientHost);
    }
}
