package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed offsets live in {@code __consumer_offsets}: after kill -9 of the broker process and a restart, the
 * coordinator replays them, and a new consumer in the group resumes exactly where the group committed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CommittedOffsetsRecoveryTest {
    @TempDir
    Path dir;

    private static Properties consumerConfig(String bootstrap, String group, String protocol) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        return config;
    }

    /** Consumes part of each partition and commits what it processed: offsets 30, 41 and 52. */
    private static Map<TopicPartition, OffsetAndMetadata> consumeAndCommit(
            String bootstrap, String group, String protocol) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrap, group, protocol))) {
            consumer.subscribe(List.of("resume"));
            Map<TopicPartition, Long> next = new HashMap<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < 30 + 11L * r.partition()) {
                        next.put(tp, r.offset() + 1);
                    }
                }
                return next.size() == 3
                        && next.entrySet().stream()
                                .allMatch(e ->
                                        e.getValue() == 30 + 11L * e.getKey().partition());
            });
            next.forEach((tp, offset) -> committed.put(tp, new OffsetAndMetadata(offset, "processed")));
            consumer.commitSync(committed);
        }
        return committed;
    }

    /** A new member of the group: where its first records of each partition start, and what it reads as committed. */
    private static void assertResumesAt(
            String bootstrap, String group, String protocol, Map<TopicPartition, OffsetAndMetadata> committed) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrap, group, protocol))) {
            consumer.subscribe(List.of("resume"));
            Map<TopicPartition, Long> firstSeen = new HashMap<>();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    firstSeen.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
                }
                return firstSeen.size() == 3;
            });
            Map<TopicPartition, Long> expected = new HashMap<>();
            committed.forEach((tp, om) -> expected.put(tp, om.offset()));
            assertThat(firstSeen).as(group).isEqualTo(expected);
            assertThat(consumer.committed(committed.keySet())).as(group).isEqualTo(committed);
        }
    }

    @Test
    void newConsumersResumeAtTheCommittedOffsetsAfterTheBrokerIsKilled() throws Exception {
        try (ScriptedNode node = new ScriptedNode(dir).start()) {
            String bootstrap = node.bootstrapServers();
            Properties adminConfig = new Properties();
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(adminConfig)) {
                admin.createTopics(List.of(new NewTopic("resume", 3, (short) 1)))
                        .all()
                        .get();
            }
            Properties producerConfig = new Properties();
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
                for (int i = 0; i < 300; i++) {
                    producer.send(new ProducerRecord<>("resume", i % 3, "k", "v" + i));
                }
            }
            Map<TopicPartition, OffsetAndMetadata> classic = consumeAndCommit(bootstrap, "resume-classic", "classic");
            Map<TopicPartition, OffsetAndMetadata> consumer =
                    consumeAndCommit(bootstrap, "resume-consumer", "consumer");

            node.kill();
            node.start();
            // The coordinator replays its partitions on a loader thread once the node serves: wait for it to say so.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(Files.readString(node.log(1)))
                    .contains("Loaded __consumer_offsets-"));

            assertResumesAt(bootstrap, "resume-classic", "classic", classic);
            assertResumesAt(bootstrap, "resume-consumer", "consumer", consumer);
        }
    }
}
