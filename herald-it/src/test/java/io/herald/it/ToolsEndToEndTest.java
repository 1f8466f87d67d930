package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's command-line tools through the bin/ scripts against a live Herald, exactly as a Kafka user types them:
 * output and exit codes as Kafka's. (kafka-storage.sh and kafka-server-start.sh are covered by ScriptsTest.)
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ToolsEndToEndTest {
    @TempDir
    static Path dir;

    static TestNode node;
    static String bootstrap;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dir.resolve("data")).start();
        bootstrap = node.bootstrapServers();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static Scripts.Result run(String script, String... args) throws Exception {
        return Scripts.run(120, script, args);
    }

    private static Scripts.Result runWithInput(String input, String script, String... args) throws Exception {
        return Scripts.runWithInput(120, input, script, args);
    }

    @Test
    @Order(1)
    void topicsCommandsAsInKafkasQuickStart() throws Exception {
        Scripts.Result first =
                run("kafka-topics.sh", "--bootstrap-server", bootstrap, "--create", "--topic", "first_topic");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).contains("Created topic first_topic.");
        assertThat(run(
                                "kafka-topics.sh",
                                "--bootstrap-server",
                                bootstrap,
                                "--create",
                                "--topic",
                                "second_topic",
                                "--partitions",
                                "5")
                        .stdout())
                .contains("Created topic second_topic.");
        assertThat(run(
                                "kafka-topics.sh",
                                "--bootstrap-server",
                                bootstrap,
                                "--create",
                                "--topic",
                                "third_topic",
                                "--partitions",
                                "3",
                                "--replication-factor",
                                "1")
                        .stdout())
                .contains("Created topic third_topic.");
        Scripts.Result again = run(
                "kafka-topics.sh",
                "--create",
                "--topic",
                "first_topic",
                "--partitions",
                "3",
                "--replication-factor",
                "1",
                "--bootstrap-server",
                bootstrap,
                "--if-not-exists");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).doesNotContain("Created topic");

        Scripts.Result exists =
                run("kafka-topics.sh", "--bootstrap-server", bootstrap, "--create", "--topic", "first_topic");
        assertThat(exists.exitCode()).isEqualTo(1);
        assertThat(exists.stdout() + exists.stderr()).contains("Topic 'first_topic' already exists.");

        Scripts.Result list = run("kafka-topics.sh", "--bootstrap-server", bootstrap, "--list");
        assertThat(list.stdout().lines()).contains("first_topic", "second_topic", "third_topic");

        Scripts.Result describe =
                run("kafka-topics.sh", "--bootstrap-server", bootstrap, "--describe", "--topic", "third_topic");
        assertThat(describe.stdout())
                .containsPattern("Topic: third_topic\tTopicId: \\S+\tPartitionCount: 3\tReplicationFactor: 1\tConfigs:")
                .contains("\tTopic: third_topic\tPartition: 2\tLeader: 1\tReplicas: 1\tIsr: 1");

        assertThat(run(
                                "kafka-topics.sh",
                                "--alter",
                                "--topic",
                                "first_topic",
                                "--partitions",
                                "3",
                                "--bootstrap-server",
                                bootstrap)
                        .exitCode())
                .isZero();
        assertThat(run("kafka-topics.sh", "--bootstrap-server", bootstrap, "--describe", "--topic", "first_topic")
                        .stdout())
                .contains("PartitionCount: 3");

        Path clientConfig = dir.resolve("client.properties");
        Files.writeString(clientConfig, "request.timeout.ms=20000\n");
        assertThat(run(
                                "kafka-topics.sh",
                                "--command-config",
                                clientConfig.toString(),
                                "--bootstrap-server",
                                bootstrap,
                                "--describe",
                                "--topic",
                                "second_topic")
                        .stdout())
                .contains("PartitionCount: 5");

        assertThat(run("kafka-topics.sh", "--delete", "--topic", "first_topic", "--bootstrap-server", bootstrap)
                        .exitCode())
                .isZero();
        assertThat(run("kafka-topics.sh", "--bootstrap-server", bootstrap, "--list")
                        .stdout()
                        .lines())
                .doesNotContain("first_topic");

        Scripts.Result tooMany = run(
                "kafka-topics.sh",
                "--bootstrap-server",
                bootstrap,
                "--create",
                "--topic",
                "rf3",
                "--replication-factor",
                "3");
        assertThat(tooMany.exitCode()).isEqualTo(1);
        assertThat(tooMany.stdout() + tooMany.stderr())
                .contains(
                        "The target replication factor of 3 cannot be reached because only 1 broker(s) are registered.")
                .doesNotContain("\tat ");
    }

    @Test
    @Order(2)
    void consoleProducerPipedLinesComeBackThroughTheConsoleConsumerWithKeys() throws Exception {
        String lines = "k1:hello\nk2:world\nk1:again\n";
        Scripts.Result produced = runWithInput(
                lines,
                "kafka-console-producer.sh",
                "--bootstrap-server",
                bootstrap,
                "--topic",
                "mykraft_topic",
                "--property",
                "parse.key=true",
                "--property",
                "key.separator=:",
                "--producer-property",
                "acks=all");
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();
        assertThat(produced.stdout()).doesNotContain(">");

        Scripts.Result consumed = run(
                "kafka-console-consumer.sh",
                "--bootstrap-server",
                bootstrap,
                "--topic",
                "mykraft_topic",
                "--from-beginning",
                "--max-messages",
                "3",
                "--property",
                "print.key=true",
                "--property",
                "key.separator=:");
        assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();
        assertThat(consumed.stdout().lines()).containsExactlyInAnyOrder("k1:hello", "k2:world", "k1:again");
        assertThat(consumed.stderr()).contains("Processed a total of 3 messages");
    }

    @Test
    @Order(3)
    void consoleProducerAutoCreatesAndTheConsumerReadsAPartitionFromAnOffset() throws Exception {
        Scripts.Result produced = runWithInput(
                "a\nb\nc\n", "kafka-console-producer.sh", "--bootstrap-server", bootstrap, "--topic", "new_topic");
        assertThat(produced.exitCode()).as(produced.stderr()).isZero();
        Scripts.Result consumed = run(
                "kafka-console-consumer.sh",
                "--bootstrap-server",
                bootstrap,
                "--topic",
                "new_topic",
                "--partition",
                "0",
                "--offset",
                "1",
                "--max-messages",
                "2",
                "--property",
                "print.offset=true");
        assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();
        assertThat(consumed.stdout()).contains("Offset:1\tb").contains("Offset:2\tc");
    }

    @Test
    @Order(4)
    void configsOffsetsAndClusterTools() throws Exception {
        Scripts.Result alter = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "topics",
                "--entity-name",
                "second_topic",
                "--alter",
                "--add-config",
                "retention.ms=86400000,cleanup.policy=[delete,compact]");
        assertThat(alter.exitCode()).as(alter.stderr()).isZero();
        assertThat(alter.stdout()).contains("Completed updating config for topic second_topic.");
        Scripts.Result describe = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "topics",
                "--entity-name",
                "second_topic",
                "--describe");
        assertThat(describe.stdout())
                .contains("Dynamic configs for topic second_topic are:")
                // As Kafka: no default synonym, since Kafka's log.retention.ms has none (its default is in hours).
                .contains(
                        "\n  retention.ms=86400000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=86400000}\n")
                .contains("cleanup.policy=delete,compact");
        Scripts.Result deleteConfig = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "topics",
                "--entity-name",
                "second_topic",
                "--alter",
                "--delete-config",
                "retention.ms");
        assertThat(deleteConfig.exitCode()).isZero();

        Scripts.Result offsets = run("kafka-get-offsets.sh", "--bootstrap-server", bootstrap, "--topic", "new_topic");
        assertThat(offsets.stdout().lines()).contains("new_topic:0:3");

        Path json = dir.resolve("delete.json");
        Files.writeString(
                json, "{\"partitions\":[{\"topic\":\"new_topic\",\"partition\":0,\"offset\":2}],\"version\":1}");
        Scripts.Result deleted =
                run("kafka-delete-records.sh", "--bootstrap-server", bootstrap, "--offset-json-file", json.toString());
        assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
        assertThat(deleted.stdout()).contains("low_watermark: 2");

        assertThat(run("kafka-cluster.sh", "cluster-id", "--bootstrap-server", bootstrap)
                        .stdout())
                .contains("Cluster ID: " + TestNode.CLUSTER_ID);
        assertThat(run("kafka-broker-api-versions.sh", "--bootstrap-server", bootstrap)
                        .stdout())
                .contains("(id: 1 rack: null")
                .contains("Produce(0):")
                .contains("Fetch(1):");
    }

    @Test
    @Order(5)
    void metadataQuorumDescribesTheQuorum() throws Exception {
        Scripts.Result status =
                run("kafka-metadata-quorum.sh", "--bootstrap-server", bootstrap, "describe", "--status");
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout())
                .contains("ClusterId:              " + TestNode.CLUSTER_ID)
                .contains("LeaderId:               1")
                .contains("CurrentVoters:          [{\"id\": 1");
        Scripts.Result replication =
                run("kafka-metadata-quorum.sh", "--bootstrap-server", bootstrap, "describe", "--replication");
        assertThat(replication.exitCode()).isZero();
        assertThat(replication.stdout()).contains("Leader");
    }

    @Test
    @Order(6)
    void consumerGroupsListDescribeResetAndDelete() throws Exception {
        // A group that consumed mykraft_topic to its end (order 2) and committed.
        Scripts.Result consumed = run(
                "kafka-console-consumer.sh",
                "--bootstrap-server",
                bootstrap,
                "--topic",
                "mykraft_topic",
                "--group",
                "tools-group",
                "--from-beginning",
                "--max-messages",
                "3");
        assertThat(consumed.exitCode()).as(consumed.stderr()).isZero();

        Scripts.Result list = run("kafka-consumer-groups.sh", "--bootstrap-server", bootstrap, "--list");
        assertThat(list.exitCode()).as(list.stderr()).isZero();
        assertThat(list.stdout().lines()).contains("tools-group");

        Scripts.Result describe = run(
                "kafka-consumer-groups.sh", "--bootstrap-server", bootstrap, "--describe", "--group", "tools-group");
        assertThat(describe.exitCode()).as(describe.stderr()).isZero();
        assertThat(describe.stdout() + describe.stderr())
                .contains("Consumer group 'tools-group' has no active members.");
        assertThat(describe.stdout())
                .containsPattern("GROUP\\s+TOPIC\\s+PARTITION\\s+CURRENT-OFFSET\\s+LOG-END-OFFSET\\s+LAG")
                .containsPattern("tools-group\\s+mykraft_topic\\s+0\\s+3\\s+3\\s+0");

        Scripts.Result dryRun = run(
                "kafka-consumer-groups.sh",
                "--bootstrap-server",
                bootstrap,
                "--group",
                "tools-group",
                "--reset-offsets",
                "--to-earliest",
                "--topic",
                "mykraft_topic");
        assertThat(dryRun.exitCode()).as(dryRun.stderr()).isZero();
        assertThat(dryRun.stdout()).containsPattern("tools-group\\s+mykraft_topic\\s+0\\s+0");
        Scripts.Result execute = run(
                "kafka-consumer-groups.sh",
                "--bootstrap-server",
                bootstrap,
                "--group",
                "tools-group",
                "--reset-offsets",
                "--to-offset",
                "1",
                "--topic",
                "mykraft_topic",
                "--execute");
        assertThat(execute.exitCode()).as(execute.stderr()).isZero();
        assertThat(run(
                                "kafka-consumer-groups.sh",
                                "--bootstrap-server",
                                bootstrap,
                                "--describe",
                                "--group",
                                "tools-group")
                        .stdout())
                .containsPattern("tools-group\\s+mykraft_topic\\s+0\\s+1\\s+3\\s+2");

        Scripts.Result delete =
                run("kafka-consumer-groups.sh", "--bootstrap-server", bootstrap, "--delete", "--group", "tools-group");
        assertThat(delete.exitCode()).as(delete.stderr()).isZero();
        assertThat(delete.stdout()).contains("Deletion of requested consumer groups ('tools-group') was successful.");
        assertThat(run("kafka-consumer-groups.sh", "--bootstrap-server", bootstrap, "--list")
                        .stdout()
                        .lines())
                .doesNotContain("tools-group");
    }

    @Test
    @Order(7)
    void everyToolAnswersHelpAndVersion() throws Exception {
        for (String tool : new String[] {
            "kafka-topics.sh",
            "kafka-console-producer.sh",
            "kafka-console-consumer.sh",
            "kafka-configs.sh",
            "kafka-consumer-groups.sh",
            "kafka-get-offsets.sh"
        }) {
            // As Kafka's jopt-simple tools: the help on stderr, exit code 1.
            Scripts.Result help = run(tool, "--help");
            assertThat(help.exitCode()).as(tool).isEqualTo(1);
            assertThat(help.stderr()).as(tool).contains("--bootstrap-server");
            assertThat(help.stdout()).as(tool).isEmpty();
            Scripts.Result version = run(tool, "--version");
            assertThat(version.exitCode()).as(tool).isZero();
        }
        Scripts.Result unreachable = run(
                "kafka-topics.sh",
                "--bootstrap-server",
                "localhost:1",
                "--list",
                "--command-config",
                writeShortTimeouts().toString());
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.stdout() + unreachable.stderr()).doesNotContain("\tat ");
    }

    @Test
    @Order(8)
    void failuresAreReportedWhereKafkaReportsThem() throws Exception {
        Scripts.Result describe =
                run("kafka-topics.sh", "--bootstrap-server", bootstrap, "--describe", "--topic", "no_such_topic");
        assertThat(describe.exitCode()).isEqualTo(1);
        assertThat(describe.stdout())
                .isEqualTo("Error while executing topic command : Topic 'no_such_topic' does not exist as expected\n");
        Scripts.Result partitions = run(
                "kafka-topics.sh", "--bootstrap-server", bootstrap, "--create", "--topic", "zero", "--partitions", "0");
        assertThat(partitions.exitCode()).isEqualTo(1);
        assertThat(partitions.stdout())
                .isEqualTo("Error while executing topic command : The partitions must be greater than 0\n");

        // kafka-consumer-groups.sh reports an unknown group on stdout, naming the error, and still exits 0.
        Scripts.Result group =
                run("kafka-consumer-groups.sh", "--bootstrap-server", bootstrap, "--describe", "--group", "no-group");
        assertThat(group.exitCode()).isZero();
        assertThat(group.stdout())
                .isEqualTo("\nError: Executing consumer group command failed due to"
                        + " org.apache.kafka.common.errors.GroupIdNotFoundException: Group no-group not found.\n");
    }

    @Test
    @Order(9)
    void aConsoleConsumerWithMaxMessagesCommitsOnlyWhatItPrinted() throws Exception {
        String lines = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        assertThat(runWithInput(lines, "kafka-console-producer.sh", "--bootstrap-server", bootstrap, "--topic", "ten")
                        .exitCode())
                .isZero();
        Scripts.Result consumed = run(
                "kafka-console-consumer.sh",
                "--bootstrap-server",
                bootstrap,
                "--topic",
                "ten",
                "--group",
                "two-of-ten",
                "--from-beginning",
                "--max-messages",
                "2");
        assertThat(consumed.stdout().lines()).containsExactly("1", "2");
        Scripts.Result describe =
                run("kafka-consumer-groups.sh", "--bootstrap-server", bootstrap, "--describe", "--group", "two-of-ten");
        assertThat(describe.stdout()).containsPattern("two-of-ten\\s+ten\\s+0\\s+2\\s+10\\s+8\\s");

        Scripts.Result plan = run(
                "kafka-consumer-groups.sh",
                "--bootstrap-server",
                bootstrap,
                "--group",
                "two-of-ten",
                "--reset-offsets",
                "--to-earliest",
                "--topic",
                "ten",
                "--dry-run");
        assertThat(plan.stdout())
                .isEqualTo(String.format(
                        "%n%-30s %-30s %-10s %-15s%n%-30s %-30s %-10s %-15s%n",
                        "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET", "two-of-ten", "ten", 0, 0));
    }

    @Test
    @Order(10)
    void topicConfigsAreListedInKafkasOrder() throws Exception {
        Scripts.Result create = run(
                "kafka-topics.sh",
                "--bootstrap-server",
                bootstrap,
                "--create",
                "--topic",
                "ordered",
                "--config",
                "retention.ms=5000",
                "--config",
                "segment.ms=7000",
                "--config",
                "segment.bytes=1048576",
                "--config",
                "compression.type=lz4",
                "--config",
                "min.cleanable.dirty.ratio=0.3");
        assertThat(create.exitCode()).as(create.stdout() + create.stderr()).isZero();
        // Kafka 4.1.1 prints the overrides in this order: Admin keeps them in a HashMap, where segment.bytes and
        // retention.ms share a bucket and stay in the order Kafka's broker sends them.
        assertThat(run("kafka-topics.sh", "--bootstrap-server", bootstrap, "--describe", "--topic", "ordered")
                        .stdout())
                .contains("\tConfigs: compression.type=lz4,segment.bytes=1048576,retention.ms=5000,"
                        + "min.cleanable.dirty.ratio=0.3,segment.ms=7000\n");
    }

    private static Path writeShortTimeouts() throws Exception {
        Path config = dir.resolve("short.properties");
        Files.writeString(config, "request.timeout.ms=2000\ndefault.api.timeout.ms=4000\n");
        return config;
    }
}
