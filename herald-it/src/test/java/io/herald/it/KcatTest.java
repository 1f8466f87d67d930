package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** librdkafka, a second independent client (through kcat), produces and consumes keyed records. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KcatTest {
    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir).start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static String kcat(String input, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("kcat", "-b", node.bootstrapServers()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void kcatProducesAndConsumesKeyedRecords() throws Exception {
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("kcat", 3, (short) 1)))
                    .all()
                    .get();
        }
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            input.append("key")
                    .append(i % 7)
                    .append(':')
                    .append("value-")
                    .append(i)
                    .append('\n');
        }
        kcat(input.toString(), "-P", "-t", "kcat", "-K:", "-z", "lz4");
        String consumed = kcat(null, "-C", "-t", "kcat", "-o", "beginning", "-e", "-q", "-f", "%k:%s:%p\\n");
        List<String> lines = consumed.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(300);
        java.util.Map<String, String> partitionOfKey = new java.util.HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(":");
            String previous = partitionOfKey.put(parts[0], parts[2]);
            assertThat(previous == null || previous.equals(parts[2]))
                    .as("same key, same partition")
                    .isTrue();
        }
        String metadata = kcat(null, "-L", "-t", "kcat");
        assertThat(metadata).contains("topic \"kcat\" with 3 partitions");
    }
}
