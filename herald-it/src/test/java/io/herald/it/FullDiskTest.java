package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log dirs on a real small file system (a tmpfs the test mounts; skipped with the reason where it cannot): a full
 * disk answers KAFKA_STORAGE_ERROR and takes only its dir offline; when it was the only dir the broker halts, and after
 * space is freed a restart serves every acknowledged record.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FullDiskTest {
    private static final String VALUE_PAD = "x".repeat(50_000);

    private static Properties producerConfig(String bootstrap) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.RETRIES_CONFIG, "0");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        return config;
    }

    /** Sends records one by one until one fails; returns the acknowledged ones' values and the first error. */
    private static List<String> produceUntilFailure(String bootstrap, String topic, List<Throwable> failure)
            throws InterruptedException {
        List<String> acknowledged = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
            for (int i = 0; i < 5_000; i++) {
                String value = i + ":" + VALUE_PAD;
                try {
                    producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
                    acknowledged.add(value);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    failure.add(e instanceof ExecutionException ? e.getCause() : e);
                    break;
                }
            }
        }
        return acknowledged;
    }

    private static List<String> consumeAll(String bootstrap, String topic, int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            return ProduceConsumeTest.readAll(consumer, topic, 1, expected).stream()
                    .map(ConsumerRecord::value)
                    .toList();
        }
    }

    @Test
    void aFullLogDirGoesOfflineWhileTheOtherKeepsServing(@TempDir Path dir) throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small"), 16)) {
            Path big = dir.resolve("big");
            TestNode template = TestNode.combined(big);
            Map<String, String> props = template.properties();
            // The metadata log stays on the first dir; partitions spread over both.
            props.put("log.dirs", big + "," + disk.path());
            try (TestNode node = TestNode.of(props).start();
                    Admin admin = Admin.create(node.adminConfig())) {
                admin.createTopics(List.of(new NewTopic("on-big", 1, (short) 1)))
                        .all()
                        .get();
                admin.createTopics(List.of(new NewTopic("on-small", 1, (short) 1)))
                        .all()
                        .get();
                Files.write(disk.path().resolve("ballast"), new byte[12 * 1024 * 1024]);
                List<Throwable> failure = new ArrayList<>();
                List<String> acknowledged = produceUntilFailure(node.bootstrapServers(), "on-small", failure);
                assertThat(failure).singleElement().isInstanceOf(KafkaStorageException.class);
                assertThat(acknowledged).isNotEmpty();

                Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(1))
                        .allDescriptions()
                        .get()
                        .get(1);
                assertThat(dirs.get(disk.path().toString()).error()).isInstanceOf(KafkaStorageException.class);
                assertThat(dirs.get(big.toString()).error()).isNull();

                List<Throwable> none = new ArrayList<>();
                try (KafkaProducer<String, String> producer =
                        new KafkaProducer<>(producerConfig(node.bootstrapServers()))) {
                    producer.send(new ProducerRecord<>("on-big", "still served"))
                            .get(30, TimeUnit.SECONDS);
                }
                assertThat(none).isEmpty();
                assertThat(consumeAll(node.bootstrapServers(), "on-big", 1)).containsExactly("still served");
                Files.delete(disk.path().resolve("ballast"));
                // Freed space does not bring a failed dir back: only a restart does.
                try (KafkaProducer<String, String> producer =
                        new KafkaProducer<>(producerConfig(node.bootstrapServers()))) {
                    assertThatThrownBy(() -> producer.send(new ProducerRecord<>("on-small", "late"))
                                    .get(30, TimeUnit.SECONDS))
                            .hasCauseInstanceOf(KafkaStorageException.class);
                }
                node.restart();
                assertThat(consumeAll(node.bootstrapServers(), "on-small", acknowledged.size()))
                        .isEqualTo(acknowledged);
            }
        }
    }

    @Test
    void aBrokerWhoseOnlyDirFilledHaltsAndServesEveryAcknowledgedRecordAfterARestart(@TempDir Path dir)
            throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small"), 64);
                ScriptedNode node = new ScriptedNode(dir, disk.path().resolve("data"))) {
            node.start();
            Properties adminConfig = new Properties();
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
            try (Admin admin = Admin.create(adminConfig)) {
                admin.createTopics(List.of(new NewTopic("filled", 1, (short) 1)
                                .configs(Map.of("segment.bytes", Integer.toString(1024 * 1024)))))
                        .all()
                        .get();
            }
            disk.fill("ballast");
            Files.delete(disk.path().resolve("ballast"));
            Files.write(
                    disk.path().resolve("ballast"),
                    new byte[(int) (disk.path().toFile().getUsableSpace() - 4 * 1024 * 1024)]);
            List<Throwable> failure = new ArrayList<>();
            List<String> acknowledged = produceUntilFailure(node.bootstrapServers(), "filled", failure);
            assertThat(failure).hasSize(1);
            assertThat(acknowledged).isNotEmpty();
            assertThat(node.exitsWithin(60))
                    .as("the broker halts once its only log dir failed")
                    .isTrue();
            assertThat(Files.readString(node.log(0))).contains("all log dirs").contains("have failed");

            Files.delete(disk.path().resolve("ballast"));
            node.start();
            assertThat(consumeAll(node.bootstrapServers(), "filled", acknowledged.size()))
                    .isEqualTo(acknowledged);
        }
    }
}
