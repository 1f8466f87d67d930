package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/herald start --nodes 3} as a user runs it (moved off 9092 with {@code --base-port}, its data in
 * {@code HERALD_DATA_DIR}): three nodes come up, Kafka's kafka-topics creates a topic with three replicas and
 * describes it, and SIGTERM to the script (what Ctrl-C does) stops every node.
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class LocalClusterScriptTest {

    @Test
    void threeNodesServeAReplicationFactorThreeTopicAndStopTogether(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        int base = freeBase();
        Path output = dir.resolve("herald-start.out");
        ProcessBuilder builder = new ProcessBuilder(
                        Scripts.HOME.resolve("bin/herald").toString(),
                        "start",
                        "--nodes",
                        "3",
                        "--base-port",
                        Integer.toString(base))
                .directory(Scripts.HOME.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HERALD_DATA_DIR", dir.resolve("data").toString());
        Process script = builder.start();
        try {
            await().atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        assertThat(script.isAlive())
                                .as("bin/herald exited: %s", Files.readString(output))
                                .isTrue();
                        return Files.readString(output).contains("of 3 nodes is up");
                    });
            String bootstrap = "localhost:" + base + ",localhost:" + (base + 2) + ",localhost:" + (base + 4);
            assertThat(Files.readString(output))
                    .contains("node 2: broker localhost:" + (base + 2) + ", controller localhost:" + (base + 3))
                    .contains("--bootstrap-server " + bootstrap);
            for (int k = 1; k <= 3; k++) {
                assertThat(dir.resolve("data/node-" + k + "/meta.properties")).exists();
                assertThat(Files.readString(dir.resolve("data/node-" + k + ".properties")))
                        .contains("node.id=" + k)
                        .contains("controller.quorum.voters=1@localhost:" + (base + 1) + ",2@localhost:" + (base + 3)
                                + ",3@localhost:" + (base + 5));
            }

            Scripts.Result create = Scripts.run(
                    120,
                    "kafka-topics.sh",
                    "--bootstrap-server",
                    "localhost:" + (base + 4),
                    "--create",
                    "--topic",
                    "three-ways",
                    "--partitions",
                    "2",
                    "--replication-factor",
                    "3");
            assertThat(create.stdout()).as(create.stderr()).contains("Created topic three-ways.");
            Scripts.Result describe = Scripts.run(
                    120, "kafka-topics.sh", "--bootstrap-server", bootstrap, "--describe", "--topic", "three-ways");
            assertThat(describe.stdout())
                    .as(describe.stderr())
                    .contains("PartitionCount: 2\tReplicationFactor: 3")
                    .containsPattern("Partition: 0\tLeader: [123]\tReplicas: [123],[123],[123]\tIsr: ")
                    .containsPattern("Partition: 1\tLeader: [123]\tReplicas: [123],[123],[123]\tIsr: ");
            List<ProcessHandle> nodes = script.descendants().toList();
            assertThat(nodes).hasSizeGreaterThanOrEqualTo(3);

            script.destroy(); // SIGTERM, as Ctrl-C's SIGINT reaches the script
            assertThat(script.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(script.exitValue()).isZero();
            assertThat(nodes).noneMatch(ProcessHandle::isAlive);
            assertThat(Files.readString(output)).contains("Stopped.");
            for (int k = 1; k <= 3; k++) {
                assertThat(Files.readString(dir.resolve("data/node-" + k + ".log")))
                        .contains("Herald node " + k + " shut down");
            }
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }

    /** A base port below 32768 with the six listener ports, three Raft ports and three HTTP ports (base + 6..8) free. */
    private static int freeBase() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 2 * ThreadLocalRandom.current().nextInt(5_000, 11_000);
            if (allFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("no free base port");
    }

    private static boolean allFree(int base) {
        for (int i = 6; i < 9; i++) {
            if (!TestPorts.isFree(base + i)) {
                return false;
            }
        }
        for (int i = 0; i < 6; i++) {
            if (!TestPorts.isFree(base + i) || (i % 2 == 1 && !TestPorts.isFree(base + i + TestPorts.RAFT_OFFSET))) {
                return false;
            }
        }
        return true;
    }
}
