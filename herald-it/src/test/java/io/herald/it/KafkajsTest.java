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

/**
 * kafkajs, a third independent client (pure JavaScript), as its users drive it: produce and consume through a group;
 * its admin client (topics with configs, partitions, offsets by time, committed offsets, groups, records deletion,
 * configs, the cluster); gzip batches with headers, two consumers sharing a group with eachBatch, pause/resume and
 * seek. The scripts assert each answer themselves and print one JSON line.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkajsTest {
    static final Path SCRIPTS = Scripts.HOME.resolve("herald-it/src/test/js");

    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules/kafkajs"))) {
            // Not inheritIO: npm (node) would share the test JVM's stdin, surefire's command channel, and may set it
            // non-blocking, which breaks the fork ("std/in stream corrupted"). Its output goes to a file instead.
            Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--silent")
                    .directory(SCRIPTS.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(SCRIPTS.resolve("npm-install.log").toFile())
                    .start();
            assertThat(install.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(install.exitValue()).as("npm install kafkajs").isZero();
        }
        node = GroupTest.groupNode(dataDir);
        node.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static String runNode(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("node"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(SCRIPTS.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void kafkajsProducesAndConsumesThroughAGroup() throws Exception {
        String output = runNode("roundtrip.js", node.bootstrapServers(), "kafkajs", "200");
        assertThat(output).contains("\"consumed\":200");
        for (int i = 0; i < 200; i += 37) {
            assertThat(output).contains("\"value\":\"value-" + i + "\"");
        }
    }

    @Test
    void kafkajsAdminClientGetsKafkasAnswers() throws Exception {
        String output = runNode("admin.js", node.bootstrapServers(), "kjs-admin");
        assertThat(output)
                .contains("\"admin\":\"ok\"", "\"partitions\":3", "\"groups\":\"ok\"", "\"deleteRecords\":\"ok\"")
                .contains("\"configs\":\"ok\"", "\"cluster\":1");
    }

    @Test
    void kafkajsConsumersShareAGroupPauseResumeAndSeek() throws Exception {
        String output = runNode("consumers.js", node.bootstrapServers(), "kjs-consumers");
        assertThat(output).contains("\"consumers\":\"ok\"", "\"shared\":201");
    }
}
