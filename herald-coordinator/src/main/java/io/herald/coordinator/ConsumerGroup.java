package io.herald.coordinator;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * The state of one consumer (KIP-848) group: its epoch, members, the target assignment the server-side assignor
 * computed for the current epoch, and the partition counts of the subscribed topics it was computed from.
 */
final class ConsumerGroup implements Group {
    final String groupId;
    int groupEpoch;
    int assignmentEpoch;
    long stateTimestampMs;
    final Map<String, ConsumerMember> members = new LinkedHashMap<>();
    final Map<String, Map<Uuid, Set<Integer>>> target = new HashMap<>();
    /** "topic name:topic id" -> partition count, as the target assignment saw them. */
    Map<String, Integer> subscribedTopicPartitions = new HashMap<>();

    ConsumerGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    @Override
    public String groupId() {
        return groupId;
    }

    @Override
    public String type() {
        return "consumer";
    }

    @Override
    public String stateName() {
        if (members.isEmpty()) {
            return "Empty";
        }
        if (groupEpoch > assignmentEpoch) {
            return "Assigning";
        }
        for (ConsumerMember m : members.values()) {
            if (m.memberEpoch != assignmentEpoch || m.state != ConsumerMember.State.STABLE) {
                return "Reconciling";
            }
        }
        return "Stable";
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
        return "consumer";
    }
}
