package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** librdkafka's balanced consumer (kcat -G): it joins a group, commits, and a second run resumes where it stopped. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KcatGroupTest {
    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = GroupTest.groupNode(dataDir);
        node.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static List<String> kcat(String input, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", node.bootstrapServers()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String values(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "v" + i + "\n").collect(Collectors.joining());
    }

    @Test
    void aBalancedKcatConsumerCommitsAndTheNextOneResumes() throws Exception {
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("kcat-group", 3, (short) 1)))
                    .all()
                    .get();
        }
        kcat(values(0, 90), "-P", "-t", "kcat-group");
        List<String> first =
                kcat(null, "-G", "kcat-grp", "-X", "auto.offset.reset=earliest", "-q", "-c", "90", "kcat-group");
        assertThat(first)
                .containsExactlyInAnyOrderElementsOf(values(0, 90).lines().toList());

        kcat(values(90, 120), "-P", "-t", "kcat-group");
        List<String> second =
                kcat(null, "-G", "kcat-grp", "-X", "auto.offset.reset=earliest", "-q", "-c", "30", "kcat-group");
        assertThat(second)
                .containsExactlyInAnyOrderElementsOf(values(90, 120).lines().toList());
    }
}
