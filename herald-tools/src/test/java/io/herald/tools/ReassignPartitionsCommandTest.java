package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.tools.reassign.ReassignmentJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReassignPartitionsCommandTest {
    @TempDir
    Path dir;

    private final MockAdminClient admin = new MockAdminClient(
            List.of(new Node(1, "h1", 9092), new Node(2, "h2", 9092), new Node(3, "h3", 9092)),
            new Node(1, "h1", 9092));

    private ToolOutput reassign(String... args) {
        return ToolOutput.run((a, o, e) -> ReassignPartitionsCommand.run(a, o, e, p -> admin), args);
    }

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void jsonFormatAndValidation() {
        assertThat(ReassignmentJson.format(
                        Map.of(new TopicPartition("t", 1), List.of(2, 3), new TopicPartition("t", 0), List.of(1))))
                .isEqualTo("{\"version\":1,\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1],"
                        + "\"log_dirs\":[\"any\"]},{\"topic\":\"t\",\"partition\":1,\"replicas\":[2,3],"
                        + "\"log_dirs\":[\"any\",\"any\"]}]}");
        assertThatThrownBy(() -> ReassignmentJson.validate(ReassignmentJson.parsePartitions(
                        "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1,1]}]}")))
                .hasMessage("Partition replica lists may not contain duplicate entries: t-0 contains multiple entries"
                        + " for 1");
        assertThatThrownBy(() -> ReassignmentJson.validate(ReassignmentJson.parsePartitions("{\"partitions\":[]}")))
                .hasMessage("Partition reassignment list cannot be empty");
    }

    @Test
    void generateProposesAPlan() throws Exception {
        admin.createTopics(List.of(new NewTopic("t", 3, (short) 2))).all().get();
        Path topics = file("topics.json", "{\"topics\": [{\"topic\": \"t\"}], \"version\": 1}");
        var r = reassign(
                "--bootstrap-server",
                "h1:9092",
                "--generate",
                "--topics-to-move-json-file",
                topics.toString(),
                "--broker-list",
                "2,3");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        var lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("Current partition replica assignment");
        assertThat(lines[1]).startsWith("{\"version\":1,\"partitions\":[{\"topic\":\"t\",\"partition\":0,");
        assertThat(lines[2]).isEmpty();
        assertThat(lines[3]).isEqualTo("Proposed partition reassignment configuration");
        assertThat(lines[4])
                .doesNotContain("[1,")
                .doesNotContain(",1]")
                .contains("\"replicas\":[2,3]")
                .contains("\"replicas\":[3,2]");
    }

    @Test
    void listFormat() {
        assertThat(ReassignPartitionsCommand.list(Map.of())).isEqualTo("No partition reassignments found.");
        var r = new PartitionReassignment(List.of(1, 2, 3), List.of(3), List.of(1));
        assertThat(ReassignPartitionsCommand.list(Map.of(new TopicPartition("t", 0), r)))
                .isEqualTo("Current partition reassignments:" + System.lineSeparator()
                        + "t-0: replicas: 1,2,3. adding: 3. removing: 1.");
    }

    @Test
    void argumentErrors() throws Exception {
        assertThat(reassign("--bootstrap-server", "h").err())
                .isEqualTo("Command must include exactly one action: --generate, --execute, --verify, --cancel,"
                        + " --list\n");
        assertThat(reassign("--list").err())
                .isEqualTo("Please specify either --bootstrap-server or --bootstrap-controller\n");
        assertThat(reassign("--bootstrap-server", "h", "--execute").err())
                .isEqualTo("Missing required argument \"[reassignment-json-file]\"\n");
        assertThat(reassign("--bootstrap-server", "h", "--list", "--throttle", "5")
                        .err())
                .isEqualTo("Option \"[throttle]\" can't be used with action \"[list]\"\n");
        Path plan = file(
                "plan.json",
                "{\"version\":1,\"partitions\":[{\"topic\":\"t\",\"partition\":0," + "\"replicas\":[9]}]}");
        var unknown = reassign("--bootstrap-server", "h", "--execute", "--reassignment-json-file", plan.toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.out()).endsWith("Unknown broker id 9\n");
    }
}
