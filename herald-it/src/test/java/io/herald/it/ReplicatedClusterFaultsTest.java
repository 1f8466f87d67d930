package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's proofs beyond leader kills: a consumer group across a coordinator failover, and a network partition
 * between brokers (through the harness's {@link FaultyProxy}s).
 */
@Tag("replication")
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ReplicatedClusterFaultsTest {

    @Test
    void aConsumerGroupKeepsItsCommittedOffsetsAcrossACoordinatorFailover(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        int total = 4000;
        try (ScriptedCluster cluster = ScriptedCluster.combined(dir, 3).start()) {
            ReplicatedFailoverTest.createReplicatedTopic(cluster, "orders", 3);
            Map<String, Object> producerConfig = FailoverWorkload.producerConfig(cluster.bootstrapServers());
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < total; i++) {
                    producer.send(new ProducerRecord<>("orders", "k" + i, Integer.toString(i)));
                }
                producer.flush();
            }
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            config.put(ConsumerConfig.GROUP_ID_CONFIG, "survivors");
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            Map<String, Integer> consumed = new HashMap<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(List.of("orders"));
                await().atMost(ReplicatedFailoverTest.FAILOVER).until(() -> {
                    pollAndCommit(consumer, consumed);
                    return consumed.size() >= total / 2;
                });
                int coordinator = cluster.admin()
                        .describeConsumerGroups(List.of("survivors"))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get("survivors")
                        .coordinator()
                        .id();
                Map<TopicPartition, OffsetAndMetadata> committedBefore = committed(cluster);
                Set<String> committedRecords = Set.copyOf(consumed.keySet());
                cluster.node(coordinator).kill();

                // A commit may fail while the coordinator moves (at-least-once): those records may come again.
                await().atMost(ReplicatedFailoverTest.FAILOVER)
                        .ignoreExceptions()
                        .until(() -> {
                            pollAndCommit(consumer, consumed);
                            return consumed.size() == total;
                        });
                int newCoordinator = cluster.admin()
                        .describeConsumerGroups(List.of("survivors"))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get("survivors")
                        .coordinator()
                        .id();
                assertThat(newCoordinator).isNotEqualTo(coordinator);
                // The offsets committed before the failover survived it: none of those records came again.
                assertThat(committedRecords).allMatch(value -> consumed.get(value) == 1);
                Map<TopicPartition, OffsetAndMetadata> committedAfter = committed(cluster);
                committedBefore.forEach((tp, offset) ->
                        assertThat(committedAfter.get(tp).offset()).isGreaterThanOrEqualTo(offset.offset()));
                assertThat(committedAfter.values().stream()
                                .mapToLong(OffsetAndMetadata::offset)
                                .sum())
                        .isEqualTo(total);
            }
        }
    }

    private static void pollAndCommit(KafkaConsumer<String, String> consumer, Map<String, Integer> consumed) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            consumed.merge(r.value(), 1, Integer::sum);
        }
        consumer.commitSync(Duration.ofSeconds(60));
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(ScriptedCluster cluster) throws Exception {
        return cluster.admin()
                .listConsumerGroupOffsets("survivors")
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void anIsolatedLeaderStopsTakingAcksAllWritesAndNoReplicaDivergesAfterHealing(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        TopicPartition partition = new TopicPartition("isolated", 0);
        try (ScriptedCluster cluster = ScriptedCluster.combined(dir, 3)
                .interBrokerProxies()
                .property("replica.lag.time.max.ms", "5000")
                .start()) {
            ReplicatedFailoverTest.createReplicatedTopic(cluster, partition.topic(), 1);
            ScriptedCluster.ClusterNode leader = cluster.awaitLeader(partition);
            Map<String, Object> config = FailoverWorkload.producerConfig(cluster.bootstrapServers());
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(partition.topic(), 0, "k", "before"))
                        .get(60, TimeUnit.SECONDS);
                leader.proxy().blackhole(); // followers can no longer fetch from the leader
                // Until the ISR shrinks acks=all times out; after, the leader refuses it: no acknowledged write either
                // way.
                await().atMost(ReplicatedFailoverTest.FAILOVER)
                        .ignoreExceptions()
                        .until(() -> cluster.describe(partition).isr().size() == 1);
                assertThat(producer.send(new ProducerRecord<>(partition.topic(), 0, "k", "isolated")))
                        .failsWithin(Duration.ofSeconds(60));
                leader.proxy().heal();
                ReplicatedFailoverTest.awaitFullIsr(cluster, partition.topic(), 1);
                producer.send(new ProducerRecord<>(partition.topic(), 0, "k", "after"))
                        .get(60, TimeUnit.SECONDS);
            }
            // Every replica holds the same bytes once the ISR is whole again.
            await().atMost(ReplicatedFailoverTest.FAILOVER).untilAsserted(() -> {
                List<Long> sizes = cluster
                        .admin()
                        .describeLogDirs(cluster.brokers().stream()
                                .map(ScriptedCluster.ClusterNode::id)
                                .toList())
                        .allDescriptions()
                        .get(30, TimeUnit.SECONDS)
                        .values()
                        .stream()
                        .flatMap(dirs -> dirs.values().stream())
                        .map(d -> d.replicaInfos().get(partition))
                        .filter(info -> info != null)
                        .map(ReplicaInfo::size)
                        .toList();
                assertThat(sizes).hasSize(3);
                assertThat(sizes).containsOnly(sizes.get(0));
            });
        }
    }
}
