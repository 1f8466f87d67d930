package io.herald.coordinator;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of one classic group: its generation, chosen protocol, leader and members, and the timers of the rebalance
 * in progress. The transitions live in {@link ClassicGroups}; this is data owned by the shard's thread.
 */
final class ClassicGroup implements Group {
    enum State {
        EMPTY("Empty"),
        PREPARING_REBALANCE("PreparingRebalance"),
        COMPLETING_REBALANCE("CompletingRebalance"),
        STABLE("Stable"),
        DEAD("Dead");

        final String displayName;

        State(String displayName) {
            this.displayName = displayName;
        }
    }

    final String groupId;
    State state = State.EMPTY;
    int generationId;
    String protocolType;
    String protocolName;
    String leaderId;
    long stateTimestampMs;
    final Map<String, ClassicMember> members = new LinkedHashMap<>();
    /** group.instance.id -> member id of the static members. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED, awaiting their second join: id -> deadline. */
    final Map<String, Long> pendingMembers = new HashMap<>();
    /** When the join phase of the rebalance in progress ends even if some members have not rejoined. */
    long joinDeadlineMs = Long.MAX_VALUE;
    /** When members that have not sent SyncGroup for the new generation are removed (the rebalance timeout). */
    long syncDeadlineMs = Long.MAX_VALUE;
    /** Until when the initial rebalance delay may keep extending (group.initial.rebalance.delay.ms). */
    long initialDelayLimitMs = -1;
    /** With a delay of 0: a member was added to the first rebalance since its timer last ran (one more round). */
    boolean memberAddedSinceTimer;

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public String type() {
        return "classic";
    }

    @Override
    public String stateName() {
        return state.displayName;
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    public long emptySinceMs() {
        return stateTimestampMs;
    }

    @Override
    public String protocolType() {
        return protocolType == null ? "" : protocolType;
    }

    void transition(State next, long nowMs) {
        state = next;
        stateTimestampMs = nowMs;
    }

    boolean is(State s) {
        return state == s;
    }

    int maxRebalanceTimeoutMs() {
        int max = 0;
        for (ClassicMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    boolean allMembersJoined() {
        for (ClassicMember m : members.values()) {
            if (m.awaitingJoin == null) {
                return false;
            }
        }
        return pendingMembers.isEmpty();
    }
}
