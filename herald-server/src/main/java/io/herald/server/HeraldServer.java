package io.herald.server;

import io.herald.broker.BrokerServer;
import io.herald.broker.BrokerSettings;
import io.herald.controller.ControllerApis;
import io.herald.controller.ControllerSettings;
import io.herald.controller.QuorumController;
import io.herald.controller.QuorumPeer;
import io.herald.coordinator.GroupConfig;
import io.herald.http.HttpRoutes;
import io.herald.http.HttpServers;
import io.herald.http.PrometheusExporter;
import io.herald.metadata.BrokerEndpoint;
import io.herald.metrics.HeraldMetrics;
import io.herald.network.ConnectionLimits;
import io.herald.network.ListenerSecurity;
import io.herald.network.NetworkConfig;
import io.herald.network.NetworkServer;
import io.herald.network.ScramCredentialLookup;
import io.herald.protocol.RequestDispatcher;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Herald process: the controller role, the broker role, or both (process.roles), sharing one socket server.
 * Starting checks that the storage is formatted, starts the controller's quorum peer, binds the listeners, and waits for
 * the broker to be unfenced; closing does a controlled shutdown in the reverse order.
 */
public final class HeraldServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeraldServer.class);
    private static final long REQUEST_TIMEOUT_MS = 30_000;

    private final ServerConfig config;
    private final Map<String, String> properties;
    private final NetworkServer network;
    private final Map<String, InetSocketAddress> bound = new LinkedHashMap<>();
    private final List<ListenerSecurity> securities = new java.util.concurrent.CopyOnWriteArrayList<>();
    private QuorumController controller;
    private ControllerApis controllerApis;
    private BrokerServer broker;
    private final io.herald.storage.LogManagerConfig logManagerConfig;
    private final HeraldMetrics metrics;
    private final HttpRoutes httpRoutes = new HttpRoutes();
    private HttpServers http;
    private io.herald.console.Console console;

    private HeraldServer(
            ServerConfig config, Map<String, String> properties, io.herald.storage.LogManagerConfig logManagerConfig) {
        this.logManagerConfig = logManagerConfig;
        this.config = config;
        this.properties = Map.copyOf(properties);
        this.network = new NetworkServer(
                new NetworkConfig(
                        config.getInt(ServerConfigDef.SOCKET_REQUEST_MAX_BYTES),
                        config.getLong(ServerConfigDef.CONNECTIONS_MAX_IDLE_MS),
                        config.getInt(ServerConfigDef.NUM_NETWORK_THREADS),
                        config.getInt(ServerConfigDef.SOCKET_SEND_BUFFER),
                        config.getInt(ServerConfigDef.SOCKET_RECEIVE_BUFFER),
                        NetworkConfig.DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION),
                new io.herald.network.RequestHandling(
                        config.getInt(ServerConfigDef.NUM_IO_THREADS),
                        config.getInt(ServerConfigDef.QUEUED_MAX_REQUESTS),
                        config.getLong(ServerConfigDef.QUEUED_MAX_REQUEST_BYTES),
                        java.util.Set.copyOf(config.controllerListenerNames())));
        this.metrics =
                config.getBoolean(ServerConfigDef.METRICS_ENABLED) ? HeraldMetrics.create() : HeraldMetrics.disabled();
        RequestPlaneMetrics.register(metrics, network.dataPlaneStats());
    }

    /**
     * Starts a server from properties and waits until it serves (the broker is unfenced, or the controller runs).
     * Throws {@link org.apache.kafka.common.config.ConfigException} or {@link StorageNotReadyException} with a
     * one-line message for a user's mistake.
     */
    public static HeraldServer start(Map<String, String> properties, long startTimeoutMs) throws Exception {
        ServerConfig config = new ServerConfig(properties);
        for (String key : ServerConfig.unknownKeys(properties)) {
            LOG.warn("Unknown configuration '{}' is ignored", key);
        }
        java.util.Set<String> notActedOn = ServerConfig.notActedOn(properties);
        if (!notActedOn.isEmpty()) {
            LOG.info("Accepted but not acted on by Herald yet (docs/configs.md): {}", String.join(", ", notActedOn));
        }
        // Checked before anything starts, so a bad log.* value is a one-line error, not a half-started node.
        io.herald.storage.LogManagerConfig logManagerConfig = BrokerLogDefaults.logManagerConfig(config, properties);
        String clusterId = StorageCheck.ensureFormatted(config.allDirs(), config.nodeId());
        HeraldServer server = new HeraldServer(config, properties, logManagerConfig);
        try {
            server.startRoles(clusterId, startTimeoutMs);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Formats the configured directories with a new cluster id when none of them is formatted yet. */
    public static void formatIfNeeded(Map<String, String> properties) {
        formatIfNeeded(properties, org.apache.kafka.common.Uuid.randomUuid().toString());
    }

    /** Formats the configured directories with the given cluster id when none of them is formatted yet. */
    public static void formatIfNeeded(Map<String, String> properties, String clusterId) {
        ServerConfig config = new ServerConfig(properties);
        StorageCheck.formatIfNeeded(config.allDirs(), config.metadataLogDir(), config.nodeId(), clusterId);
    }

    private void startRoles(String clusterId, long startTimeoutMs) throws Exception {
        long startNanos = System.nanoTime();
        List<QuorumPeer> voters = QuorumConfig.voters(config);
        metrics.startJmx();
        if (config.isController()) {
            startController(clusterId, voters);
            ControllerMetrics.register(metrics, controller);
        }
        if (config.isBroker()) {
            startBroker(clusterId, voters, startTimeoutMs);
        }
        startHttp();
        LOG.info(
                "Herald node {} ({}) started in {} ms, cluster {}",
                config.nodeId(),
                String.join(",", config.getList(ServerConfigDef.PROCESS_ROLES)),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                clusterId);
    }

    /** Binds a listener; a port already taken is one line naming the address, the listener and the config to change. */
    private InetSocketAddress bindListener(Endpoint listener, io.herald.protocol.RequestProcessor processor)
            throws Exception {
        ListenerSecurity security = ListenerSecurity.create(
                listener.listenerName(),
                config.securityProtocol(listener.listenerName()),
                properties,
                scramCredentials());
        securities.add(security);
        try {
            return network.bind(listener.listenerName(), listener.host(), listener.port(), processor, security);
        } catch (Exception e) {
            if (!addressInUse(e)) {
                throw e;
            }
            String host = listener.host() == null || listener.host().isEmpty() ? "0.0.0.0" : listener.host();
            throw new ConfigException("Cannot listen on " + host + ":" + listener.port() + " for listener "
                    + listener.listenerName() + ": the address is already in use; change its port in "
                    + ServerConfigDef.LISTENERS + " or stop the process holding it");
        }
    }

    /** SCRAM credentials as this node's metadata image holds them (the broker's, else the controller's). */
    private ScramCredentialLookup scramCredentials() {
        return (user, mechanism) -> {
            io.herald.metadata.MetadataImage image =
                    broker != null ? broker.metadataCache().image() : controller != null ? controller.image() : null;
            return image == null ? null : ScramCredentialsView.find(image, user, mechanism);
        };
    }

    private static boolean addressInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.BindException
                    || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** The HTTP port ({@code http.listeners}): /metrics, and whatever routes other modules add to {@link #httpRoutes}. */
    private void startHttp() throws Exception {
        List<String> values = config.getList(ServerConfigDef.HTTP_LISTENERS);
        if (values.isEmpty()) {
            return;
        }
        List<HttpServers.Listener> listeners = new ArrayList<>();
        for (String value : values) {
            try {
                listeners.add(HttpServers.Listener.parse(value));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ServerConfigDef.HTTP_LISTENERS, value, e.getMessage());
            }
        }
        new PrometheusExporter(metrics).addTo(httpRoutes);
        if (broker != null && config.getBoolean(ServerConfigDef.CONSOLE_ENABLED)) {
            console = ConsoleWiring.create(config, properties, bound).addTo(httpRoutes);
        }
        try {
            http = HttpServers.start(listeners, httpRoutes);
        } catch (java.io.IOException e) {
            if (!addressInUse(e)) {
                throw e;
            }
            throw new ConfigException("Cannot listen for HTTP on " + values + ": the address is already in use; change "
                    + ServerConfigDef.HTTP_LISTENERS + " or stop the process holding it");
        }
    }

    /** The HTTP port's routes: a module adds its pages here (before or after start). */
    public HttpRoutes httpRoutes() {
        return httpRoutes;
    }

    /** The bound HTTP listeners (empty when {@code http.listeners} is not set). */
    public List<InetSocketAddress> httpAddresses() {
        return http == null ? List.of() : http.addresses();
    }

    /** This node's measurements (also registered as MBeans under Kafka's names). */
    public HeraldMetrics metrics() {
        return metrics;
    }

    private void startController(String clusterId, List<QuorumPeer> voters) throws Exception {
        controller = new QuorumController(new ControllerSettings(
                config.nodeId(),
                clusterId,
                config.metadataLogDir().resolve("__cluster_metadata-0"),
                voters,
                config.getInt(ServerConfigDef.NUM_PARTITIONS),
                config.getShort(ServerConfigDef.DEFAULT_REPLICATION_FACTOR),
                config.getInt(ServerConfigDef.SESSION_TIMEOUT_MS),
                config.getLong(ServerConfigDef.METADATA_SNAPSHOT_RECORDS),
                REQUEST_TIMEOUT_MS,
                new ControllerSettings.Leadership(
                        config.getBoolean(ServerConfigDef.AUTO_LEADER_REBALANCE),
                        TimeUnit.SECONDS.toMillis(
                                config.getLong(ServerConfigDef.LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS)),
                        config.getInt(ServerConfigDef.LEADER_IMBALANCE_PER_BROKER_PERCENTAGE),
                        config.getBoolean(ServerConfigDef.UNCLEAN_LEADER_ELECTION)),
                config.getInt(ServerConfigDef.HEARTBEAT_INTERVAL_MS)));
        try {
            controller.start();
        } catch (Exception e) {
            if (!addressInUse(e)) {
                throw e;
            }
            QuorumPeer self = voters.stream()
                    .filter(v -> v.id() == config.nodeId())
                    .findFirst()
                    .orElse(null);
            String port = self == null
                    ? "its Raft port"
                    : "Raft port " + self.raftPort() + " (controller port " + self.controllerPort() + " + "
                            + ServerConfigDef.RAFT_PORT_OFFSET + ")";
            throw new ConfigException("Cannot start the metadata quorum on " + port
                    + ": the address is already in use; change " + ServerConfigDef.RAFT_PORT_OFFSET
                    + " or stop the process holding it");
        }
        controllerApis = new ControllerApis(controller, properties);
        io.herald.protocol.RequestProcessor dispatcher = io.herald.protocol.PlaintextPrincipals.wrap(
                properties, new RequestDispatcher(controllerApis.registry()));
        for (Endpoint listener : config.controllerListeners()) {
            bound.put(listener.listenerName(), bindListener(listener, dispatcher));
        }
    }

    private void startBroker(String clusterId, List<QuorumPeer> voters, long startTimeoutMs) throws Exception {
        List<InetSocketAddress> controllers = QuorumConfig.controllerAddresses(config, voters);
        // Bind first: with port 0 the real port is only known after binding, and it must be advertised.
        List<Endpoint> clientListeners = config.clientListeners();
        network.limitConnections(connectionLimits(clientListeners));
        BrokerServer[] holder = new BrokerServer[1];
        io.herald.protocol.RequestProcessor lazy =
                (connection, frame) -> holder[0].requestProcessor().process(connection, frame);
        for (Endpoint listener : clientListeners) {
            bound.put(listener.listenerName(), bindListener(listener, lazy));
        }
        List<BrokerEndpoint> advertised = new ArrayList<>();
        for (Endpoint listener : clientListeners) {
            Endpoint adv = config.advertised(listener.listenerName());
            InetSocketAddress actual = bound.get(listener.listenerName());
            String host = adv != null ? adv.host() : listener.host();
            int port = adv != null && adv.port() != 0 ? adv.port() : actual.getPort();
            if (host == null || host.isEmpty()) {
                host = canonicalHostName();
            }
            advertised.add(new BrokerEndpoint(
                    listener.listenerName(), host, port, config.securityProtocol(listener.listenerName()).name));
        }
        GroupConfig groupConfig = CoordinatorConfigs.group(properties);
        broker = new BrokerServer(
                groupConfig,
                CoordinatorConfigs.txn(properties),
                new BrokerSettings(
                        config.nodeId(),
                        clusterId,
                        advertised,
                        controllers,
                        config.getString(ServerConfigDef.BROKER_RACK),
                        config.logDirs(),
                        config.getInt(ServerConfigDef.HEARTBEAT_INTERVAL_MS),
                        REQUEST_TIMEOUT_MS,
                        config.getBoolean(ServerConfigDef.AUTO_CREATE_TOPICS),
                        config.getInt(ServerConfigDef.NUM_PARTITIONS),
                        config.getShort(ServerConfigDef.DEFAULT_REPLICATION_FACTOR),
                        logManagerConfig,
                        new BrokerSettings.StaticConfigs(
                                properties, ServerConfig.definitions(), BrokerLogDefaults.topicDefaults(properties))),
                LogbackLevels.current(),
                metrics);
        holder[0] = broker;
        broker.metadataCache().subscribe(new ListenerStoreReloader(config.nodeId(), properties, securities));
        broker.metadataCache().subscribe(new DynamicConfigNotice(config.nodeId()));
        CompletableFuture<Void> serving = broker.start();
        try {
            serving.get(startTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StorageNotReadyException("The broker was not admitted by the controller quorum within "
                    + startTimeoutMs + " ms: is a controller running at " + controllers + "?");
        }
    }

    /** Kafka's connection limits for the broker's listeners; {@code ip} quotas come from the broker's image. */
    private ConnectionLimits connectionLimits(List<Endpoint> clientListeners) {
        List<String> names =
                clientListeners.stream().map(Endpoint::listenerName).toList();
        String interBroker = properties.get(ServerConfigDef.INTER_BROKER_LISTENER_NAME);
        if (interBroker == null || interBroker.isBlank()) {
            interBroker = names.contains("PLAINTEXT") || names.isEmpty() ? "PLAINTEXT" : names.get(0);
        }
        return ConnectionLimits.create(
                properties,
                new java.util.HashSet<>(names),
                interBroker,
                address -> broker == null
                        ? java.util.OptionalDouble.empty()
                        : broker.metadataCache()
                                .image()
                                .clientQuotas()
                                .resolveIp(address.getHostAddress(), "connection_creation_rate"));
    }

    private static String canonicalHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The address a listener is bound to (with its real port when 0 was configured). */
    public InetSocketAddress boundAddress(String listenerName) {
        return bound.get(listenerName);
    }

    public int nodeId() {
        return config.nodeId();
    }

    /** The metadata image this node has applied: its broker's, else its controller's (for tests and diagnostics). */
    public io.herald.metadata.MetadataImage metadataImage() {
        return broker != null ? broker.metadataCache().image() : controller.image();
    }

    @Override
    public void close() {
        LOG.info("Herald node {} shutting down", config.nodeId());
        if (http != null) {
            http.close();
        }
        if (console != null) {
            console.close();
        }
        if (broker != null) {
            // Clients see a clean disconnect, never a request answered from logs being closed: the client listeners
            // stop accepting and their connections close (each finishing the request it runs) before the broker stops.
            for (Endpoint listener : config.clientListeners()) {
                network.closeListener(listener.listenerName());
            }
            broker.close();
        }
        network.close();
        if (controllerApis != null) {
            controllerApis.close();
        }
        if (controller != null) {
            controller.close();
        }
        securities.forEach(ListenerSecurity::close);
        metrics.close();
        LOG.info("Herald node {} shut down", config.nodeId());
    }
}
