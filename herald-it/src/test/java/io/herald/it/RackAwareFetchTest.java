package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetch from the closest replica (KIP-392), in process: a controller and two brokers in racks {@code rack-a} (broker
 * 2) and {@code rack-b} (broker 3) with kafka-clients' {@code RackAwareReplicaSelector}. Which broker served a
 * consumer is read from each broker's consumer bytes-out counter on its {@code /metrics} page.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RackAwareFetchTest {
    private static final String TOPIC = "racked";
    private static final int RECORDS = 200;

    private TestNode controller;
    private final List<TestNode> brokers = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private Admin admin;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        int controllerPort = TestPorts.free();
        Map<String, String> controllerProps = TestNode.base(1, "controller", dir.resolve("controller"), controllerPort);
        controllerProps.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        controller = TestNode.of(controllerProps).start();
        for (int id = 2; id <= 3; id++) {
            Map<String, String> props = TestNode.base(id, "broker", dir.resolve("broker-" + id), controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + TestPorts.free());
            props.remove("herald.quorum.raft.port.offset");
            props.put("broker.rack", id == 2 ? "rack-a" : "rack-b");
            props.put("replica.selector.class", "org.apache.kafka.common.replica.RackAwareReplicaSelector");
            int httpPort = TestPorts.free();
            props.put("http.listeners", "http://127.0.0.1:" + httpPort);
            httpPorts.add(httpPort);
            brokers.add(TestNode.of(props).start());
        }
        admin = Admin.create(brokers.get(0).adminConfig());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> admin.describeCluster().nodes().get().size() == 2);
        admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(2, 3)))))
                .all()
                .get(60, TimeUnit.SECONDS);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                acks.add(producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, "v" + i)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        brokers.forEach(TestNode::close);
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    void aConsumerInTheFollowersRackReadsFromTheFollowerAndOneInTheLeadersRackFromTheLeader() throws Exception {
        double leaderBefore = consumerBytesOut(2);
        double followerBefore = consumerBytesOut(3);

        assertThat(consume("rack-b"))
                .as("every record, in order, from the follower")
                .isEqualTo(expected());
        assertThat(consumerBytesOut(3) - followerBefore)
                .as("the follower in rack-b served the records")
                .isGreaterThan(RECORDS * 2.0);
        assertThat(consumerBytesOut(2) - leaderBefore)
                .as("the leader sent no records to a consumer in rack-b (only a preferred read replica)")
                .isZero();

        assertThat(consume("rack-a")).isEqualTo(expected());
        assertThat(consumerBytesOut(2) - leaderBefore)
                .as("the leader in rack-a served its own rack")
                .isGreaterThan(RECORDS * 2.0);
    }

    private static List<String> expected() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            values.add("v" + i);
        }
        return values;
    }

    private List<String> consume(String rack) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        config.put(ConsumerConfig.CLIENT_RACK_CONFIG, rack);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        List<String> values = new ArrayList<>();
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= RECORDS;
            });
        }
        return values;
    }

    private double consumerBytesOut(int brokerId) throws Exception {
        return Scrape.of(httpPorts.get(brokerId - 2)).value("herald_topic_bytes_out_total", Map.of("topic", TOPIC));
    }

    private String bootstrap() {
        return String.join(",", brokers.stream().map(TestNode::bootstrapServers).toList());
    }
}
