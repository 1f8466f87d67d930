package io.herald.server;

import io.herald.metadata.BrokerConfigs;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The names of the server properties Herald reads; their types, defaults and validators are in {@link BrokerConfigs}
 * (its table lists every broker config Kafka documents). A few open key families are accepted by prefix (no warning);
 * anything else unknown is warned about at start-up.
 */
final class ServerConfigDef {
    static final String NODE_ID = "node.id";
    static final String PROCESS_ROLES = "process.roles";
    static final String LISTENERS = "listeners";
    static final String ADVERTISED_LISTENERS = "advertised.listeners";
    static final String SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    static final String INTER_BROKER_LISTENER_NAME = "inter.broker.listener.name";
    static final String QUORUM_VOTERS = "controller.quorum.voters";
    static final String QUORUM_BOOTSTRAP_SERVERS = "controller.quorum.bootstrap.servers";
    static final String LOG_DIRS = "log.dirs";
    static final String LOG_DIR = "log.dir";
    static final String METADATA_LOG_DIR = "metadata.log.dir";
    static final String NUM_PARTITIONS = "num.partitions";
    static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    static final String AUTO_CREATE_TOPICS = "auto.create.topics.enable";
    static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    static final String NUM_NETWORK_THREADS = "num.network.threads";
    static final String NUM_IO_THREADS = "num.io.threads";
    static final String QUEUED_MAX_REQUESTS = "queued.max.requests";
    static final String QUEUED_MAX_REQUEST_BYTES = "queued.max.request.bytes";
    static final String SOCKET_SEND_BUFFER = "socket.send.buffer.bytes";
    static final String SOCKET_RECEIVE_BUFFER = "socket.receive.buffer.bytes";
    static final String HEARTBEAT_INTERVAL_MS = "broker.heartbeat.interval.ms";
    static final String SESSION_TIMEOUT_MS = "broker.session.timeout.ms";
    static final String BROKER_RACK = "broker.rack";
    static final String METADATA_SNAPSHOT_RECORDS = "metadata.log.max.snapshot.interval.records";
    static final String RAFT_PORT_OFFSET = "herald.quorum.raft.port.offset";
    static final String AUTO_LEADER_REBALANCE = "auto.leader.rebalance.enable";
    static final String LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS = "leader.imbalance.check.interval.seconds";
    static final String LEADER_IMBALANCE_PER_BROKER_PERCENTAGE = "leader.imbalance.per.broker.percentage";
    static final String UNCLEAN_LEADER_ELECTION = "unclean.leader.election.enable";
    static final String HTTP_LISTENERS = "http.listeners";
    static final String METRICS_ENABLED = "herald.metrics.enabled";
    static final String CONSOLE_ENABLED = "herald.console.enabled";

    /**
     * Open key families accepted without a warning: per-listener overrides, the tiered-storage plug-ins' own settings,
     * config providers, and keys older or internal Kafka settings use. Every other key must be in {@link BrokerConfigs}
     * or is warned about (a typo such as log.retention.hourz is never silently ignored).
     */
    static final List<String> KAFKA_PREFIXES = List.of(
            "listener.name.",
            "remote.log.metadata.",
            "rlmm.config.",
            "rsm.config.",
            "config.providers",
            "zookeeper.",
            "unstable.",
            "herald.");

    private ServerConfigDef() {}

    /** Every broker config, from the one registry (Kafka's documented broker configs and Herald's own keys). */
    static ConfigDef define() {
        return BrokerConfigs.configDef();
    }
}
