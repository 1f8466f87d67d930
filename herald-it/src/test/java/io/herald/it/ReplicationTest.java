package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication between brokers, in process: a controller and three brokers; topics with three replicas are copied to
 * every follower, acks=all completes once the ISR has a batch, and a follower that was away catches up.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReplicationTest {
    @TempDir
    Path dir;

    private TestNode controller;
    private final List<TestNode> brokers = new ArrayList<>();
    private Admin admin;

    @BeforeEach
    void startCluster() throws Exception {
        int controllerPort = TestPorts.free();
        Map<String, String> controllerProps = TestNode.base(1, "controller", dir.resolve("controller"), controllerPort);
        controllerProps.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        controller = TestNode.of(controllerProps).start();
        for (int id = 2; id <= 4; id++) {
            Map<String, String> props = TestNode.base(id, "broker", dir.resolve("broker-" + id), controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + TestPorts.free());
            props.remove("herald.quorum.raft.port.offset");
            props.put("broker.session.timeout.ms", "4000");
            props.put("broker.heartbeat.interval.ms", "500");
            brokers.add(TestNode.of(props).start());
        }
        admin = Admin.create(brokers.get(0).adminConfig());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> admin.describeCluster().nodes().get().size() == 3);
    }

    @AfterEach
    void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        brokers.forEach(TestNode::close);
        if (controller != null) {
            controller.close();
        }
    }

    /** Every running broker's address. */
    private String bootstrap() {
        return String.join(
                ",",
                brokers.stream()
                        .filter(TestNode::running)
                        .map(TestNode::bootstrapServers)
                        .toList());
    }

    private KafkaProducer<String, String> producer(String acks) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, acks);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(acks.equals("all")));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Bytes of each replica of {@code tp}, per broker id. */
    private Map<Integer, Long> replicaSizes(TopicPartition tp) throws Exception {
        Map<Integer, Long> sizes = new HashMap<>();
        Map<Integer, Map<String, LogDirDescription>> dirs =
                admin.describeLogDirs(List.of(2, 3, 4)).allDescriptions().get();
        dirs.forEach((broker, byDir) -> byDir.values().forEach(d -> {
            ReplicaInfo info = d.replicaInfos().get(tp);
            if (info != null) {
                sizes.put(broker, info.size());
            }
        }));
        return sizes;
    }

    @Test
    void acksAllWritesReachEveryReplica() throws Exception {
        admin.createTopics(
                        List.of(new NewTopic("replicated", 2, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all()
                .get();
        List<RecordMetadata> acked = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer("all")) {
            for (int i = 0; i < 500; i++) {
                acked.add(producer.send(new ProducerRecord<>("replicated", i % 2, "k" + i, "v" + i))
                        .get(60, TimeUnit.SECONDS));
            }
        }
        assertThat(acked).hasSize(500);
        for (int p = 0; p < 2; p++) {
            TopicPartition tp = new TopicPartition("replicated", p);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<Integer, Long> sizes = replicaSizes(tp);
                assertThat(sizes).hasSize(3);
                assertThat(sizes.values().stream().distinct().count())
                        .as("every replica of %s holds the same bytes: %s", tp, sizes)
                        .isEqualTo(1);
                assertThat(sizes.values().iterator().next()).isPositive();
            });
        }
        assertThat(consumeAll("replicated", 500)).hasSize(500);
    }

    @Test
    void aFollowerThatWasAwayCatchesUp() throws Exception {
        admin.createTopics(List.of(new NewTopic("catch-up", 1, (short) 3)))
                .all()
                .get();
        TopicPartition tp = new TopicPartition("catch-up", 0);
        int leader = admin.describeTopics(List.of("catch-up"))
                .allTopicNames()
                .get()
                .get("catch-up")
                .partitions()
                .get(0)
                .leader()
                .id();
        TestNode follower =
                brokers.stream().filter(b -> b.nodeId() != leader).findFirst().orElseThrow();
        follower.stop();
        try (KafkaProducer<String, String> producer = producer("1")) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>("catch-up", "k" + i, "v" + i));
            }
            producer.flush();
        }
        follower.start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<Integer, Long> sizes = replicaSizes(tp);
            assertThat(sizes).containsKey(follower.nodeId());
            assertThat(sizes.get(follower.nodeId()))
                    .isEqualTo(sizes.get(leader))
                    .isPositive();
        });
    }

    private List<ConsumerRecord<String, String>> consumeAll(String topic, int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
