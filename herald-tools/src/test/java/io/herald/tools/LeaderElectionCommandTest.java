package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.PreferredLeaderNotAvailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeaderElectionCommandTest {
    @Test
    void reportsOutcomes() {
        var results = new LinkedHashMap<TopicPartition, Optional<Throwable>>();
        results.put(new TopicPartition("t", 1), Optional.empty());
        results.put(new TopicPartition("t", 0), Optional.empty());
        results.put(new TopicPartition("u", 0), Optional.of(new ElectionNotNeededException("not needed")));
        results.put(new TopicPartition("v", 0), Optional.of(new PreferredLeaderNotAvailableException("gone")));
        var bytes = new ByteArrayOutputStream();
        int failed = LeaderElectionCommand.report(
                ElectionType.PREFERRED, results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(failed).isEqualTo(1);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("Successfully completed leader election (PREFERRED) for partitions t-0, t-1\n"
                        + "Valid replica already elected for partitions u-0\n"
                        + "Error completing leader election (PREFERRED) for partition: v-0: "
                        + "org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: gone\n");
    }

    @Test
    void parsesElectionFile() {
        assertThat(
                        LeaderElectionCommand.parseElectionFile(
                                "{\"partitions\": [{\"topic\": \"foo\", \"partition\": 1}, {\"topic\": \"bar\", \"partition\": 2}]}"))
                .containsExactly(new TopicPartition("foo", 1), new TopicPartition("bar", 2));
        assertThatThrownBy(() -> LeaderElectionCommand.parseElectionFile("{}"))
                .hasMessage("Replica election data is missing \"partitions\" field");
        assertThatThrownBy(
                        () -> LeaderElectionCommand.parseElectionFile(
                                "{\"partitions\": [{\"topic\": \"a\", \"partition\": 0}, {\"topic\": \"a\", \"partition\": 0}]}"))
                .hasMessage("Replica election data contains duplicate partitions: [a-0]");
    }

    @Test
    void argumentErrors() {
        var r = ToolOutput.run(LeaderElectionCommand::run, "--topic", "t");
        assertThat(r.err()).isEqualTo("Missing required option(s): bootstrap-server, election-type\n");
        assertThat(ToolOutput.run(LeaderElectionCommand::run, "--bootstrap-server", "h", "--election-type", "preferred")
                        .err())
                .isEqualTo("One and only one of the following options is required: topic, all-topic-partitions,"
                        + " path-to-json-file\n");
        assertThat(ToolOutput.run(
                                LeaderElectionCommand::run,
                                "--bootstrap-server",
                                "h",
                                "--election-type",
                                "preferred",
                                "--topic",
                                "t")
                        .err())
                .isEqualTo("Missing required option(s): partition\n");
    }
}
