package io.herald.coordinator;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * A member of a consumer (KIP-848) group: its subscription, its epoch, the partitions it owns, and those it must
 * revoke before it may move to the group's target assignment. Mutated only on its shard's thread.
 */
final class ConsumerMember {
    enum State {
        STABLE,
        /** Owns partitions its target no longer has: must revoke them before its epoch advances. */
        UNREVOKED_PARTITIONS,
        /** At the target epoch but waiting for partitions other members still revoke. */
        UNRELEASED_PARTITIONS
    }

    final String memberId;
    String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    String serverAssignor;
    List<String> subscribedTopicNames = List.of();
    /** A regular expression (KIP-848) whose matching topics the member also subscribes to; null for none. */
    String subscribedTopicRegex;

    java.util.regex.Pattern compiledRegex;
    int memberEpoch;
    int previousMemberEpoch;
    State state = State.STABLE;
    Map<Uuid, Set<Integer>> assigned = new TreeMap<>();
    Map<Uuid, Set<Integer>> pendingRevocation = new TreeMap<>();
    long sessionDeadlineMs;
    /** When revocation must be done by, else the member is fenced; Long.MAX_VALUE when nothing is pending. */
    long revocationDeadlineMs = Long.MAX_VALUE;
    /** A static member that left with epoch -2: it keeps its partitions until its session expires or it returns. */
    boolean leftTemporarily;
    /** The assignment last sent to the member, to send it again only when it changes. */
    Map<Uuid, Set<Integer>> lastSent;

    ConsumerMember(String memberId) {
        this.memberId = memberId;
    }
}
