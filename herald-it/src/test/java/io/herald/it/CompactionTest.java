package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A compacted topic keeps the latest value per key at its original offset, and drops tombstoned keys. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CompactionTest {

    @Test
    void compactedTopicKeepsTheLatestValueOfEveryKey(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.combined(dir)) {
            node.properties().put("log.cleaner.backoff.ms", "100");
            node.start();
            try (Admin admin = Admin.create(node.adminConfig())) {
                admin.createTopics(List.of(new NewTopic("compacted", 1, (short) 1)
                                .configs(Map.of(
                                        "cleanup.policy", "compact",
                                        "segment.ms", "50",
                                        "min.cleanable.dirty.ratio", "0.01",
                                        "delete.retention.ms", "100"))))
                        .all()
                        .get();
            }
            Properties config = new Properties();
            config.put("bootstrap.servers", node.bootstrapServers());
            config.put("key.serializer", StringSerializer.class.getName());
            config.put("value.serializer", StringSerializer.class.getName());
            int updates = 3000;
            Map<String, String> expected = new HashMap<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                for (int i = 0; i < updates; i++) {
                    String key = "key-" + (i % 50);
                    producer.send(new ProducerRecord<>("compacted", key, "v" + i));
                    expected.put(key, "v" + i);
                }
                producer.send(new ProducerRecord<>("compacted", "key-0", null)).get();
                expected.remove("key-0");
                Properties consumerConfig = new Properties();
                consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
                consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
                consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
                await().atMost(Duration.ofSeconds(120)).until(() -> {
                    // Appends after segment.ms roll the segment, so everything before becomes cleanable.
                    producer.send(new ProducerRecord<>("compacted", "tick", "t"))
                            .get();
                    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
                        List<ConsumerRecord<String, String>> records =
                                ProduceConsumeTest.readAll(consumer, "compacted", 1, 1);
                        long end = consumer.endOffsets(
                                        List.of(new org.apache.kafka.common.TopicPartition("compacted", 0)))
                                .values()
                                .iterator()
                                .next();
                        while (records.isEmpty()
                                || records.get(records.size() - 1).offset() < end - 1) {
                            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                        }
                        Map<String, String> latest = new HashMap<>();
                        for (ConsumerRecord<String, String> record : records) {
                            if (record.key().equals("tick")) {
                                continue;
                            }
                            if (record.value() == null) {
                                latest.remove(record.key());
                            } else {
                                latest.put(record.key(), record.value());
                            }
                        }
                        assertThat(latest).isEqualTo(expected);
                        long keyRecords = records.stream()
                                .filter(r -> !r.key().equals("tick"))
                                .count();
                        return keyRecords <= expected.size() + 1;
                    }
                });
            }
        }
    }
}
