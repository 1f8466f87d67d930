package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster-level tools through bin/ against one live node, on the broker and on the controller listener
 * ({@code --bootstrap-controller}), with output and exit codes as Kafka 4.1.1's tools give them against Kafka.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterToolsEndToEndTest {
    @TempDir
    static Path dir;

    static TestNode node;
    static String bootstrap;
    static String controllers;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dir.resolve("data")).start();
        bootstrap = node.bootstrapServers();
        controllers = node.bootstrapControllers();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static Scripts.Result run(String script, String... args) throws Exception {
        return Scripts.run(120, script, args);
    }

    @Test
    void featuresAreDescribedOnBothListenersAndUpgradedByRelease() throws Exception {
        String metadataVersion = "Feature: metadata.version\tSupportedMinVersion: 3.3-IV3\tSupportedMaxVersion: 4.1-IV1"
                + "\tFinalizedVersionLevel: 4.1-IV1\tEpoch: ";
        for (String[] target :
                new String[][] {{"--bootstrap-server", bootstrap}, {"--bootstrap-controller", controllers}}) {
            Scripts.Result describe = run("kafka-features.sh", target[0], target[1], "describe");
            assertThat(describe.exitCode()).as(describe.stderr()).isZero();
            assertThat(describe.stdout())
                    .contains(metadataVersion)
                    .contains("Feature: group.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1"
                            + "\tFinalizedVersionLevel: 1\tEpoch: ");
        }

        // Kafka 4.1's release levels include eligible.leader.replicas.version 1, which Herald does not support (its
        // controller offers 0-0; transaction.version 2 it does support), so the all-or-nothing validation fails on it,
        // as a Kafka controller without that feature would fail it.
        Scripts.Result release = run(
                "kafka-features.sh",
                "--bootstrap-server",
                bootstrap,
                "upgrade",
                "--release-version",
                "4.1",
                "--dry-run");
        assertThat(release.exitCode()).isEqualTo(1);
        String reason = "The update failed for all features since the following feature had an error: Invalid update"
                + " version 1 for feature eligible.leader.replicas.version. Local controller 1 only supports versions 0-0";
        assertThat(release.stdout().lines())
                .containsExactly(
                        "Can not upgrade eligible.leader.replicas.version to 1. " + reason,
                        "Can not upgrade group.version to 1. " + reason,
                        "Can not upgrade kraft.version to 1. " + reason,
                        "Can not upgrade metadata.version to 27. " + reason,
                        "Can not upgrade transaction.version to 2. " + reason);
        assertThat(release.stderr()).isEqualTo("5 out of 5 operation(s) failed.\n");

        Scripts.Result dryRun = run(
                "kafka-features.sh",
                "--bootstrap-server",
                bootstrap,
                "upgrade",
                "--feature",
                "group.version=1",
                "--feature",
                "kraft.version=1",
                "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.stderr()).isZero();
        assertThat(dryRun.stdout().lines())
                .containsExactly("group.version can be upgraded to 1.", "kraft.version can be upgraded to 1.");

        Scripts.Result tooHigh =
                run("kafka-features.sh", "--bootstrap-server", bootstrap, "upgrade", "--feature", "group.version=5");
        assertThat(tooHigh.exitCode()).isEqualTo(1);
        assertThat(tooHigh.stdout())
                .isEqualTo("Could not upgrade group.version to 5. The update failed for all features since the"
                        + " following feature had an error: Invalid update version 5 for feature group.version. Local"
                        + " controller 1 only supports versions 0-1\n");
        assertThat(tooHigh.stderr()).isEqualTo("1 out of 1 operation(s) failed.\n");

        Scripts.Result downgrade =
                run("kafka-features.sh", "--bootstrap-controller", controllers, "downgrade", "--metadata", "4.0");
        assertThat(downgrade.exitCode()).as(downgrade.stderr()).isZero();
        assertThat(downgrade.stdout())
                .isEqualTo(" `metadata` flag is deprecated and may be removed in a future release.\n"
                        + "metadata.version was downgraded to 25.\n");
        assertThat(run("kafka-features.sh", "--bootstrap-server", bootstrap, "describe")
                        .stdout())
                .contains("Feature: metadata.version\tSupportedMinVersion: 3.3-IV3\tSupportedMaxVersion: 4.1-IV1"
                        + "\tFinalizedVersionLevel: 4.0-IV3\t");
        assertThat(run("kafka-features.sh", "--bootstrap-server", bootstrap, "upgrade", "--metadata", "4.1-IV1")
                        .exitCode())
                .isZero();

        Scripts.Result mapping = run(
                "kafka-features.sh", "--bootstrap-server", bootstrap, "version-mapping", "--release-version", "3.9");
        assertThat(mapping.stdout().lines()).startsWith("metadata.version=21 (3.9)", "kraft.version=1");
    }

    @Test
    void quorumAndClusterIdThroughTheControllerListener() throws Exception {
        Scripts.Result status =
                run("kafka-metadata-quorum.sh", "--bootstrap-controller", controllers, "describe", "--status");
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout())
                .contains("ClusterId:              " + TestNode.CLUSTER_ID)
                .contains("LeaderId:               1");
        Scripts.Result clusterId = run("kafka-cluster.sh", "cluster-id", "--bootstrap-controller", controllers);
        assertThat(clusterId.exitCode()).as(clusterId.stderr()).isZero();
        assertThat(clusterId.stdout()).isEqualTo("Cluster ID: " + TestNode.CLUSTER_ID + "\n");

        // Kafka 4.1's list-endpoints: fixed columns, HOST as wide as the widest host; controllers without STATE.
        int brokerPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        Scripts.Result brokers = run("kafka-cluster.sh", "list-endpoints", "--bootstrap-server", bootstrap);
        assertThat(brokers.stdout())
                .isEqualTo(String.format(
                        "%-10s %-9s %-10s %-10s %-10s %-15s%n%-10s %-9s %-10s %-10s %-10s %-15s%n",
                        "ID",
                        "HOST",
                        "PORT",
                        "RACK",
                        "STATE",
                        "ENDPOINT_TYPE",
                        1,
                        "127.0.0.1",
                        brokerPort,
                        null,
                        "unfenced",
                        "broker"));
        int controllerPort = Integer.parseInt(controllers.substring(controllers.lastIndexOf(':') + 1));
        Scripts.Result quorum = run("kafka-cluster.sh", "list-endpoints", "--bootstrap-controller", controllers);
        assertThat(quorum.stdout())
                .isEqualTo(String.format(
                        "%-10s %-9s %-10s %-10s %-15s%n%-10s %-9s %-10s %-10s %-15s%n",
                        "ID",
                        "HOST",
                        "PORT",
                        "RACK",
                        "ENDPOINT_TYPE",
                        1,
                        "127.0.0.1",
                        controllerPort,
                        null,
                        "controller"));
    }

    @Test
    void unregisteringAnUnknownBrokerFailsWithKafkasMessage() throws Exception {
        Scripts.Result unknown = run("kafka-cluster.sh", "unregister", "--bootstrap-server", bootstrap, "--id", "5");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr())
                .contains("Broker ID 5 is not currently registered")
                .doesNotContain("\tat ");
    }

    @Test
    void clientQuotasAreSetDescribedAndDeletedAsInKafkasOperationsGuide() throws Exception {
        Scripts.Result set = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--alter",
                "--add-config",
                "producer_byte_rate=1024,consumer_byte_rate=2048,request_percentage=200",
                "--entity-type",
                "users",
                "--entity-name",
                "user1",
                "--entity-type",
                "clients",
                "--entity-name",
                "clientA");
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(set.stdout()).isEqualTo("Completed updating config for user user1.\n");
        Scripts.Result defaults = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--alter",
                "--add-config",
                "consumer_byte_rate=4096",
                "--entity-type",
                "users",
                "--entity-default");
        assertThat(defaults.stdout()).isEqualTo("Completed updating default config for users in the cluster.\n");

        // Kafka's broker sends the values in its HashMap's order, so the tool prints them in this order.
        Scripts.Result pair = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--describe",
                "--entity-type",
                "users",
                "--entity-name",
                "user1",
                "--entity-type",
                "clients",
                "--entity-name",
                "clientA");
        assertThat(pair.stdout())
                .isEqualTo(
                        "Quota configs for user-principal 'user1', client-id 'clientA' are consumer_byte_rate=2048.0,"
                                + " request_percentage=200.0, producer_byte_rate=1024.0\n");
        Scripts.Result users =
                run("kafka-configs.sh", "--bootstrap-server", bootstrap, "--describe", "--entity-type", "users");
        assertThat(users.stdout())
                .isEqualTo("Quota configs for the default user-principal are consumer_byte_rate=4096.0\n");

        Scripts.Result bogus = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--alter",
                "--add-config",
                "bogus=1",
                "--entity-type",
                "clients",
                "--entity-name",
                "c1");
        assertThat(bogus.exitCode()).isEqualTo(1);
        assertThat(bogus.stderr())
                .isEqualTo("Only quota configs can be added for 'clients' using --bootstrap-server. Unexpected config"
                        + " names: Set(bogus)\n");

        Scripts.Result delete = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--alter",
                "--delete-config",
                "consumer_byte_rate",
                "--entity-type",
                "users",
                "--entity-default");
        assertThat(delete.exitCode()).as(delete.stderr()).isZero();
        assertThat(run("kafka-configs.sh", "--bootstrap-server", bootstrap, "--describe", "--entity-type", "users")
                        .stdout())
                .isEmpty();
        Scripts.Result again = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--alter",
                "--delete-config",
                "consumer_byte_rate",
                "--entity-type",
                "users",
                "--entity-default");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).isEqualTo("Invalid config(s): consumer_byte_rate\n");
    }

    @Test
    void brokerLoggersAreDescribedAndChangedOnTheBroker() throws Exception {
        Scripts.Result describe = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "broker-loggers",
                "--entity-name",
                "1",
                "--describe");
        assertThat(describe.exitCode()).as(describe.stderr()).isZero();
        assertThat(describe.stdout())
                .startsWith("Dynamic configs for broker-logger 1 are:\n")
                .contains("\n  root=INFO sensitive=false synonyms={}\n");

        Scripts.Result debug = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "broker-loggers",
                "--entity-name",
                "1",
                "--alter",
                "--add-config",
                "io.herald=DEBUG");
        assertThat(debug.stdout()).isEqualTo("Completed updating config for broker-logger 1.\n");
        assertThat(org.slf4j.LoggerFactory.getLogger("io.herald.broker.BrokerServer")
                        .isDebugEnabled())
                .isTrue();
        run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "broker-loggers",
                "--entity-name",
                "1",
                "--alter",
                "--delete-config",
                "io.herald");
        assertThat(org.slf4j.LoggerFactory.getLogger("io.herald.broker.BrokerServer")
                        .isDebugEnabled())
                .isFalse();

        Scripts.Result bogus = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "broker-loggers",
                "--entity-name",
                "1",
                "--alter",
                "--add-config",
                "root=BOGUS");
        assertThat(bogus.exitCode()).isEqualTo(1);
        assertThat(bogus.stderr())
                .endsWith("java.util.concurrent.ExecutionException:"
                        + " org.apache.kafka.common.errors.InvalidConfigurationException: Cannot set the log level of root"
                        + " to BOGUS as it is not a supported log level. Valid log levels are DEBUG, ERROR, FATAL, INFO,"
                        + " TRACE, WARN\n");
        Scripts.Result unknown = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "broker-loggers",
                "--entity-name",
                "1",
                "--alter",
                "--add-config",
                "no.such.Logger=DEBUG");
        assertThat(unknown.stderr()).isEqualTo("Invalid broker logger(s): no.such.Logger\n");
    }

    @Test
    void groupConfigsAreSetAndDescribedAsKafkaDoes() throws Exception {
        Scripts.Result none = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "groups",
                "--entity-name",
                "cfg",
                "--describe");
        assertThat(none.stdout()).isEqualTo("The group 'cfg' doesn't exist and doesn't have dynamic config.\n");
        Scripts.Result set = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "groups",
                "--entity-name",
                "cfg",
                "--alter",
                "--add-config",
                "consumer.session.timeout.ms=50000");
        assertThat(set.stdout()).as(set.stderr()).isEqualTo("Completed updating config for group cfg.\n");
        Scripts.Result dynamic = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "groups",
                "--entity-name",
                "cfg",
                "--describe");
        assertThat(dynamic.stdout())
                .isEqualTo("Dynamic configs for group cfg are:\n  consumer.session.timeout.ms=50000 sensitive=false"
                        + " synonyms={DYNAMIC_GROUP_CONFIG:consumer.session.timeout.ms=50000}\n");
        Scripts.Result all = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "groups",
                "--entity-name",
                "cfg",
                "--describe",
                "--all");
        assertThat(all.stdout())
                .startsWith("All configs for group cfg are:\n  consumer.heartbeat.interval.ms=5000 sensitive=false"
                        + " synonyms={DEFAULT_CONFIG:consumer.heartbeat.interval.ms=5000}\n")
                .contains("  streams.num.standby.replicas=0 sensitive=false"
                        + " synonyms={DEFAULT_CONFIG:streams.num.standby.replicas=0}\n");
        Scripts.Result bogus = run(
                "kafka-configs.sh",
                "--bootstrap-server",
                bootstrap,
                "--entity-type",
                "groups",
                "--entity-name",
                "cfg",
                "--alter",
                "--add-config",
                "bogus=1");
        assertThat(bogus.exitCode()).isEqualTo(1);
        assertThat(bogus.stderr())
                .endsWith("java.util.concurrent.ExecutionException:"
                        + " org.apache.kafka.common.errors.InvalidConfigurationException: Unknown group config name:"
                        + " bogus\n");
    }

    @Test
    void partitionReassignmentGeneratesExecutesAndVerifiesAsInKafkasGuide() throws Exception {
        assertThat(run(
                                "kafka-topics.sh",
                                "--bootstrap-server",
                                bootstrap,
                                "--create",
                                "--topic",
                                "moving",
                                "--partitions",
                                "2")
                        .exitCode())
                .isZero();
        Path topics = dir.resolve("topics-to-move.json");
        java.nio.file.Files.writeString(topics, "{\"topics\":[{\"topic\":\"moving\"}],\"version\":1}");
        Scripts.Result generate = run(
                "kafka-reassign-partitions.sh",
                "--bootstrap-server",
                bootstrap,
                "--topics-to-move-json-file",
                topics.toString(),
                "--broker-list",
                "1",
                "--generate");
        assertThat(generate.exitCode()).as(generate.stderr()).isZero();
        assertThat(generate.stdout()).startsWith("Current partition replica assignment\n");

        Path plan = dir.resolve("reassignment.json");
        java.nio.file.Files.writeString(
                plan,
                "{\"version\":1,\"partitions\":[{\"topic\":\"moving\",\"partition\":0,\"replicas\":[1],"
                        + "\"log_dirs\":[\"any\"]}]}");
        Scripts.Result execute = run(
                "kafka-reassign-partitions.sh",
                "--bootstrap-server",
                bootstrap,
                "--reassignment-json-file",
                plan.toString(),
                "--execute",
                "--throttle",
                "50000000");
        assertThat(execute.exitCode()).as(execute.stdout() + execute.stderr()).isZero();
        assertThat(execute.stdout()).contains("Successfully started partition reassignment for moving-0");
        Scripts.Result verify = run(
                "kafka-reassign-partitions.sh",
                "--bootstrap-server",
                bootstrap,
                "--reassignment-json-file",
                plan.toString(),
                "--verify");
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
        assertThat(verify.stdout())
                .isEqualTo("Status of partition reassignment:\nReassignment of partition moving-0 is completed.\n\n"
                        + "Clearing broker-level throttles on broker 1\nClearing topic-level throttles on topic"
                        + " moving\n");
        Scripts.Result list = run("kafka-reassign-partitions.sh", "--bootstrap-server", bootstrap, "--list");
        assertThat(list.stdout()).isEqualTo("No partition reassignments found.\n");
    }
}
