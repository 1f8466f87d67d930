package io.herald.coordinator;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * Moves one consumer-group member toward its target assignment (KIP-848): partitions it must give up are revoked
 * first (its epoch waits until it reports they are gone); then it advances to the target epoch and takes the target
 * partitions no other member still holds, the rest following on later heartbeats as they are released.
 */
final class Reconciler {
    private Reconciler() {}

    static void reconcile(ConsumerGroup group, ConsumerMember member, Map<Uuid, Set<Integer>> owned, long nowMs) {
        if (member.state == ConsumerMember.State.UNREVOKED_PARTITIONS) {
            if (owned == null || intersects(owned, member.pendingRevocation)) {
                return;
            }
            member.pendingRevocation = new TreeMap<>();
            member.revocationDeadlineMs = Long.MAX_VALUE;
        }
        if (member.memberEpoch == group.assignmentEpoch && member.state == ConsumerMember.State.STABLE) {
            return;
        }
        Map<Uuid, Set<Integer>> target = group.target.getOrDefault(member.memberId, Map.of());
        Map<Uuid, Set<Integer>> revoke = minus(member.assigned, target);
        if (!revoke.isEmpty()) {
            member.assigned = intersect(member.assigned, target);
            member.pendingRevocation = revoke;
            member.state = ConsumerMember.State.UNREVOKED_PARTITIONS;
            member.revocationDeadlineMs = nowMs + Math.max(member.rebalanceTimeoutMs, 1);
            return;
        }
        Map<Uuid, Set<Integer>> next = new TreeMap<>();
        boolean complete = true;
        for (Map.Entry<Uuid, Set<Integer>> e : target.entrySet()) {
            for (int p : e.getValue()) {
                boolean mine =
                        member.assigned.getOrDefault(e.getKey(), Set.of()).contains(p);
                if (mine || !heldByOther(group, member.memberId, e.getKey(), p)) {
                    next.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(p);
                } else {
                    complete = false;
                }
            }
        }
        if (member.memberEpoch != group.assignmentEpoch) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = group.assignmentEpoch;
        }
        member.assigned = next;
        member.state = complete ? ConsumerMember.State.STABLE : ConsumerMember.State.UNRELEASED_PARTITIONS;
    }

    private static boolean heldByOther(ConsumerGroup group, String memberId, Uuid topicId, int partition) {
        for (ConsumerMember other : group.members.values()) {
            if (other.memberId.equals(memberId)) {
                continue;
            }
            if (other.assigned.getOrDefault(topicId, Set.of()).contains(partition)
                    || other.pendingRevocation.getOrDefault(topicId, Set.of()).contains(partition)) {
                return true;
            }
        }
        return false;
    }

    private static boolean intersects(Map<Uuid, Set<Integer>> a, Map<Uuid, Set<Integer>> b) {
        for (Map.Entry<Uuid, Set<Integer>> e : a.entrySet()) {
            Set<Integer> other = b.getOrDefault(e.getKey(), Set.of());
            for (int p : e.getValue()) {
                if (other.contains(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    static Map<Uuid, Set<Integer>> minus(Map<Uuid, Set<Integer>> a, Map<Uuid, Set<Integer>> b) {
        Map<Uuid, Set<Integer>> result = new TreeMap<>();
        a.forEach((id, set) -> {
            Set<Integer> rest = new TreeSet<>(set);
            rest.removeAll(b.getOrDefault(id, Set.of()));
            if (!rest.isEmpty()) {
                result.put(id, rest);
            }
        });
        return result;
    }

    static Map<Uuid, Set<Integer>> intersect(Map<Uuid, Set<Integer>> a, Map<Uuid, Set<Integer>> b) {
        Map<Uuid, Set<Integer>> result = new TreeMap<>();
        a.forEach((id, set) -> {
            Set<Integer> both = new TreeSet<>(set);
            both.retainAll(b.getOrDefault(id, Set.of()));
            if (!both.isEmpty()) {
                result.put(id, both);
            }
        });
        return result;
    }
}
