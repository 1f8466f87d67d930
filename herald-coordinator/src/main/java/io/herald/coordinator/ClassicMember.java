package io.herald.coordinator;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * A member of a classic (JoinGroup/SyncGroup) group: what it joined with, its assignment, the replies it waits for and
 * its session deadline. Mutated only on its shard's thread.
 */
final class ClassicMember {
    record Protocol(String name, byte[] metadata) {}

    final String memberId;
    String groupInstanceId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    List<Protocol> protocols;
    byte[] assignment = new byte[0];
    Consumer<JoinGroupResponseData> awaitingJoin;
    Consumer<SyncGroupResponseData> awaitingSync;
    long sessionDeadlineMs;
    /** Sent its SyncGroup for the current generation. */
    boolean synced;

    ClassicMember(String memberId) {
        this.memberId = memberId;
    }

    byte[] metadata(String protocolName) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocolName)) {
                return p.metadata();
            }
        }
        return null;
    }

    boolean supports(String protocolName) {
        return metadata(protocolName) != null;
    }

    boolean sameProtocols(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!other.get(i).name().equals(protocols.get(i).name())
                    || !Arrays.equals(other.get(i).metadata(), protocols.get(i).metadata())) {
                return false;
            }
        }
        return true;
    }
}
