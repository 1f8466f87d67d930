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
        long writeTimeoutMs,
        Leadership leadership,
        long brokerHeartbeatIntervalMs) {

    /** Kafka's default {@code broker.heartbeat.interval.ms}. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 2_000;

    /**
     * How the controller handles partition leaders: {@code auto.leader.rebalance.enable},
     * {@code leader.imbalance.check.interval.seconds} (in ms here), {@code leader.imbalance.per.broker.percentage}, and
     * the static default of {@code unclean.leader.election.enable}.
     */
    public record Leadership(
            boolean autoRebalance, long imbalanceCheckIntervalMs, int imbalancePercentage, boolean uncleanDefault) {
        /** Kafka's defaults. */
        public static final Leadership DEFAULTS = new Leadership(true, 300_000, 10, false);
    }

    /** Settings with Kafka's leadership defaults. */
    public ControllerSettings(
            int nodeId,
            String clusterId,
            Path metadataLogDir,
            List<QuorumPeer> voters,
            int defaultNumPartitions,
            short defaultReplicationFactor,
            long brokerSessionTimeoutMs,
            long snapshotIntervalEntries,
            long writeTimeoutMs) {
        this(
                nodeId,
                clusterId,
                metadataLogDir,
                voters,
                defaultNumPartitions,
                defaultReplicationFactor,
                brokerSessionTimeoutMs,
                snapshotIntervalEntries,
                writeTimeoutMs,
                Leadership.DEFAULTS,
                DEFAULT_HEARTBEAT_INTERVAL_MS);
    }

    /**
     * How long a broker whose heartbeat connection closed may take to heartbeat again before it is fenced: two
     * heartbeat intervals (a live broker reconnects on its next one), never more than the session timeout.
     */
    public long connectionLossGraceMs() {
        return Math.min(brokerSessionTimeoutMs, 2 * brokerHeartbeatIntervalMs);
    }

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
