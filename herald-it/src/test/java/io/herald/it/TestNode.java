package io.herald.it;

import io.herald.server.HeraldServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A Herald node started in-process on loopback with its own data directory: combined broker+controller by default,
 * or a controller-only / broker-only node of a split cluster. Restartable on the same directory.
 */
final class TestNode implements AutoCloseable {
    /** One cluster id for every test node, so split controller and broker nodes belong together. */
    static final String CLUSTER_ID = "HeraldTestClusterId000";

    private final Map<String, String> properties;
    private HeraldServer server;

    private TestNode(Map<String, String> properties) {
        this.properties = properties;
    }

    static TestNode combined(Path dataDir) {
        int brokerPort = TestPorts.free();
        int controllerPort = TestPorts.free();
        Map<String, String> props = base(1, "broker,controller", dataDir, controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        return new TestNode(props);
    }

    static Map<String, String> base(int nodeId, String roles, Path dataDir, int controllerPort) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("node.id", Integer.toString(nodeId));
        props.put("process.roles", roles);
        props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        props.put("log.dirs", dataDir.toString());
        // A single-broker test cluster, as the shipped config/server.properties sets it up; no join delay in tests.
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Many nodes share one test JVM: a small cleaner map keeps compaction's memory in bounds.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        // The quorum's Raft port is the controller port plus this offset: point it at another free port.
        props.put("herald.quorum.raft.port.offset", Integer.toString(raftOffset(controllerPort)));
        return props;
    }

    private static int raftOffset(int controllerPort) {
        return TestPorts.free() - controllerPort;
    }

    static TestNode of(Map<String, String> properties) {
        return new TestNode(properties);
    }

    TestNode start() throws Exception {
        return start(CLUSTER_ID);
    }

    TestNode start(String clusterId) throws Exception {
        HeraldServer.formatIfNeeded(properties, clusterId);
        server = HeraldServer.start(properties, 60_000);
        return this;
    }

    void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    TestNode restart() throws Exception {
        stop();
        return start();
    }

    /** The metadata image the node has applied. */
    io.herald.metadata.MetadataImage metadataImage() {
        return server.metadataImage();
    }

    Map<String, String> properties() {
        return properties;
    }

    boolean running() {
        return server != null;
    }

    int nodeId() {
        return Integer.parseInt(properties.get("node.id"));
    }

    String bootstrapServers() {
        var address = server.boundAddress("PLAINTEXT");
        return "127.0.0.1:" + address.getPort();
    }

    /** The address of one named listener. */
    String bootstrapServers(String listenerName) {
        return "127.0.0.1:" + server.boundAddress(listenerName).getPort();
    }

    /** The controller listener, for tools' {@code --bootstrap-controller}. */
    String bootstrapControllers() {
        return "127.0.0.1:" + server.boundAddress("CONTROLLER").getPort();
    }

    Properties adminConfig() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return config;
    }

    @Override
    public void close() {
        stop();
    }
}
