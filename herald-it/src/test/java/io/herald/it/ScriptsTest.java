package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bin/ scripts as a user runs them: random-uuid, format, kafka-server-start.sh, SIGTERM, and bad starts. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ScriptsTest {

    @Test
    void formatStartServeAndStopThroughTheScripts(@TempDir Path dir) throws Exception {
        Scripts.Result uuid = Scripts.run(60, "kafka-storage.sh", "random-uuid");
        assertThat(uuid.exitCode()).isZero();
        String clusterId = uuid.stdout().trim();
        assertThat(clusterId).matches("[A-Za-z0-9_-]{22}");

        int brokerPort = TestPorts.free();
        int controllerPort = TestPorts.free();
        Path data = dir.resolve("data");
        Path config = Scripts.config(dir, "server.properties", brokerPort, controllerPort, data);
        Scripts.Result format =
                Scripts.run(60, "kafka-storage.sh", "format", "--standalone", "-t", clusterId, "-c", config.toString());
        assertThat(format.exitCode()).as(format.stderr()).isZero();
        assertThat(format.stdout()).contains("Formatting").contains(data.toString());
        assertThat(Files.readString(data.resolve("meta.properties"))).contains("cluster.id=" + clusterId);

        Path log = dir.resolve("server.log");
        Process server = Scripts.startLogged(log, "kafka-server-start.sh", config.toString());
        try {
            Properties adminConfig = new Properties();
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + brokerPort);
            try (Admin admin = Admin.create(adminConfig)) {
                await().atMost(Duration.ofSeconds(90))
                        .ignoreExceptions()
                        .until(() -> admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS), clusterId::equals);
                admin.createTopics(List.of(new NewTopic("scripted", 2, (short) 1)))
                        .all()
                        .get();
                assertThat(admin.listTopics().names().get()).contains("scripted");
            }
        } finally {
            server.destroy(); // SIGTERM: a clean shutdown
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        String output = Files.readString(log);
        assertThat(output).contains("Herald node 1 (broker,controller) started").contains("shut down");
        assertThat(output).doesNotContain("Exception");
    }

    @Test
    void serverStopPicksTheNodeByItsNodeId(@TempDir Path dir) throws Exception {
        // A node id no other node on this shared machine uses: the script may only ever stop this test's node.
        int nodeId = 10_000 + (int) (ProcessHandle.current().pid() % 50_000);
        int brokerPort = TestPorts.free();
        Path config = Scripts.config(dir, "server.properties", brokerPort, TestPorts.free(), dir.resolve("data"));
        Files.writeString(config, Files.readString(config).replaceAll("(?m)^node\\.id=.*$", "node.id=" + nodeId));
        Scripts.Result format = Scripts.run(
                60, "kafka-storage.sh", "format", "--standalone", "-t", TestNode.CLUSTER_ID, "-c", config.toString());
        assertThat(format.exitCode()).as(format.stderr()).isZero();
        Path log = dir.resolve("server.log");
        Process server = Scripts.startLogged(log, "kafka-server-start.sh", config.toString());
        try {
            Properties adminConfig = new Properties();
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + brokerPort);
            try (Admin admin = Admin.create(adminConfig)) {
                await().atMost(Duration.ofSeconds(90))
                        .ignoreExceptions()
                        .until(() -> admin.describeCluster()
                                        .nodes()
                                        .get(5, TimeUnit.SECONDS)
                                        .size()
                                == 1);

                Scripts.Result other = Scripts.run(60, "kafka-server-stop.sh", "--node-id=" + (nodeId + 1));
                assertThat(other.exitCode()).isZero();
                // Still serving after the script is done: a round trip through the controller, and no shutdown.
                admin.createTopics(List.of(new NewTopic("still-up", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                assertThat(server.isAlive()).isTrue();
                assertThat(Files.readString(log)).doesNotContain("shutting down");
            }

            Scripts.Result both =
                    Scripts.run(60, "kafka-server-stop.sh", "--process-role=no-such-role", "--node-id=" + nodeId);
            assertThat(both.stdout())
                    .isEqualTo("When both node-id and process-role are provided, the value for node-id will take"
                            + " precedence\n");
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log)).contains("Herald node " + nodeId + " shutting down");
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void controllerAndBrokerRunAsTwoProcessesFromTheShippedConfigs(@TempDir Path dir) throws Exception {
        int brokerPort = TestPorts.free();
        int controllerPort = TestPorts.free();
        Path controllerConfig =
                Scripts.config(dir, "controller.properties", brokerPort, controllerPort, dir.resolve("controller"));
        Path brokerConfig = Scripts.config(dir, "broker.properties", brokerPort, controllerPort, dir.resolve("broker"));
        String clusterId =
                Scripts.run(60, "kafka-storage.sh", "random-uuid").stdout().trim();
        assertThat(Scripts.run(
                                60,
                                "kafka-storage.sh",
                                "format",
                                "--standalone",
                                "-t",
                                clusterId,
                                "-c",
                                controllerConfig.toString())
                        .exitCode())
                .isZero();
        assertThat(Scripts.run(60, "kafka-storage.sh", "format", "-t", clusterId, "-c", brokerConfig.toString())
                        .exitCode())
                .isZero();
        Process controller = Scripts.startLogged(
                dir.resolve("controller.log"), "kafka-server-start.sh", controllerConfig.toString());
        Process broker =
                Scripts.startLogged(dir.resolve("broker.log"), "kafka-server-start.sh", brokerConfig.toString());
        try {
            Properties adminConfig = new Properties();
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + brokerPort);
            try (Admin admin = Admin.create(adminConfig)) {
                await().atMost(Duration.ofSeconds(90))
                        .ignoreExceptions()
                        .until(() -> admin.describeCluster()
                                        .nodes()
                                        .get(5, TimeUnit.SECONDS)
                                        .size()
                                == 1);
                assertThat(admin.describeCluster()
                                .nodes()
                                .get()
                                .iterator()
                                .next()
                                .id())
                        .isEqualTo(2);
                admin.createTopics(List.of(new NewTopic("two-processes", 3, (short) 1)))
                        .all()
                        .get();
                assertThat(admin.describeTopics(List.of("two-processes"))
                                .allTopicNames()
                                .get()
                                .get("two-processes")
                                .partitions())
                        .allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(2));
            }
        } finally {
            broker.destroy();
            controller.destroy();
            assertThat(broker.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(controller.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("broker.log"))).contains("Herald node 2 (broker) started");
        assertThat(Files.readString(dir.resolve("controller.log"))).contains("Herald node 1 (controller) started");
    }

    @Test
    void startingOnAnUnformattedDirectoryFailsWithOneLineNamingTheFormatCommand(@TempDir Path dir) throws Exception {
        Path config =
                Scripts.config(dir, "server.properties", TestPorts.free(), TestPorts.free(), dir.resolve("empty"));
        Scripts.Result result = Scripts.run(90, "kafka-server-start.sh", config.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("kafka-storage.sh").doesNotContain("\tat ");
    }

    @Test
    void badPropertyValueFailsWithOneLineNamingTheKey(@TempDir Path dir) throws Exception {
        Path config = Scripts.config(dir, "server.properties", TestPorts.free(), TestPorts.free(), dir.resolve("d"));
        Files.writeString(config, Files.readString(config).replace("num.partitions=1", "num.partitions=lots"));
        Scripts.Result result = Scripts.run(90, "kafka-server-start.sh", config.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("num.partitions").doesNotContain("\tat ");
    }
}
