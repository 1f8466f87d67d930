package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreatePartitionsResult;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TopicsCommandTest {
    private MockAdminClient admin;

    @BeforeEach
    void setUp() {
        admin = new MockAdminClient(
                List.of(new Node(1, "localhost", 9092), new Node(2, "localhost", 9093)),
                new Node(1, "localhost", 9092));
    }

    /** Runs the tool against the shared mock; the tool closes its Admin, so hand it a non-closing view. */
    private ToolOutput topics(String... args) {
        return ToolOutput.run((a, o, e) -> TopicsCommand.run(a, o, e, props -> nonClosing(admin)), args);
    }

    private static Admin nonClosing(Admin delegate) {
        return (Admin) java.lang.reflect.Proxy.newProxyInstance(
                Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void createPrintsCreatedAndCollisionWarning() {
        var r = topics("--bootstrap-server", "b:9092", "--create", "--topic", "orders", "--partitions", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Created topic orders.\n");

        var w = topics("--bootstrap-server", "b:9092", "--create", "--topic", "my.topic");
        assertThat(w.out())
                .isEqualTo("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore"
                        + " ('_') could collide. To avoid issues it is best to use either, but not both.\n"
                        + "Created topic my.topic.\n");
    }

    @Test
    void createExistingFailsUnlessIfNotExists() {
        topics("--bootstrap-server", "b:9092", "--create", "--topic", "t1");
        var dup = topics("--bootstrap-server", "b:9092", "--create", "--topic", "t1");
        assertThat(dup.exitCode()).isEqualTo(1);
        assertThat(dup.out())
                .startsWith("Error while executing topic command : ")
                .contains("t1");
        var ok = topics("--bootstrap-server", "b:9092", "--create", "--topic", "t1", "--if-not-exists");
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).isEmpty();
    }

    @Test
    void listFiltersByRegexAndInternal() throws Exception {
        admin.createTopics(List.of(
                        new NewTopic("a-1", 1, (short) 1),
                        new NewTopic("a-2", 1, (short) 1),
                        new NewTopic("b", 1, (short) 1)))
                .all()
                .get();
        assertThat(topics("--bootstrap-server", "x", "--list").out()).isEqualTo("a-1\na-2\nb\n");
        assertThat(topics("--bootstrap-server", "x", "--list", "--topic", "a-.*")
                        .out())
                .isEqualTo("a-1\na-2\n");
        assertThat(topics("--bootstrap-server", "x", "--list", "--topic", "'a-1, b'")
                        .out())
                .isEqualTo("a-1\nb\n");
        assertThat(topics("--bootstrap-server", "x", "--list", "--topic", "zzz").out())
                .isEqualTo("\n");
    }

    @Test
    void describePrintsKafkaLayout() throws Exception {
        admin.createTopics(List.of(new NewTopic("d", 2, (short) 2).configs(Map.of("retention.ms", "1000"))))
                .all()
                .get();
        var id = admin.describeTopics(List.of("d"))
                .allTopicNames()
                .get()
                .get("d")
                .topicId();
        var r = topics("--bootstrap-server", "x", "--describe", "--topic", "d");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo("Topic: d\tTopicId: " + id + "\tPartitionCount: 2\tReplicationFactor: 2\tConfigs: "
                        + "retention.ms=1000\n"
                        + "\tTopic: d\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: \tElr: \tLastKnownElr: \n"
                        + "\tTopic: d\tPartition: 1\tLeader: 1\tReplicas: 1,2\tIsr: \tElr: \tLastKnownElr: \n");
        var reports = topics("--bootstrap-server", "x", "--describe", "--under-replicated-partitions");
        // The mock reports empty ISRs, so every partition is under-replicated; report mode has no topic line.
        assertThat(reports.out())
                .isEqualTo("\tTopic: d\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: \tElr: \tLastKnownElr: \n"
                        + "\tTopic: d\tPartition: 1\tLeader: 1\tReplicas: 1,2\tIsr: \tElr: \tLastKnownElr: \n");
        var overrides = topics("--bootstrap-server", "x", "--describe", "--topics-with-overrides");
        assertThat(overrides.out()).startsWith("Topic: d\t").doesNotContain("Partition:");
    }

    @Test
    void unknownTopicOnDescribeAlterDelete() {
        for (String action : List.of("--describe", "--delete")) {
            var r = topics("--bootstrap-server", "x", action, "--topic", "nope");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out())
                    .isEqualTo("Error while executing topic command : Topic 'nope' does not exist as expected\n");
            assertThat(topics("--bootstrap-server", "x", action, "--topic", "nope", "--if-exists")
                            .exitCode())
                    .isZero();
        }
        var alter = topics("--bootstrap-server", "x", "--alter", "--topic", "nope", "--partitions", "3");
        assertThat(alter.out())
                .isEqualTo("Error while executing topic command : Topic 'nope' does not exist as expected\n");
    }

    @Test
    void alterRequestsPartitionIncreaseAndDeleteRemoves() throws Exception {
        var requested = new java.util.HashMap<String, NewPartitions>();
        admin =
                new MockAdminClient(
                        List.of(new Node(1, "localhost", 9092), new Node(2, "localhost", 9093)),
                        new Node(1, "localhost", 9092)) {
                    @Override
                    public synchronized CreatePartitionsResult createPartitions(
                            Map<String, NewPartitions> newPartitions, CreatePartitionsOptions options) {
                        // The mock cannot grow topics; record the request and let the mock refuse it.
                        requested.putAll(newPartitions);
                        return super.createPartitions(newPartitions, options);
                    }
                };
        var created = topics(
                "--bootstrap-server",
                "x",
                "--create",
                "--topic",
                "g",
                "--partitions",
                "1",
                "--replication-factor",
                "1");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        var alter = topics("--bootstrap-server", "x", "--alter", "--topic", "g", "--partitions", "3");
        assertThat(requested).as(alter.toString()).containsKey("g");
        assertThat(requested.get("g").totalCount()).isEqualTo(3);
        assertThat(topics("--bootstrap-server", "x", "--delete", "--topic", "g").exitCode())
                .isZero();
        assertThat(admin.listTopics().names().get()).doesNotContain("g");
    }

    @Test
    void argumentErrorsUseKafkaMessages() {
        assertThat(topics("--bootstrap-server", "x").err())
                .isEqualTo("Command must include exactly one action: --list, --describe, --create, --alter or"
                        + " --delete\n");
        assertThat(topics("--list").err()).isEqualTo("--bootstrap-server must be specified\n");
        assertThat(topics("--bootstrap-server", "x", "--create").err())
                .isEqualTo("Missing required argument \"[topic]\"\n");
        assertThat(topics("--bootstrap-server", "x", "--alter", "--topic", "t").err())
                .isEqualTo("Missing required argument \"[partitions]\"\n");
        assertThat(topics("--bootstrap-server", "x", "--list", "--partitions", "3")
                        .err())
                .isEqualTo("Option \"[partitions]\" can't be used with option \"[list]\"\n");
        assertThat(topics(
                                "--bootstrap-server",
                                "x",
                                "--create",
                                "--topic",
                                "t",
                                "--replica-assignment",
                                "1:2",
                                "--partitions",
                                "1")
                        .err())
                .isEqualTo("Option \"[replica-assignment]\" can't be used with option \"[partitions]\"\n");
        assertThat(topics("--bootstrap-server", "x", "--create", "--topic", "t", "--config", "bad")
                        .out())
                .isEqualTo(
                        "Error while executing topic command : requirement failed: Invalid topic config: all configs to be added must be in the format"
                                + " \"key=val\".\n");
        assertThat(topics("--bootstrap-server", "x", "--create", "--topic", "t", "--replication-factor", "0")
                        .out())
                .isEqualTo(
                        "Error while executing topic command : The replication factor must be between 1 and 32767 inclusive\n");
        assertThat(topics("--bogus").err()).isEqualTo("bogus is not a recognized option\n");
        // Kafka's jopt-simple tools print their help on stderr and exit 1.
        var help = topics("--help");
        assertThat(help.exitCode()).isEqualTo(1);
        assertThat(help.out()).isEmpty();
        assertThat(help.err()).contains("--bootstrap-server");
        assertThat(topics("--version").out()).isEqualTo("4.1.1\n");
        assertThat(topics("--bootstrap-server", "x", "--create", "--topic", "t", "--replica-assignment", "1:1")
                        .out())
                .isEqualTo("Error while executing topic command : Partition replica lists may not contain duplicate"
                        + " entries: 1\n");
    }
}
