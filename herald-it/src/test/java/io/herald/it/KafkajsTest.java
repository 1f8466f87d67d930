package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kafkajs, a third independent client (pure JavaScript), produces, then consumes through a consumer group. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkajsTest {
    static final Path SCRIPTS = Scripts.HOME.resolve("herald-it/src/test/js");

    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules/kafkajs"))) {
            Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent")
                    .directory(SCRIPTS.toFile())
                    .inheritIO()
                    .start();
            assertThat(install.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(install.exitValue()).as("npm install kafkajs").isZero();
        }
        node = TestNode.combined(dataDir).start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void kafkajsProducesAndConsumesThroughAGroup() throws Exception {
        Process process = new ProcessBuilder(List.of("node", "roundtrip.js", node.bootstrapServers(), "kafkajs", "200"))
                .directory(SCRIPTS.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("\"consumed\":200");
        for (int i = 0; i < 200; i += 37) {
            assertThat(output).contains("\"value\":\"value-" + i + "\"");
        }
    }
}
