package io.herald.controller;

import java.nio.file.Path;
import java.util.List;

/**
 * What the controller role needs from the server configuration, typed: its identity, the quorum, where the metadata
 * log lives, and the cluster-wide defaults it applies when deciding.
 */
public record ControllerSettings(
        int nodeId,
        String clusterId,
        Path metadataLogDir,
        List<QuorumPeer> voters,
        int defaultNumPartitions,
        short defaultReplicationFactor,
        long brokerSessionTimeoutMs,
        long snapshotIntervalEntries,
        long writeTimeoutMs) {

    public ControllerSettings {
        voters = List.copyOf(voters);
        if (voters.stream().noneMatch(v -> v.id() == nodeId)) {
            throw new IllegalArgumentException("node " + nodeId + " is a controller but not among the quorum voters "
                    + voters.stream().map(QuorumPeer::id).toList());
        }
    }

    public QuorumPeer self() {
        return voters.stream().filter(v -> v.id() == nodeId).findFirst().orElseThrow();
    }
}
