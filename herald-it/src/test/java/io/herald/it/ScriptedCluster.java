package io.herald.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * A cluster of real Herald processes on loopback, each started from {@code bin/kafka-server-start.sh} with its own
 * config, data directory and log: combined broker+controller nodes (or separate controllers and brokers) with a static
 * quorum ({@code controller.quorum.voters}). Any node can be killed with kill -9 ({@link ClusterNode#kill}), stopped
 * with SIGTERM ({@link ClusterNode#stop}) and started again on its data directory. Ports are free loopback ports below
 * 32768 found before start (the OS never lends those to outgoing connections, so a restarted node gets its ports
 * back); with {@link Builder#interBrokerProxies()} brokers reach each other through a {@link FaultyProxy} per
 * broker, so a test can cut the network between brokers while clients still reach every broker.
 *
 * <p>Every node's output goes to {@code node-K.start-S.log} in the cluster's directory; give the test a
 * {@code @TempDir(cleanup = CleanupMode.ON_SUCCESS)} so the logs stay when it fails (the directory is printed).
 */
final class ScriptedCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Path dir;
    private final List<ClusterNode> nodes;
    private Admin admin;

    private ScriptedCluster(Path dir, List<ClusterNode> nodes) {
        this.dir = dir;
        this.nodes = nodes;
    }

    /** A cluster of {@code size} combined broker+controller nodes, ids 1..size, all of them voters. */
    static Builder combined(Path dir, int size) {
        return new Builder(dir, 0, size);
    }

    /** Controller-only nodes 1..controllers (the voters) and broker-only nodes after them. */
    static Builder split(Path dir, int controllers, int brokers) {
        return new Builder(dir, controllers, brokers);
    }

    /** Configures a cluster before it starts. */
    static final class Builder {
        private final Path dir;
        private final int controllers;
        private final int brokersOrCombined;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private boolean proxies;

        private Builder(Path dir, int controllers, int brokersOrCombined) {
            this.dir = dir;
            this.controllers = controllers;
            this.brokersOrCombined = brokersOrCombined;
            // Quick fencing and no join delay: failover tests wait on these.
            properties.put("broker.heartbeat.interval.ms", "500");
            properties.put("broker.session.timeout.ms", "6000");
            properties.put("group.initial.rebalance.delay.ms", "0");
            properties.put("offsets.topic.num.partitions", "6");
            properties.put("offsets.topic.replication.factor", Integer.toString(Math.min(3, brokersOrCombined)));
            properties.put(
                    "transaction.state.log.replication.factor", Integer.toString(Math.min(3, brokersOrCombined)));
            properties.put("transaction.state.log.min.isr", Integer.toString(Math.min(2, brokersOrCombined)));
            properties.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        }

        /** A server property for every node (wins over the harness's own). */
        Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** Inter-broker traffic on a REPLICATION listener reached through a {@link FaultyProxy} per broker. */
        Builder interBrokerProxies() {
            this.proxies = true;
            return this;
        }

        /** Formats every node with one cluster id, starts them all and waits until every broker serves. */
        ScriptedCluster start() throws IOException, InterruptedException {
            boolean combined = controllers == 0;
            int total = combined ? brokersOrCombined : controllers + brokersOrCombined;
            int voters = combined ? brokersOrCombined : controllers;
            int[] quorumPorts = TestPorts.freeQuorumPorts(voters);
            int[] controllerPorts = new int[total + 1];
            System.arraycopy(quorumPorts, 0, controllerPorts, 1, voters);
            String quorum = java.util.stream.IntStream.rangeClosed(1, voters)
                    .mapToObj(id -> id + "@127.0.0.1:" + controllerPorts[id])
                    .collect(Collectors.joining(","));
            System.out.println("ScriptedCluster: " + total + " nodes in " + dir);
            List<ClusterNode> nodes = new ArrayList<>();
            for (int id = 1; id <= total; id++) {
                String roles = combined ? "broker,controller" : id <= controllers ? "controller" : "broker";
                Map<String, String> props = new LinkedHashMap<>();
                props.put("node.id", Integer.toString(id));
                props.put("process.roles", roles);
                props.put("controller.quorum.voters", quorum);
                props.put("controller.listener.names", "CONTROLLER");
                props.put("herald.quorum.raft.port.offset", Integer.toString(TestPorts.RAFT_OFFSET));
                props.put("log.dirs", dir.resolve("node-" + id).toString());
                List<String> listeners = new ArrayList<>();
                List<String> advertised = new ArrayList<>();
                FaultyProxy proxy = null;
                int brokerPort = 0;
                if (roles.contains("broker")) {
                    brokerPort = TestPorts.freeLow();
                    listeners.add("PLAINTEXT://127.0.0.1:" + brokerPort);
                    advertised.add("PLAINTEXT://127.0.0.1:" + brokerPort);
                    if (proxies) {
                        int replicationPort = TestPorts.freeLow();
                        proxy = new FaultyProxy(replicationPort);
                        listeners.add("REPLICATION://127.0.0.1:" + replicationPort);
                        advertised.add("REPLICATION://127.0.0.1:" + proxy.port());
                        props.put("inter.broker.listener.name", "REPLICATION");
                    } else {
                        props.put("inter.broker.listener.name", "PLAINTEXT");
                    }
                }
                if (roles.contains("controller")) {
                    listeners.add("CONTROLLER://127.0.0.1:" + controllerPorts[id]);
                }
                props.put("listeners", String.join(",", listeners));
                if (!advertised.isEmpty()) {
                    props.put("advertised.listeners", String.join(",", advertised));
                }
                props.put(
                        "listener.security.protocol.map",
                        "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,REPLICATION:PLAINTEXT");
                props.putAll(properties);
                nodes.add(new ClusterNode(dir, id, roles, brokerPort, proxy, writeConfig(dir, id, props)));
            }
            List<Process> formats = new ArrayList<>();
            for (ClusterNode node : nodes) {
                formats.add(Scripts.startLogged(
                        dir.resolve("node-" + node.id() + ".format.log"),
                        "kafka-storage.sh",
                        "format",
                        "-t",
                        TestNode.CLUSTER_ID,
                        "-c",
                        node.config.toString()));
            }
            for (int i = 0; i < formats.size(); i++) {
                Process format = formats.get(i);
                if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                    format.destroyForcibly();
                    throw new IllegalStateException("formatting node " + (i + 1) + " failed: "
                            + Files.readString(dir.resolve("node-" + (i + 1) + ".format.log")));
                }
            }
            ScriptedCluster cluster = new ScriptedCluster(dir, nodes);
            try {
                for (ClusterNode node : nodes) {
                    node.start();
                }
                for (ClusterNode node : nodes) {
                    node.awaitStarted();
                }
                cluster.awaitBrokers(cluster.brokers().size());
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }

        private static Path writeConfig(Path dir, int id, Map<String, String> props) throws IOException {
            Files.createDirectories(dir);
            Path file = dir.resolve("node-" + id + ".properties");
            StringBuilder text = new StringBuilder();
            props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.writeString(file, text);
            return file;
        }
    }

    Path dir() {
        return dir;
    }

    List<ClusterNode> nodes() {
        return nodes;
    }

    ClusterNode node(int id) {
        return nodes.get(id - 1);
    }

    List<ClusterNode> brokers() {
        return nodes.stream().filter(ClusterNode::isBroker).toList();
    }

    /** Every broker's client listener, for clients that should survive any one broker's death. */
    String bootstrapServers() {
        return nodes.stream()
                .filter(ClusterNode::isBroker)
                .map(ClusterNode::bootstrapServer)
                .collect(Collectors.joining(","));
    }

    /** An Admin client on every broker, created once the cluster has started; closed with the cluster. */
    synchronized Admin admin() {
        if (admin == null) {
            Properties config = new Properties();
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
            admin = Admin.create(config);
        }
        return admin;
    }

    /** Waits until the cluster's metadata lists exactly this many live brokers. */
    void awaitBrokers(int count) {
        await(count + " live brokers")
                .atMost(START_TIMEOUT)
                .ignoreExceptions()
                .until(() -> admin().describeCluster()
                                .nodes()
                                .get(10, TimeUnit.SECONDS)
                                .size()
                        == count);
    }

    /** The partition as the cluster's metadata describes it now. */
    TopicPartitionInfo describe(TopicPartition partition) throws Exception {
        TopicDescription description = admin().describeTopics(List.of(partition.topic()))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(partition.topic());
        return description.partitions().get(partition.partition());
    }

    /** The partition's current leader, once it has one that is alive. */
    ClusterNode awaitLeader(TopicPartition partition) {
        int[] leader = new int[1];
        await("a live leader for " + partition)
                .atMost(START_TIMEOUT)
                .ignoreExceptions()
                .until(() -> {
                    Node node = describe(partition).leader();
                    if (node == null || node.id() < 0 || !node(node.id()).alive()) {
                        return false;
                    }
                    leader[0] = node.id();
                    return true;
                });
        return node(leader[0]);
    }

    /** Stops every node with SIGTERM (kill -9 after a minute) and closes the proxies. */
    @Override
    public void close() {
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
        List<Thread> stoppers = new ArrayList<>();
        for (ClusterNode node : nodes) {
            stoppers.add(Thread.ofVirtual().start(node::close));
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One node of the cluster: its own process, config, data directory and logs. */
    static final class ClusterNode {
        private final Path dir;
        private final int id;
        private final String roles;
        private final int brokerPort;
        private final FaultyProxy proxy;
        private final Path config;
        private Process process;
        private int starts;

        private ClusterNode(Path dir, int id, String roles, int brokerPort, FaultyProxy proxy, Path config) {
            this.dir = dir;
            this.id = id;
            this.roles = roles;
            this.brokerPort = brokerPort;
            this.proxy = proxy;
            this.config = config;
        }

        int id() {
            return id;
        }

        boolean isBroker() {
            return roles.contains("broker");
        }

        String bootstrapServer() {
            return "127.0.0.1:" + brokerPort;
        }

        /** The proxy other brokers reach this one through (with {@link Builder#interBrokerProxies()}), else null. */
        FaultyProxy proxy() {
            return proxy;
        }

        Path dataDir() {
            return dir.resolve("node-" + id);
        }

        synchronized boolean alive() {
            return process != null && process.isAlive();
        }

        /** The log of the current (or last) run. */
        synchronized Path log() {
            return dir.resolve("node-" + id + ".start-" + (starts - 1) + ".log");
        }

        /** Starts the process on its data directory; {@link #awaitStarted()} waits for it to serve. */
        synchronized void start() throws IOException {
            if (alive()) {
                throw new IllegalStateException("node " + id + " is running");
            }
            process = Scripts.startLogged(
                    dir.resolve("node-" + id + ".start-" + (starts++) + ".log"),
                    "kafka-server-start.sh",
                    config.toString());
        }

        /** Waits until the node logs that it started (a broker: registered, caught up and unfenced). */
        void awaitStarted() {
            Path log = log();
            String started = "Herald node " + id + " (";
            await("node " + id + " started (" + log + ")")
                    .atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!alive()) {
                            throw new IllegalStateException(
                                    "node " + id + " exited while starting; its log: " + log + "\n" + tail(log));
                        }
                        return Files.exists(log) && Files.readString(log).contains(started);
                    });
        }

        /** Starts the node and waits until it serves. */
        void restart() throws IOException {
            start();
            awaitStarted();
        }

        /** kill -9: no shutdown hook, no flush, no controlled shutdown. */
        void kill() throws InterruptedException {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p != null) {
                p.destroyForcibly();
                p.waitFor(60, TimeUnit.SECONDS);
            }
        }

        /** SIGTERM: a clean, controlled shutdown; waits for the process to exit. */
        void stop() throws InterruptedException {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p != null && p.isAlive()) {
                p.destroy();
                if (!p.waitFor(90, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                    throw new IllegalStateException("node " + id + " did not stop within 90 s of SIGTERM");
                }
            }
        }

        private void close() {
            try {
                stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalStateException e) {
                System.out.println("ScriptedCluster: " + e.getMessage());
            }
            if (proxy != null) {
                proxy.close();
            }
        }

        static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "node " + id;
        }
    }
}
