package io.herald.bench.compare;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One broker under test, Herald or Apache Kafka: a combined broker + controller node on loopback with its own
 * directory, formatted and started the way its users do it, then measured from outside through its PID.
 */
abstract class BrokerProcess implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    /** Both brokers get Kafka's stock heap (kafka-server-start.sh's KAFKA_HEAP_OPTS). */
    static final String HEAP_OPTS = "-Xmx1G -Xms1G";

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final long STOP_TIMEOUT_SECONDS = 60;
    /** Herald's Ratis peer listens on the controller port plus this offset (herald.quorum.raft.port.offset). */
    private static final int RAFT_PORT_OFFSET = 10_000;

    final Path dir;
    final String java;
    final int port;
    final int controllerPort;
    private Process process;

    BrokerProcess(Path dir, String java) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.java = java;
        int[] ports = freePorts();
        this.port = ports[0];
        this.controllerPort = ports[1];
    }

    abstract String name();

    /** Writes the broker's config and runs its storage tool's format; throws if the tool fails. */
    abstract void format(String clusterId) throws IOException, InterruptedException;

    /** The command and environment that start the broker in the foreground. */
    abstract ProcessBuilder startCommand();

    String bootstrap() {
        return HOST + ":" + port;
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Starts the broker and returns the nanoseconds from spawning it to the first Metadata answer. */
    long startAndAwaitMetadata() throws IOException, TimeoutException {
        ProcessBuilder builder = startCommand()
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.out").toFile());
        long started = System.nanoTime();
        process = builder.start();
        MetadataProbe.awaitFirstAnswer(HOST, port, START_TIMEOUT_NANOS, process.toHandle());
        return System.nanoTime() - started;
    }

    /** Stops with SIGTERM (a clean shutdown, as kafka-server-stop.sh does), killing it if that takes too long. */
    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The server.properties both brokers run with: Kafka's names and defaults, durability left at the defaults. */
    String serverProperties() {
        return String.join(
                        "\n",
                        List.of(
                                "process.roles=broker,controller",
                                "node.id=1",
                                "controller.quorum.voters=1@" + HOST + ":" + controllerPort,
                                "listeners=PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":"
                                        + controllerPort,
                                "advertised.listeners=PLAINTEXT://" + HOST + ":" + port,
                                "controller.listener.names=CONTROLLER",
                                "inter.broker.listener.name=PLAINTEXT",
                                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                                "log.dirs=" + dir.resolve("data"),
                                "num.partitions=1",
                                "offsets.topic.replication.factor=1",
                                "transaction.state.log.replication.factor=1",
                                "transaction.state.log.min.isr=1",
                                "share.coordinator.state.topic.replication.factor=1",
                                "share.coordinator.state.topic.min.isr=1",
                                "group.initial.rebalance.delay.ms=0",
                                "auto.create.topics.enable=false"))
                + "\n";
    }

    Path writeConfig() throws IOException {
        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(), StandardCharsets.UTF_8);
        return config;
    }

    static void runToCompletion(ProcessBuilder builder, Path log, String what)
            throws IOException, InterruptedException {
        Process p =
                builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IOException(what + " did not finish; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IOException(what + " failed with exit code " + p.exitValue() + ": "
                    + Files.readString(log).strip());
        }
    }

    static ProcessBuilder withEnv(ProcessBuilder builder, Map<String, String> env) {
        builder.environment().putAll(env);
        return builder;
    }

    /** A client port and a controller port (whose Raft neighbour at +10000 is also free) on loopback. */
    private static int[] freePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int client = freePort();
            int controller = freePort();
            if (client != controller
                    && controller + RAFT_PORT_OFFSET < 65_536
                    && isFree(controller + RAFT_PORT_OFFSET)
                    && client != controller + RAFT_PORT_OFFSET) {
                return new int[] {client, controller};
            }
        }
        throw new IOException("no free loopback ports");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
