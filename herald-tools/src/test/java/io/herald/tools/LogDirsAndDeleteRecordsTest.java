package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.DeleteRecordsOptions;
import org.apache.kafka.clients.admin.DeleteRecordsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogDirsAndDeleteRecordsTest {
    @TempDir
    Path dir;

    @Test
    void logDirsReportUsesKafkaJsonLayout() {
        var desc = new LogDirDescription(
                null,
                Map.of(
                        new TopicPartition("t", 0), new ReplicaInfo(91, 0, false),
                        new TopicPartition("other", 0), new ReplicaInfo(5, 0, false)));
        var report = LogDirsCommand.report(Map.of(1, Map.of("/tmp/kraft-combined-logs", desc)), Set.of("t"));
        assertThat(Json.write(report))
                .isEqualTo("{\"brokers\":[{\"broker\":1,\"logDirs\":[{\"partitions\":[{\"partition\":\"t-0\","
                        + "\"size\":91,\"offsetLag\":0,\"isFuture\":false}],\"error\":null,"
                        + "\"logDir\":\"/tmp/kraft-combined-logs\"}]}],\"version\":1}");
    }

    @Test
    void logDirsRejectsUnknownBrokers() {
        var admin = MockAdminClient.create().numBrokers(1).build();
        var r = ToolOutput.run(
                (a, o, e) -> LogDirsCommand.run(a, o, e, p -> admin),
                "--bootstrap-server",
                "h",
                "--describe",
                "--broker-list",
                "0,7");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo(
                        "ERROR: The given brokers do not exist from --broker-list: 7. Current existent brokers: 0\n");
    }

    @Test
    void deleteRecordsSendsTheFileOffsets() throws Exception {
        var requested = new java.util.HashMap<TopicPartition, RecordsToDelete>();
        var admin = new MockAdminClient() {
            @Override
            public synchronized DeleteRecordsResult deleteRecords(
                    Map<TopicPartition, RecordsToDelete> records, DeleteRecordsOptions options) {
                // The mock cannot delete records; capture the request and let the mock refuse it.
                requested.putAll(records);
                return super.deleteRecords(records, options);
            }
        };
        Path file = dir.resolve("offsets.json");
        Files.writeString(
                file, "{\"partitions\": [{\"topic\": \"foo\", \"partition\": 1, \"offset\": 3}], \"version\": 1}");
        var r = ToolOutput.run(
                (a, o, e) -> DeleteRecordsCommand.run(a, o, e, p -> admin),
                "--bootstrap-server",
                "h",
                "--offset-json-file",
                file.toString());
        assertThat(requested).containsOnlyKeys(new TopicPartition("foo", 1));
        assertThat(requested.get(new TopicPartition("foo", 1)).beforeOffset()).isEqualTo(3);
        assertThat(r.out()).startsWith("Executing records delete operation\n");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void deleteRecordsInputErrors() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> DeleteRecordsCommand.parseOffsets("{")))
                .hasMessage("The input string is not a valid JSON");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> DeleteRecordsCommand.parseOffsets(
                        "{\"partitions\":[{\"topic\":\"a\",\"partition\":0,\"offset\":1},"
                                + "{\"topic\":\"a\",\"partition\":0,\"offset\":2}]}")))
                .hasMessage("Offset json file contains duplicate topic partitions: a-0");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> DeleteRecordsCommand.parseOffsets("{\"partitions\":[],\"version\":2}")))
                .hasMessage("Not supported version field value 2");
    }
}
