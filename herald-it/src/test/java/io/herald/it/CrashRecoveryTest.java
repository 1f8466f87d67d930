package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of an idempotent produce stream, restart: every acknowledged record is there exactly once, and
 * the same producer goes on without duplicates.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashRecoveryTest {

    @Test
    void acknowledgedRecordsSurviveKillNineAndTheProducerContinuesWithoutDuplicates(@TempDir Path dir)
            throws Exception {
        try (ScriptedNode node = new ScriptedNode(dir).start()) {
            Properties adminConfig = new Properties();
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
            try (Admin admin = Admin.create(adminConfig)) {
                admin.createTopics(List.of(new NewTopic("crash", 3, (short) 1)))
                        .all()
                        .get();
            }
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            config.put(ProducerConfig.LINGER_MS_CONFIG, "2");
            int total = 20_000;
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger failed = new AtomicInteger();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                for (int i = 0; i < total; i++) {
                    String value = Integer.toString(i);
                    producer.send(new ProducerRecord<>("crash", "k" + (i % 30), value), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.add(value);
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                    if (i == total / 2) {
                        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() > total / 4);
                        node.kill();
                        node.start();
                    }
                }
                producer.flush();
            }
            assertThat(failed.get()).isZero();
            assertThat(acknowledged).hasSize(total);
            assertThat(Files.readString(node.log(1))).contains("Recovered");

            Properties consumerConfig = new Properties();
            consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
            consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
                List<ConsumerRecord<String, String>> records = ProduceConsumeTest.readAll(consumer, "crash", 3, total);
                Map<String, Integer> seen = new HashMap<>();
                records.forEach(r -> seen.merge(r.value(), 1, Integer::sum));
                List<String> duplicated = new ArrayList<>();
                seen.forEach((value, count) -> {
                    if (count > 1) {
                        duplicated.add(value);
                    }
                });
                assertThat(duplicated).as("values written twice").isEmpty();
                assertThat(seen.keySet()).containsAll(acknowledged);
            }
        }
    }
}
