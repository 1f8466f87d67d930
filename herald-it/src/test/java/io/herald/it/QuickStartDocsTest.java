package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The quick starts exactly as README.md and docs/quickstart.md print them: the random-uuid, format and start lines are
 * read from both documents and run with bash from the project root, on an empty data directory. Only the config path
 * is swapped for a copy on free ports and a temporary directory (the shipped files use 9092/9093 and /tmp).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QuickStartDocsTest {
    private static final List<String> DOCS = List.of("README.md", "docs/quickstart.md");

    /** Kafka 4.x's sequence (dynamic quorum, --standalone) and the Kafka 3.x one (static voters, no flag). */
    @ParameterizedTest
    @ValueSource(strings = {"server.properties", "kraft/server.properties"})
    void theDocumentedSequenceFormatsAndStartsANode(String shipped, @TempDir Path dir) throws Exception {
        String configPath = "config/" + shipped;
        List<String> sequence = documentedSequence(configPath);
        assertThat(sequence).hasSize(3);
        assertThat(sequence.get(0)).isEqualTo("KAFKA_CLUSTER_ID=\"$(bin/kafka-storage.sh random-uuid)\"");
        assertThat(sequence.get(1)).startsWith("bin/kafka-storage.sh format");
        assertThat(sequence.get(2)).isEqualTo("bin/kafka-server-start.sh " + configPath);

        int brokerPort = TestPorts.free();
        Path data = dir.resolve("data");
        Path config = Scripts.config(dir, shipped, brokerPort, TestPorts.free(), data);
        String format = sequence.get(0) + "\n" + sequence.get(1).replace(configPath, config.toString()) + "\n"
                + "echo \"cluster $KAFKA_CLUSTER_ID\"\n";
        Process formatting = bash(format, dir.resolve("format.log"));
        assertThat(formatting.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String formatOutput = Files.readString(dir.resolve("format.log"));
        assertThat(formatting.exitValue()).as(formatOutput).isZero();
        assertThat(formatOutput).contains("Formatting").contains(data.toString());
        String clusterId = formatOutput
                .lines()
                .filter(l -> l.startsWith("cluster "))
                .findFirst()
                .orElseThrow()
                .substring("cluster ".length());

        Path log = dir.resolve("server.log");
        Process server = bash("exec " + sequence.get(2).replace(configPath, config.toString()), log);
        try {
            Properties adminConfig = new Properties();
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + brokerPort);
            try (Admin admin = Admin.create(adminConfig)) {
                await().atMost(Duration.ofSeconds(120))
                        .ignoreExceptions()
                        .until(() -> admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS), clusterId::equals);
                admin.createTopics(List.of(new NewTopic("quickstart-events", 1, (short) 1)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
            }
        } finally {
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(log)).contains("Herald node 1 (broker,controller) started");
    }

    /**
     * The cluster-id, format and start lines of the sequence on {@code configPath}, identical in every document (a
     * {@code $ } prompt and trailing comments left out).
     */
    private static List<String> documentedSequence(String configPath) throws Exception {
        List<String> first = null;
        for (String doc : DOCS) {
            List<String> lines = Files.readAllLines(Scripts.HOME.resolve(doc), StandardCharsets.UTF_8).stream()
                    .map(l -> l.startsWith("$ ") ? l.substring(2) : l)
                    .map(l -> l.replaceAll("\\s+#.*$", "").strip())
                    .toList();
            List<String> sequence = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("bin/kafka-storage.sh format") && line.endsWith(" " + configPath)
                        || line.contains(" -c " + configPath + " ")) {
                    assertThat(i).isPositive();
                    sequence.add(lines.get(i - 1));
                    sequence.add(line);
                    lines.stream()
                            .skip(i + 1)
                            .filter(l -> l.startsWith("bin/kafka-server-start.sh"))
                            .findFirst()
                            .ifPresent(sequence::add);
                    break;
                }
            }
            assertThat(sequence).as(doc + " documents formatting " + configPath).isNotEmpty();
            if (first == null) {
                first = sequence;
            } else {
                assertThat(sequence).as(doc + " against " + DOCS.get(0)).isEqualTo(first);
            }
        }
        return first;
    }

    private static Process bash(String script, Path log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script)
                .directory(Scripts.HOME.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder.start();
    }
}
