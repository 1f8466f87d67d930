package io.herald.coordinator;

import io.herald.coordinator.ClassicGroup.State;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic protocol after the join phase, for the groups of one shard: SyncGroup (the leader's assignment ends the
 * rebalance), Heartbeat, LeaveGroup, and session expiry driven by {@link #tick}.
 */
final class ClassicMembership {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicMembership.class);

    private final Map<String, Group> groups;
    private final ClassicGroups joins;

    ClassicMembership(Map<String, Group> groups, ClassicGroups joins) {
        this.groups = groups;
        this.joins = joins;
    }

    private static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }

    /** The member a request names, or the error to answer: unknown, fenced, or a stale generation. */
    private Errors validate(ClassicGroup group, String memberId, String instanceId, int generationId) {
        if (group == null || group.is(State.DEAD)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (instanceId != null) {
            String current = group.staticMembers.get(instanceId);
            if (current != null && !current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        if (!group.members.containsKey(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generationId != group.generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        return Errors.NONE;
    }

    private ClassicGroup classic(String groupId) {
        return groups.get(groupId) instanceof ClassicGroup g ? g : null;
    }

    void sync(SyncGroupRequestData data, long nowMs, Consumer<SyncGroupResponseData> reply, Effects fx) {
        ClassicGroup group = classic(data.groupId());
        Errors error = validate(group, data.memberId(), data.groupInstanceId(), data.generationId());
        if (error == Errors.NONE && group.is(State.EMPTY)) {
            error = Errors.UNKNOWN_MEMBER_ID;
        }
        if (error == Errors.NONE
                && ((data.protocolType() != null && !data.protocolType().equals(group.protocolType))
                        || (data.protocolName() != null && !data.protocolName().equals(group.protocolName)))) {
            error = Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (error == Errors.NONE && group.is(State.PREPARING_REBALANCE)) {
            error = Errors.REBALANCE_IN_PROGRESS;
        }
        if (error != Errors.NONE) {
            Errors e = error;
            fx.reply(() -> reply.accept(syncError(e)));
            return;
        }
        ClassicMember member = group.members.get(data.memberId());
        member.sessionDeadlineMs = nowMs + member.sessionTimeoutMs;
        member.synced = true;
        if (group.is(State.STABLE)) {
            fx.reply(() -> reply.accept(syncResponse(group, member)));
            return;
        }
        if (member.awaitingSync != null) {
            // A retried sync: the earlier one is answered now so responses on its connection keep flowing.
            Consumer<SyncGroupResponseData> superseded = member.awaitingSync;
            fx.reply(() -> superseded.accept(syncError(Errors.REBALANCE_IN_PROGRESS)));
        }
        member.awaitingSync = reply;
        if (!data.memberId().equals(group.leaderId)) {
            return;
        }
        Map<String, byte[]> assignments = new HashMap<>();
        data.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
        for (ClassicMember m : group.members.values()) {
            m.assignment = assignments.getOrDefault(m.memberId, new byte[0]);
        }
        group.transition(State.STABLE, nowMs);
        fx.write(GroupRecords.classicGroup(group));
        LOG.info("Group {} is stable in generation {}", group.groupId, group.generationId);
        for (ClassicMember m : group.members.values()) {
            if (m.awaitingSync != null) {
                Consumer<SyncGroupResponseData> waiting = m.awaitingSync;
                m.awaitingSync = null;
                SyncGroupResponseData response = syncResponse(group, m);
                fx.reply(() -> waiting.accept(response));
            }
        }
    }

    private static SyncGroupResponseData syncResponse(ClassicGroup group, ClassicMember member) {
        return new SyncGroupResponseData()
                .setProtocolType(group.protocolType)
                .setProtocolName(group.protocolName)
                .setAssignment(member.assignment);
    }

    Errors heartbeat(String groupId, String memberId, String instanceId, int generationId, long nowMs) {
        ClassicGroup group = classic(groupId);
        if (group != null && group.is(State.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors error = validate(group, memberId, instanceId, generationId);
        if (error != Errors.NONE) {
            return error;
        }
        ClassicMember member = group.members.get(memberId);
        member.sessionDeadlineMs = nowMs + member.sessionTimeoutMs;
        return group.is(State.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /** LeaveGroup: each identity is answered on its own (v3+); the group rebalances without the leavers. */
    List<MemberResponse> leave(String groupId, List<MemberIdentity> identities, long nowMs, Effects fx) {
        ClassicGroup group = classic(groupId);
        List<MemberResponse> responses = new ArrayList<>();
        for (MemberIdentity identity : identities) {
            MemberResponse response = new MemberResponse()
                    .setMemberId(identity.memberId())
                    .setGroupInstanceId(identity.groupInstanceId());
            responses.add(
                    response.setErrorCode(leaveOne(group, identity, nowMs, fx).code()));
        }
        if (group != null) {
            joins.maybeCompleteJoin(group, nowMs, false, fx);
        }
        return responses;
    }

    private Errors leaveOne(ClassicGroup group, MemberIdentity identity, long nowMs, Effects fx) {
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        String memberId = identity.memberId();
        if (identity.groupInstanceId() != null) {
            String current = group.staticMembers.get(identity.groupInstanceId());
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (memberId != null && !memberId.isEmpty() && !memberId.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            memberId = current;
        } else if (group.pendingMembers.remove(memberId) != null) {
            return Errors.NONE;
        }
        ClassicMember member = group.members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        remove(group, member, "left the group", nowMs, fx);
        return Errors.NONE;
    }

    private void remove(ClassicGroup group, ClassicMember member, String reason, long nowMs, Effects fx) {
        group.members.remove(member.memberId);
        if (member.groupInstanceId != null) {
            group.staticMembers.remove(member.groupInstanceId);
        }
        if (member.awaitingJoin != null) {
            Consumer<JoinGroupResponseData> waiting = member.awaitingJoin;
            fx.reply(() -> waiting.accept(ClassicGroups.joinError(Errors.UNKNOWN_MEMBER_ID, member.memberId)));
        }
        if (member.awaitingSync != null) {
            Consumer<SyncGroupResponseData> waiting = member.awaitingSync;
            fx.reply(() -> waiting.accept(syncError(Errors.UNKNOWN_MEMBER_ID)));
        }
        if (member.memberId.equals(group.leaderId)) {
            group.leaderId = null;
        }
        LOG.info("Member {} of group {} {}", member.memberId, group.groupId, reason);
        if (group.is(State.STABLE) || group.is(State.COMPLETING_REBALANCE)) {
            joins.prepareRebalance(group, nowMs, "member " + member.memberId + " " + reason, fx);
        }
    }

    /** Timers: expired sessions and pending member ids, and join phases whose deadline passed. */
    void tick(ClassicGroup group, long nowMs, Effects fx) {
        group.pendingMembers.values().removeIf(deadline -> deadline <= nowMs);
        List<ClassicMember> expired = new ArrayList<>();
        for (ClassicMember m : group.members.values()) {
            // A member waiting for its join response is alive: the join deadline decides about it.
            if (m.awaitingJoin == null && m.sessionDeadlineMs <= nowMs) {
                expired.add(m);
            }
        }
        for (ClassicMember m : expired) {
            remove(group, m, "expired: no heartbeat within " + m.sessionTimeoutMs + " ms", nowMs, fx);
        }
        if (group.is(State.COMPLETING_REBALANCE) && nowMs >= group.syncDeadlineMs) {
            // The first removal starts a new rebalance; the others just leave with it.
            for (ClassicMember m : List.copyOf(group.members.values())) {
                if (!m.synced) {
                    remove(group, m, "did not send SyncGroup within the rebalance timeout", nowMs, fx);
                }
            }
        }
        joins.maybeCompleteJoin(group, nowMs, true, fx);
    }
}
