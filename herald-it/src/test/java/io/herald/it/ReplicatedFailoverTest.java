package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's proofs with real processes: a 3-node cluster, a topic of replication factor 3 with
 * {@code min.insync.replicas=2}, and brokers killed or stopped under an idempotent {@code acks=all} producer. Every
 * acknowledged record must be read back exactly once, in order, at its offset ({@link AckChecker}).
 *
 * <p>Tagged {@code replication} ({@code -Dgroups=replication} runs just these); {@code -Dherald.failover.cycles=N}
 * sets the kill -9 cycles (6 by default, to keep the suite inside its time budget; {@code bench/failover-soak.sh} runs 100).
 */
@Tag("replication")
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ReplicatedFailoverTest {
    static final Duration FAILOVER = Duration.ofSeconds(120);
    private static final String TOPIC = "failover";
    private static final int PARTITIONS = 3;

    static void createReplicatedTopic(ScriptedCluster cluster, String topic, int partitions) throws Exception {
        cluster.admin()
                .createTopics(
                        List.of(new NewTopic(topic, partitions, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all()
                .get(60, TimeUnit.SECONDS);
        awaitFullIsr(cluster, topic, partitions);
    }

    /** Waits until every replica of every partition is in sync again (a restarted node caught up). */
    static void awaitFullIsr(ScriptedCluster cluster, String topic, int partitions) {
        await("all 3 replicas of " + topic + " in sync")
                .atMost(FAILOVER)
                .ignoreExceptions()
                .until(() -> {
                    for (int p = 0; p < partitions; p++) {
                        if (cluster.describe(new TopicPartition(topic, p)).isr().size() != 3) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private static void assertNothingLost(ScriptedCluster cluster, AckChecker.History history) {
        assertThat(history.failedCount())
                .as("failed sends: %s", history.failureKinds())
                .isZero();
        AckChecker.Report report =
                AckChecker.check(history, FailoverWorkload.readBack(cluster.bootstrapServers(), TOPIC, PARTITIONS));
        System.out.println("ReplicatedFailoverTest: " + report);
        assertThat(report.clean()).as(report.toString()).isTrue();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.HOURS) // every step is bounded by FAILOVER; 100 cycles take long
    void killNineOfTheLeaderCycleAfterCycleLosesNoAcknowledgedRecord(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        int cycles = Integer.getInteger("herald.failover.cycles", 6);
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (ScriptedCluster cluster = ScriptedCluster.combined(dir, 3).start()) {
            createReplicatedTopic(cluster, TOPIC, PARTITIONS);
            AckChecker.History history;
            List<Long> failoverMillis = new ArrayList<>();
            try (FailoverWorkload workload =
                    new FailoverWorkload(cluster.bootstrapServers(), TOPIC, PARTITIONS, Map.of())) {
                for (int cycle = 0; cycle < cycles; cycle++) {
                    workload.awaitProgress(200, FAILOVER);
                    ScriptedCluster.ClusterNode leader = cluster.awaitLeader(partition);
                    long killedAt = System.nanoTime();
                    leader.kill();
                    ScriptedCluster.ClusterNode next = awaitLeaderOtherThan(cluster, partition, leader.id());
                    workload.awaitProgress(1, FAILOVER);
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                    failoverMillis.add(millis);
                    System.out.printf(
                            "cycle %d: killed leader %d, new leader %d, first acknowledged write after %d ms%n",
                            cycle, leader.id(), next.id(), millis);
                    if (cycle == 0) {
                        assertDescribeShows(cluster, partition, next.id(), leader.id());
                    }
                    workload.awaitProgress(200, FAILOVER); // the survivors take writes with one node down
                    leader.restart();
                    awaitFullIsr(cluster, TOPIC, PARTITIONS);
                }
                workload.awaitProgress(200, FAILOVER);
                workload.finish();
                history = workload.history();
            }
            Collections.sort(failoverMillis);
            System.out.printf(
                    "failover (kill -9 of the leader -> next acknowledged write) over %d cycles: min %d ms, median %d"
                            + " ms, max %d ms%n",
                    cycles, failoverMillis.get(0), failoverMillis.get(cycles / 2), failoverMillis.get(cycles - 1));
            assertNothingLost(cluster, history);
        }
    }

    static ScriptedCluster.ClusterNode awaitLeaderOtherThan(
            ScriptedCluster cluster, TopicPartition partition, int old) {
        int[] leader = new int[1];
        await("a new leader for " + partition + " after node " + old + " went away")
                .atMost(FAILOVER)
                .ignoreExceptions()
                .until(() -> {
                    Node node = cluster.describe(partition).leader();
                    leader[0] = node == null ? -1 : node.id();
                    return leader[0] > 0 && leader[0] != old;
                });
        return cluster.node(leader[0]);
    }

    /** Kafka's own kafka-topics --describe shows the new leader, and the ISR without the dead node once it shrank. */
    private static void assertDescribeShows(ScriptedCluster cluster, TopicPartition partition, int leader, int dead)
            throws Exception {
        await().atMost(FAILOVER).ignoreExceptions().until(() -> cluster.describe(partition).isr().stream()
                .noneMatch(n -> n.id() == dead));
        Scripts.Result describe = Scripts.run(
                120,
                "kafka-topics.sh",
                "--bootstrap-server",
                cluster.bootstrapServers(),
                "--describe",
                "--topic",
                TOPIC);
        String line = describe.stdout()
                .lines()
                .filter(l -> l.contains("Partition: " + partition.partition() + "\t"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(describe.stdout() + describe.stderr()));
        assertThat(line).contains("Leader: " + leader + "\t");
        String isr = line.replaceAll(".*\tIsr: ([0-9,]*).*", "$1");
        assertThat(List.of(isr.split(","))).hasSize(2).doesNotContain(Integer.toString(dead));
    }

    @Test
    void controlledShutdownOfTheLeaderUnderLoadFailsNoProduce(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (ScriptedCluster cluster = ScriptedCluster.combined(dir, 3).start()) {
            createReplicatedTopic(cluster, TOPIC, PARTITIONS);
            AckChecker.History history;
            // A 30 s delivery timeout: a leadership move that stalls writes for longer shows up as a failed send.
            try (FailoverWorkload workload = new FailoverWorkload(
                    cluster.bootstrapServers(),
                    TOPIC,
                    PARTITIONS,
                    Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000))) {
                for (int cycle = 0; cycle < 3; cycle++) {
                    workload.awaitProgress(500, FAILOVER);
                    ScriptedCluster.ClusterNode leader = cluster.awaitLeader(partition);
                    leader.stop(); // SIGTERM: leadership moves away before the process exits
                    awaitLeaderOtherThan(cluster, partition, leader.id());
                    workload.awaitProgress(500, FAILOVER);
                    leader.restart();
                    awaitFullIsr(cluster, TOPIC, PARTITIONS);
                }
                workload.finish();
                history = workload.history();
            }
            assertNothingLost(cluster, history);
        }
    }

    @Test
    void twoOfThreeBrokersDownRefuseAcksAllButNotAcksOneAndOneBackRecovers(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        // A separate controller keeps the quorum alive while two of the three brokers are down.
        TopicPartition partition = new TopicPartition("quorum-of-replicas", 0);
        try (ScriptedCluster cluster = ScriptedCluster.split(dir, 1, 3)
                        .property("replica.lag.time.max.ms", "5000")
                        .start();
                KafkaProducer<String, String> all = producer(cluster, "all");
                KafkaProducer<String, String> one = producer(cluster, "1")) {
            createReplicatedTopic(cluster, partition.topic(), 1);
            ScriptedCluster.ClusterNode leader = cluster.awaitLeader(partition);
            List<ScriptedCluster.ClusterNode> followers = cluster.brokers().stream()
                    .filter(n -> n.id() != leader.id())
                    .toList();
            all.send(new ProducerRecord<>(partition.topic(), 0, "k", "before")).get(60, TimeUnit.SECONDS);
            for (ScriptedCluster.ClusterNode follower : followers) {
                follower.kill();
            }
            // Once the ISR shrank to the leader alone, acks=all is refused outright (no retries on this producer).
            await().atMost(FAILOVER).untilAsserted(() -> assertThatThrownBy(
                            () -> all.send(new ProducerRecord<>(partition.topic(), 0, "k", "refused"))
                                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(NotEnoughReplicasException.class));
            assertThat(one.send(new ProducerRecord<>(partition.topic(), 0, "k", "acks=1"))
                            .get(60, TimeUnit.SECONDS)
                            .offset())
                    .isPositive();

            followers.get(0).restart();
            await().atMost(FAILOVER)
                    .ignoreExceptions()
                    .until(() -> cluster.describe(partition).isr().size() >= 2);
            assertThat(all.send(new ProducerRecord<>(partition.topic(), 0, "k", "after"))
                            .get(60, TimeUnit.SECONDS)
                            .offset())
                    .isPositive();
        }
    }

    private static KafkaProducer<String, String> producer(ScriptedCluster cluster, String acks) {
        Map<String, Object> config = FailoverWorkload.producerConfig(cluster.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.RETRIES_CONFIG, 0);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
}
