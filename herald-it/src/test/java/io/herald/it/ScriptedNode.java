package io.herald.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A combined node run as its own process through bin/kafka-server-start.sh, so a test can kill -9 it. */
final class ScriptedNode implements AutoCloseable {
    private final Path dir;
    private final Path config;
    private final int brokerPort;
    private Process process;
    private int starts;

    ScriptedNode(Path dir) throws IOException, InterruptedException {
        this(dir, dir.resolve("data"));
    }

    /** A node whose log.dirs (and so its metadata log) is {@code dataDir}. */
    ScriptedNode(Path dir, Path dataDir) throws IOException, InterruptedException {
        this.dir = dir;
        this.brokerPort = TestPorts.free();
        this.config = Scripts.config(dir, "server.properties", brokerPort, TestPorts.free(), dataDir);
        Scripts.Result format = Scripts.run(
                60, "kafka-storage.sh", "format", "--standalone", "-t", TestNode.CLUSTER_ID, "-c", config.toString());
        if (format.exitCode() != 0) {
            throw new IllegalStateException("format failed: " + format.stderr());
        }
    }

    String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    ScriptedNode start() throws IOException {
        process = Scripts.startLogged(
                dir.resolve("server-" + (starts++) + ".log"), "kafka-server-start.sh", config.toString());
        Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(adminConfig)) {
            await().atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() -> admin.describeCluster()
                                    .nodes()
                                    .get(5, TimeUnit.SECONDS)
                                    .size()
                            == 1);
        }
        return this;
    }

    /** Whether the process exited by itself within {@code seconds}. */
    boolean exitsWithin(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** kill -9: no shutdown hook, no flush, no clean-shutdown marker. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    Path log(int start) {
        return dir.resolve("server-" + start + ".log");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
