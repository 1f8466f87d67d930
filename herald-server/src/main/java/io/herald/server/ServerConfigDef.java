package io.herald.server;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Every server property Herald reads, with Kafka's names, types, defaults and validators, in one place. Keys Kafka
 * defines for features that are not built yet are accepted by prefix (no warning); anything else unknown is warned
 * about at start-up.
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

    /** Kafka key families accepted without a warning while their features are being built. */
    static final List<String> KAFKA_PREFIXES = List.of(
            "log.",
            "offsets.",
            "transaction.",
            "group.",
            "share.",
            "ssl.",
            "sasl.",
            "listener.name.",
            "replica.",
            "remote.",
            "metadata.",
            "controller.",
            "quota.",
            "queued.",
            "security.",
            "principal.",
            "authorizer.",
            "super.",
            "delegation.token.",
            "num.",
            "socket.",
            "connections.",
            "max.connection",
            "message.",
            "compression.",
            "min.insync.",
            "unclean.",
            "delete.topic.",
            "fetch.",
            "producer.",
            "consumer.",
            "auto.",
            "background.",
            "leader.",
            "request.",
            "broker.",
            "client.",
            "create.topic.",
            "kafka.",
            "alter.",
            "password.",
            "early.start.",
            "telemetry.",
            "sasl_",
            "zookeeper.",
            "initial.broker.",
            "eligible.",
            "max.incremental.",
            "unstable.",
            "default.",
            "errors.",
            "config.providers",
            "herald.");

    private ServerConfigDef() {}

    static ConfigDef define() {
        ConfigDef def = new ConfigDef();
        def.define(
                NODE_ID,
                Type.INT,
                ConfigDef.NO_DEFAULT_VALUE,
                Range.atLeast(0),
                Importance.HIGH,
                "The node id of this server in the cluster.");
        def.define(
                PROCESS_ROLES,
                Type.LIST,
                ConfigDef.NO_DEFAULT_VALUE,
                ConfigDef.ValidList.in("broker", "controller"),
                Importance.HIGH,
                "The roles this process plays: broker, controller, or both.");
        def.define(
                LISTENERS,
                Type.LIST,
                "PLAINTEXT://:9092",
                Importance.HIGH,
                "Listener URIs, NAME://host:port; an empty host binds all interfaces.");
        def.define(
                ADVERTISED_LISTENERS,
                Type.LIST,
                null,
                Importance.HIGH,
                "Listeners announced to clients, when they differ from listeners.");
        def.define(
                SECURITY_PROTOCOL_MAP,
                Type.STRING,
                "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
                Importance.LOW,
                "Listener name to security protocol.");
        def.define(
                CONTROLLER_LISTENER_NAMES,
                Type.LIST,
                "",
                Importance.HIGH,
                "Names of the listeners the controller serves.");
        def.define(
                INTER_BROKER_LISTENER_NAME,
                Type.STRING,
                null,
                Importance.MEDIUM,
                "Listener brokers use to talk to each other.");
        def.define(QUORUM_VOTERS, Type.LIST, "", Importance.HIGH, "Static quorum: id@host:port of each controller.");
        def.define(
                QUORUM_BOOTSTRAP_SERVERS,
                Type.LIST,
                "",
                Importance.HIGH,
                "host:port of controllers to discover the quorum from.");
        def.define(LOG_DIRS, Type.LIST, null, Importance.HIGH, "Directories holding the log data.");
        def.define(LOG_DIR, Type.STRING, "/tmp/kafka-logs", Importance.HIGH, "Log directory, if log.dirs is unset.");
        def.define(
                METADATA_LOG_DIR,
                Type.STRING,
                null,
                Importance.HIGH,
                "Where the metadata log lives; defaults to the first log directory.");
        def.define(
                NUM_PARTITIONS,
                Type.INT,
                1,
                Range.atLeast(1),
                Importance.MEDIUM,
                "Default number of partitions of a new topic.");
        def.define(
                DEFAULT_REPLICATION_FACTOR,
                Type.SHORT,
                (short) 1,
                Range.atLeast(1),
                Importance.MEDIUM,
                "Default replication factor of a new topic.");
        def.define(
                AUTO_CREATE_TOPICS,
                Type.BOOLEAN,
                true,
                Importance.HIGH,
                "Create a topic when a client asks metadata for one that does not exist.");
        def.define(
                SOCKET_REQUEST_MAX_BYTES,
                Type.INT,
                104857600,
                Range.atLeast(1),
                Importance.HIGH,
                "Largest request accepted.");
        def.define(
                CONNECTIONS_MAX_IDLE_MS,
                Type.LONG,
                600000L,
                Range.atLeast(1),
                Importance.MEDIUM,
                "Idle connections are closed after this long.");
        def.define(NUM_NETWORK_THREADS, Type.INT, 3, Range.atLeast(1), Importance.HIGH, "Threads serving the network.");
        def.define(NUM_IO_THREADS, Type.INT, 8, Range.atLeast(1), Importance.HIGH, "Threads for disk work.");
        def.define(SOCKET_SEND_BUFFER, Type.INT, 102400, Importance.HIGH, "SO_SNDBUF of connections.");
        def.define(SOCKET_RECEIVE_BUFFER, Type.INT, 102400, Importance.HIGH, "SO_RCVBUF of connections.");
        def.define(
                HEARTBEAT_INTERVAL_MS,
                Type.INT,
                2000,
                Range.atLeast(1),
                Importance.MEDIUM,
                "How often a broker heartbeats to the controller.");
        def.define(
                SESSION_TIMEOUT_MS,
                Type.INT,
                9000,
                Range.atLeast(1),
                Importance.MEDIUM,
                "A broker not heard from for this long is fenced.");
        def.define(BROKER_RACK, Type.STRING, null, Importance.MEDIUM, "Rack of this broker.");
        defineLeadership(def);
        defineAuthorization(def);
        def.define(
                METADATA_SNAPSHOT_RECORDS,
                Type.LONG,
                20000L,
                Range.atLeast(1),
                Importance.LOW,
                "Metadata log entries between snapshots.");
        def.define(
                RAFT_PORT_OFFSET,
                Type.INT,
                10000,
                Range.between(-65535, 65535),
                Importance.LOW,
                "Herald: the quorum's Raft traffic uses the controller listener port plus this offset.");
        def.define(
                HTTP_LISTENERS,
                Type.LIST,
                "",
                Importance.MEDIUM,
                "Herald: HTTP listeners (http://host:port, comma-separated) serving /metrics and, on brokers, the web "
                        + "console; none when empty.");
        def.define(
                METRICS_ENABLED,
                Type.BOOLEAN,
                true,
                Importance.LOW,
                "Herald: whether requests, topics and partitions are measured (off only to measure what it costs).");
        defineConsole(def);
        return defineRequestQueue(def);
    }

    private static void defineConsole(ConfigDef def) {
        def.define(
                CONSOLE_ENABLED,
                Type.BOOLEAN,
                true,
                Importance.LOW,
                "Herald: whether a broker serves the web console at / on its HTTP listeners.");
    }

    /** ACL authorization (the broker's RequestAuthorizer reads them from the properties). */
    private static void defineAuthorization(ConfigDef def) {
        def.define(
                "authorizer.class.name",
                Type.STRING,
                "",
                Importance.LOW,
                "The authorizer: org.apache.kafka.metadata.authorizer.StandardAuthorizer (ACLs in the metadata log)"
                        + " or empty for none.");
        def.define(
                "super.users",
                Type.STRING,
                null,
                Importance.LOW,
                "Principals (Type:name, separated by semicolons) allowed every operation whatever the ACLs say.");
        def.define(
                "allow.everyone.if.no.acl.found",
                Type.BOOLEAN,
                false,
                Importance.LOW,
                "Whether a resource without any ACL is open to every principal.");
        def.define(
                "principal.builder.class",
                Type.STRING,
                null,
                Importance.MEDIUM,
                "A KafkaPrincipalBuilder naming the principal of each connection.");
    }

    /** What the controller reads to decide partition leaders. */
    private static void defineLeadership(ConfigDef def) {
        def.define(
                AUTO_LEADER_REBALANCE,
                Type.BOOLEAN,
                true,
                Importance.HIGH,
                "Whether the controller moves leadership back to preferred replicas on its own.");
        def.define(
                LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS,
                Type.LONG,
                300L,
                Range.atLeast(1),
                Importance.HIGH,
                "How often the controller checks for leaders away from their preferred replicas.");
        def.define(
                LEADER_IMBALANCE_PER_BROKER_PERCENTAGE,
                Type.INT,
                10,
                Range.between(0, 100),
                Importance.HIGH,
                "The share of a broker's preferred leaderships it may lack before a rebalance moves them back.");
        def.define(
                UNCLEAN_LEADER_ELECTION,
                Type.BOOLEAN,
                false,
                Importance.HIGH,
                "Default for topics: may a replica outside the ISR become leader, losing data.");
    }

    /** The request queue and memory pool in front of the request-handler threads (num.io.threads). */
    private static ConfigDef defineRequestQueue(ConfigDef def) {
        def.define(
                QUEUED_MAX_REQUESTS,
                Type.INT,
                500,
                Range.atLeast(1),
                Importance.HIGH,
                "Requests waiting for a handler thread before the network threads stop reading.");
        def.define(
                QUEUED_MAX_REQUEST_BYTES,
                Type.LONG,
                -1L,
                (name, value) -> {
                    if (value instanceof Long bytes && bytes <= 0 && bytes != -1) {
                        throw new org.apache.kafka.common.config.ConfigException(name, value, "must be -1 or positive");
                    }
                },
                Importance.MEDIUM,
                "Bytes of requests read and not yet answered before reading stops; -1: a quarter of the heap.");
        return def;
    }
}
