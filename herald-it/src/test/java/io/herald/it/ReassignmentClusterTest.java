package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reassignment that moves data (KIP-455), with Kafka's {@code kafka-reassign-partitions.sh} against four real combined
 * nodes from {@code bin/}: the steps share one cluster and run in order (the second leaves node 2 killed, which the
 * third uses as a broker that cannot catch up; the fourth moves data between nodes 3 and 4 under a throttle).
 */
@Tag("replication")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReassignmentClusterTest {
    private static final Duration MOVE = Duration.ofSeconds(120);

    private Path dir;
    private ScriptedCluster cluster;

    @BeforeAll
    void startCluster(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path tempDir) throws Exception {
        dir = tempDir;
        cluster = ScriptedCluster.combined(dir, 4)
                .property("replica.lag.time.max.ms", "5000")
                .property("log.segment.delete.delay.ms", "500") // a deleted replica's files go soon after
                // Throttles measured over two one-second windows: the burst a throttle forgives is one second's worth.
                .property("replication.quota.window.num", "2")
                .property("replication.quota.window.size.seconds", "1")
                .start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void movingAPartitionAwayFromItsLeaderUnderAnAcksAllProducerLosesNothing() throws Exception {
        TopicPartition tp = new TopicPartition("busy", 0);
        createTopic(tp.topic(), List.of(1, 2, 3), "2");
        AckChecker.History history;
        try (FailoverWorkload workload = new FailoverWorkload(cluster.bootstrapServers(), tp.topic(), 1, Map.of())) {
            workload.awaitProgress(300, MOVE);
            assertThat(cluster.awaitLeader(tp).id()).isEqualTo(1);
            Path plan = plan(tp, 4, 2, 3);
            Scripts.Result execute = reassign("--execute", "--reassignment-json-file", plan.toString());
            assertThat(execute.exitCode())
                    .as(execute.stdout() + execute.stderr())
                    .isZero();
            assertThat(execute.stdout()).contains("Successfully started partition reassignment for busy-0");
            awaitVerifiedComplete(plan, tp);
            workload.awaitProgress(300, MOVE);
            workload.finish();
            history = workload.history();
        }
        Node leader = cluster.describe(tp).leader();
        assertThat(leader.id()).as("the first target replica in the ISR leads").isEqualTo(4);
        assertThat(ids(cluster.describe(tp).replicas())).containsExactly(4, 2, 3);
        assertThat(history.failedCount())
                .as("failed sends: %s", history.failureKinds())
                .isZero();
        AckChecker.Report report =
                AckChecker.check(history, FailoverWorkload.readBack(cluster.bootstrapServers(), tp.topic(), 1));
        assertThat(report.clean()).as(report.toString()).isTrue();
        awaitLogGone(1, tp);
    }

    @Test
    @Order(2)
    void growingASingleReplicaOntoOtherBrokersCopiesItsRecordsAndSurvivesTheNewLeadersDeath() throws Exception {
        TopicPartition tp = new TopicPartition("grown", 0);
        createTopic(tp.topic(), List.of(1), "1");
        int total = 3000;
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                FailoverWorkload.producerConfig(cluster.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                sent.add(Integer.toString(i));
                acks.add(producer.send(new ProducerRecord<>(tp.topic(), 0, "k" + i, Integer.toString(i))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
        Path plan = plan(tp, 2, 3, 4);
        Scripts.Result execute =
                reassign("--execute", "--reassignment-json-file", plan.toString(), "--throttle", "50000000");
        assertThat(execute.exitCode()).as(execute.stdout() + execute.stderr()).isZero();
        assertThat(execute.stdout())
                .contains("The inter-broker throttle limit was set to 50000000 B/s")
                .contains("Successfully started partition reassignment for grown-0");
        Scripts.Result done = awaitVerifiedComplete(plan, tp);
        assertThat(done.stdout()).contains("Clearing topic-level throttles on topic grown");
        assertThat(cluster.admin()
                        .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, tp.topic())))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .values()
                        .iterator()
                        .next()
                        .get("leader.replication.throttled.replicas")
                        .value())
                .as("--verify removed the throttle once complete")
                .isEmpty();
        assertThat(ids(cluster.describe(tp).replicas())).containsExactly(2, 3, 4);
        awaitLogGone(1, tp);

        ScriptedCluster.ClusterNode leader = cluster.awaitLeader(tp);
        assertThat(leader.id()).isEqualTo(2);
        awaitIsr(tp, 3);
        leader.kill();
        ReplicatedFailoverTest.awaitLeaderOtherThan(cluster, tp, leader.id());
        List<String> read = FailoverWorkload.readBack(cluster.bootstrapServers(), tp.topic(), 1).stream()
                .map(AckChecker.Read::value)
                .toList();
        assertThat(read).as("every acknowledged record, once, in order").isEqualTo(sent);
    }

    @Test
    @Order(3)
    void aReassignmentThatCannotFinishShowsInProgressAndCancelRevertsIt() throws Exception {
        TopicPartition tp = new TopicPartition("stuck", 0);
        createTopic(tp.topic(), List.of(3), "1");
        // Node 2 was killed in the previous step: still registered, fenced, so it never catches up. (A move, not only
        // an addition: Kafka's --cancel leaves alone a reassignment that only adds replicas.)
        assertThat(cluster.node(2).alive()).isFalse();
        cluster.admin()
                .alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(2)))))
                .all()
                .get(60, TimeUnit.SECONDS);

        Scripts.Result describe = Scripts.run(
                120,
                "kafka-topics.sh",
                "--bootstrap-server",
                cluster.bootstrapServers(),
                "--describe",
                "--topic",
                "stuck");
        assertThat(describe.stdout())
                .contains("\tLeader: 3\tReplicas: 2,3\tIsr: 3\tAdding Replicas: 2\tRemoving Replicas: 3\tElr: ");
        Scripts.Result list = reassign("--list");
        assertThat(list.stdout())
                .isEqualTo("Current partition reassignments:\nstuck-0: replicas: 2,3. adding: 2. removing: 3.\n");
        Path plan = plan(tp, 2);
        Scripts.Result verify = reassign("--verify", "--reassignment-json-file", plan.toString());
        assertThat(verify.stdout()).contains("Reassignment of partition stuck-0 is still in progress.");

        // Clearing the throttles would alter configs of the dead broker 2 too, which only that broker can answer.
        Scripts.Result cancel =
                reassign("--cancel", "--reassignment-json-file", plan.toString(), "--preserve-throttles");
        assertThat(cancel.exitCode()).as(cancel.stdout() + cancel.stderr()).isZero();
        assertThat(cancel.stdout()).contains("Successfully cancelled partition reassignment for: stuck-0");
        assertThat(ids(cluster.describe(tp).replicas())).containsExactly(3);
        assertThat(cluster.describe(tp).leader().id()).isEqualTo(3);
        assertThat(cluster.admin().listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS))
                .isEmpty();
    }

    @Test
    @Order(4)
    void aThrottledMoveCopiesAtAboutTheThrottleRateAndVerifyRemovesTheThrottle() throws Exception {
        TopicPartition tp = new TopicPartition("throttled", 0);
        createTopic(tp.topic(), List.of(3), "1");
        int records = 1200;
        String value = "v".repeat(1000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                FailoverWorkload.producerConfig(cluster.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < records; i++) {
                acks.add(producer.send(new ProducerRecord<>(tp.topic(), 0, null, value)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
        long logBytes = cluster
                .admin()
                .describeLogDirs(List.of(3))
                .allDescriptions()
                .get(30, TimeUnit.SECONDS)
                .get(3)
                .values()
                .stream()
                .map(d -> d.replicaInfos().get(tp))
                .filter(java.util.Objects::nonNull)
                .mapToLong(org.apache.kafka.clients.admin.ReplicaInfo::size)
                .sum();
        assertThat(logBytes).isGreaterThan(1_000_000);

        long rate = 200_000;
        Path plan = plan(tp, 4);
        Scripts.Result execute =
                reassign("--execute", "--reassignment-json-file", plan.toString(), "--throttle", Long.toString(rate));
        long started = System.nanoTime();
        assertThat(execute.exitCode()).as(execute.stdout() + execute.stderr()).isZero();
        await(tp + " moved to broker 4")
                .atMost(MOVE)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> ids(cluster.describe(tp).replicas()).equals(List.of(4)));
        double seconds = (System.nanoTime() - started) / 1e9;
        // Unthrottled, the copy takes well under a second. At the rate, what is left after the forgiven burst of one
        // window (and one fetch bounded to a window's worth) takes (bytes - 2 * rate) / rate seconds; the clock
        // starts only after the tool returned, so the bound below leaves that much slack and load more on top.
        double atRate = (double) (logBytes - 2 * rate) / rate;
        System.out.printf("%d bytes moved under a %d B/s throttle in %.1f s%n", logBytes, rate, seconds);
        assertThat(seconds)
                .as("%d bytes under a %d B/s throttle moved in %.1f s", logBytes, rate, seconds)
                .isGreaterThan(atRate * 0.6)
                .isLessThan(atRate * 10);

        Scripts.Result verify = reassign("--verify", "--reassignment-json-file", plan.toString());
        assertThat(verify.stdout())
                .contains("Reassignment of partition " + tp + " is completed.")
                .containsPattern("Clearing broker-level throttles on brokers [0-9,]*3,4\n")
                .contains("Clearing topic-level throttles on topic throttled");
        var brokerConfig = cluster.admin()
                .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "4")))
                .all()
                .get(30, TimeUnit.SECONDS)
                .values()
                .iterator()
                .next()
                .get("follower.replication.throttled.rate");
        assertThat(brokerConfig.source())
                .as("--verify removed the rate")
                .isNotEqualTo(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);
        List<String> read = FailoverWorkload.readBack(cluster.bootstrapServers(), tp.topic(), 1).stream()
                .map(AckChecker.Read::value)
                .toList();
        assertThat(read).hasSize(records);
    }

    private void createTopic(String topic, List<Integer> replicas, String minIsr) throws Exception {
        cluster.admin()
                .createTopics(List.of(
                        new NewTopic(topic, Map.of(0, replicas)).configs(Map.of("min.insync.replicas", minIsr))))
                .all()
                .get(60, TimeUnit.SECONDS);
        awaitIsr(new TopicPartition(topic, 0), replicas.size());
    }

    private void awaitIsr(TopicPartition tp, int size) {
        await(tp + " with " + size + " replicas in sync")
                .atMost(MOVE)
                .ignoreExceptions()
                .until(() -> cluster.describe(tp).isr().size() == size);
    }

    private Path plan(TopicPartition tp, Integer... replicas) throws Exception {
        Path plan = dir.resolve(tp + "-plan.json");
        Files.writeString(
                plan,
                "{\"version\":1,\"partitions\":[{\"topic\":\"" + tp.topic() + "\",\"partition\":" + tp.partition()
                        + ",\"replicas\":["
                        + List.of(replicas).stream().map(String::valueOf).collect(Collectors.joining(","))
                        + "]}]}");
        return plan;
    }

    private Scripts.Result reassign(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", cluster.bootstrapServers()));
        all.addAll(List.of(args));
        return Scripts.run(120, "kafka-reassign-partitions.sh", all.toArray(String[]::new));
    }

    /** Runs {@code --verify} until it reports the partition's reassignment completed; answers that run. */
    private Scripts.Result awaitVerifiedComplete(Path plan, TopicPartition tp) {
        Scripts.Result[] last = new Scripts.Result[1];
        await("--verify reports " + tp + " completed")
                .atMost(MOVE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = reassign("--verify", "--reassignment-json-file", plan.toString());
                    return last[0].stdout().contains("Reassignment of partition " + tp + " is completed.");
                });
        return last[0];
    }

    /**
     * The removed replica's log directory goes once its broker sees the completed reassignment (renamed for deletion
     * at once, removed after {@code log.segment.delete.delay.ms}).
     */
    private void awaitLogGone(int broker, TopicPartition tp) throws Exception {
        Path dataDir = cluster.node(broker).dataDir();
        await(tp + " deleted from " + dataDir).atMost(MOVE).until(() -> {
            try (var entries = Files.list(dataDir)) {
                return entries.map(p -> p.getFileName().toString())
                        .noneMatch(name -> name.equals(tp.toString()) || name.startsWith(tp + "."));
            }
        });
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }
}
