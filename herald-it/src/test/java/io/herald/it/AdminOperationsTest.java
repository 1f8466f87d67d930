package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Topic and broker administration through the Java Admin client: configs, partitions, records, log dirs. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdminOperationsTest {

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    @Test
    void topicConfigsAreDescribedAlteredEnforcedAndSurviveRestart(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.combined(dir)) {
            node.properties().put("log.retention.hours", "48");
            node.properties().put("log.segment.bytes", "2097152");
            node.start();
            try (Admin admin = Admin.create(node.adminConfig())) {
                admin.createTopics(
                                List.of(new NewTopic("cfg", 1, (short) 1).configs(Map.of("cleanup.policy", "delete"))))
                        .all()
                        .get();
                Config config =
                        admin.describeConfigs(List.of(topic("cfg"))).all().get().get(topic("cfg"));
                assertThat(config.get("cleanup.policy").source())
                        .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
                assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(48 * 3_600_000L));
                assertThat(config.get("segment.bytes").value()).isEqualTo("2097152");
                assertThat(config.get("segment.bytes").source())
                        .isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
                assertThat(config.get("segment.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

                admin.incrementalAlterConfigs(Map.of(
                                topic("cfg"),
                                List.of(
                                        new AlterConfigOp(
                                                new ConfigEntry("max.message.bytes", "1000"), AlterConfigOp.OpType.SET),
                                        new AlterConfigOp(
                                                new ConfigEntry("cleanup.policy", ""), AlterConfigOp.OpType.DELETE))))
                        .all()
                        .get();
                Config altered =
                        admin.describeConfigs(List.of(topic("cfg"))).all().get().get(topic("cfg"));
                assertThat(altered.get("max.message.bytes").value()).isEqualTo("1000");
                assertThat(altered.get("cleanup.policy").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

                assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                                        topic("cfg"),
                                        List.of(new AlterConfigOp(
                                                new ConfigEntry("retention.ms", "forever"), AlterConfigOp.OpType.SET))))
                                .all()
                                .get())
                        .cause()
                        .isInstanceOf(InvalidConfigurationException.class)
                        .hasMessageContaining("retention.ms");
            }
            try (KafkaProducer<String, String> producer = producer(node)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("cfg", "k", "x".repeat(3000)))
                                .get())
                        .cause()
                        .isInstanceOf(RecordTooLargeException.class);
            }
            node.restart();
            try (Admin admin = Admin.create(node.adminConfig())) {
                Config afterRestart =
                        admin.describeConfigs(List.of(topic("cfg"))).all().get().get(topic("cfg"));
                assertThat(afterRestart.get("max.message.bytes").value()).isEqualTo("1000");
            }
            try (KafkaProducer<String, String> producer = producer(node)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("cfg", "k", "x".repeat(3000)))
                                .get())
                        .cause()
                        .isInstanceOf(RecordTooLargeException.class);
            }
        }
    }

    @Test
    void brokerConfigsAreDescribedAndDynamicDefaultsApplyToTopics(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.combined(dir).start();
                Admin admin = Admin.create(node.adminConfig())) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            assertThat(config.get("num.partitions").value()).isEqualTo("1");
            assertThat(config.get("log.dirs").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);

            admin.createTopics(List.of(new NewTopic("inherits", 1, (short) 1)))
                    .all()
                    .get();
            ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
            admin.incrementalAlterConfigs(Map.of(
                            clusterDefault,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("log.retention.ms", "123456"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
            Config topicConfig = admin.describeConfigs(List.of(topic("inherits")))
                    .all()
                    .get()
                    .get(topic("inherits"));
            assertThat(topicConfig.get("retention.ms").value()).isEqualTo("123456");
            assertThat(topicConfig.get("retention.ms").source())
                    .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        }
    }

    @Test
    void partitionsOnlyGrowAndNewKeysLandInNewPartitions(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.combined(dir).start();
                Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("grow", 2, (short) 1)))
                    .all()
                    .get();
            admin.createPartitions(Map.of("grow", NewPartitions.increaseTo(5)))
                    .all()
                    .get();
            assertThat(admin.describeTopics(List.of("grow"))
                            .allTopicNames()
                            .get()
                            .get("grow")
                            .partitions())
                    .hasSize(5);
            assertThatThrownBy(() -> admin.createPartitions(Map.of("grow", NewPartitions.increaseTo(3)))
                            .all()
                            .get())
                    .cause()
                    .isInstanceOf(InvalidPartitionsException.class);
            try (KafkaProducer<String, String> producer = producer(node)) {
                java.util.Set<Integer> used = new java.util.HashSet<>();
                for (int i = 0; i < 200; i++) {
                    used.add(producer.send(new ProducerRecord<>("grow", "key-" + i, "v"))
                            .get()
                            .partition());
                }
                assertThat(used).contains(2, 3, 4);
            }
            // Paged DescribeTopicPartitions: two partitions per answer still describes all five.
            assertThat(admin.describeTopics(
                                    List.of("grow"), new DescribeTopicsOptions().partitionSizeLimitPerResponse(2))
                            .allTopicNames()
                            .get()
                            .get("grow")
                            .partitions())
                    .hasSize(5);
        }
    }

    @Test
    void deleteRecordsMovesTheStartAndConsumersBeginThere(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.combined(dir).start();
                Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("trim", 1, (short) 1)))
                    .all()
                    .get();
            try (KafkaProducer<String, String> producer = producer(node)) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("trim", "k", "v" + i)).get();
                }
            }
            TopicPartition tp = new TopicPartition("trim", 0);
            long low = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4)))
                    .lowWatermarks()
                    .get(tp)
                    .get()
                    .lowWatermark();
            assertThat(low).isEqualTo(4);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                            .partitionResult(tp)
                            .get()
                            .offset())
                    .isEqualTo(4);
            assertThatThrownBy(() -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(50)))
                            .all()
                            .get())
                    .isInstanceOf(ExecutionException.class);
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
                List<ConsumerRecord<String, String>> records = ProduceConsumeTest.readAll(consumer, "trim", 1, 6);
                assertThat(records.get(0).offset()).isEqualTo(4);
                assertThat(records).hasSize(6);
            }
            // A consumer positioned before the log start is reset per auto.offset.reset.
            Properties resetting = new Properties();
            resetting.putAll(config);
            resetting.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(resetting)) {
                consumer.assign(List.of(tp));
                consumer.seek(tp, 0);
                List<ConsumerRecord<String, String>> records = new java.util.ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    return !records.isEmpty();
                });
                assertThat(records.get(0).offset()).isEqualTo(4);
            }
            // The default idempotent producer that wrote them is known to the partition.
            var producers = admin.describeProducers(List.of(tp))
                    .partitionResult(tp)
                    .get()
                    .activeProducers();
            assertThat(producers).hasSize(1);
            assertThat(producers.get(0).lastSequence()).isEqualTo(9);
            Map<Integer, Map<String, org.apache.kafka.clients.admin.LogDirDescription>> dirs =
                    admin.describeLogDirs(List.of(1)).allDescriptions().get();
            Collection<org.apache.kafka.clients.admin.LogDirDescription> descriptions =
                    dirs.get(1).values();
            assertThat(descriptions)
                    .anySatisfy(d -> assertThat(d.replicaInfos()).containsKey(tp));
            assertThat(admin.electLeaders(ElectionType.PREFERRED, java.util.Set.of(tp))
                            .partitions()
                            .get()
                            .get(tp))
                    .containsInstanceOf(ElectionNotNeededException.class);
        }
    }

    @Test
    void lowerRetentionDeletesOldSegments(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.combined(dir)) {
            node.properties().put("log.retention.check.interval.ms", "100");
            node.start();
            try (Admin admin = Admin.create(node.adminConfig());
                    KafkaProducer<String, String> producer = producer(node)) {
                admin.createTopics(List.of(new NewTopic("expiring", 1, (short) 1)
                                .configs(Map.of("segment.ms", "10", "file.delete.delay.ms", "0"))))
                        .all()
                        .get();
                TopicPartition tp = new TopicPartition("expiring", 0);
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("expiring", "k", "old" + i))
                            .get();
                }
                admin.incrementalAlterConfigs(Map.of(
                                topic("expiring"),
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("retention.ms", "50"), AlterConfigOp.OpType.SET))))
                        .all()
                        .get();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    // Each append after segment.ms rolls a segment, so the old ones become deletable.
                    producer.send(new ProducerRecord<>("expiring", "k", "new")).get();
                    return admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                                    .partitionResult(tp)
                                    .get()
                                    .offset()
                            >= 5;
                });
            }
        }
    }

    @Test
    void aShortRetentionPurgesATopicActiveSegmentIncluded(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.combined(dir)) {
            node.properties().put("log.retention.check.interval.ms", "100");
            node.start();
            try (Admin admin = Admin.create(node.adminConfig());
                    KafkaProducer<String, String> producer = producer(node)) {
                admin.createTopics(List.of(new NewTopic("purged", 1, (short) 1)))
                        .all()
                        .get();
                TopicPartition tp = new TopicPartition("purged", 0);
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("purged", "k", "v" + i)).get();
                }
                // One segment, still active: Kafka's "set retention.ms low to empty a topic" must still work.
                admin.incrementalAlterConfigs(Map.of(
                                topic("purged"),
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("retention.ms", "100"), AlterConfigOp.OpType.SET))))
                        .all()
                        .get();
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> admin.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                                        .partitionResult(tp)
                                        .get()
                                        .offset()
                                == 5);
                assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                                .partitionResult(tp)
                                .get()
                                .offset())
                        .isEqualTo(5);
                producer.send(new ProducerRecord<>("purged", "k", "after")).get();
                assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                                .partitionResult(tp)
                                .get()
                                .offset())
                        .isEqualTo(6);
            }
        }
    }

    private static KafkaProducer<String, String> producer(TestNode node) {
        Properties config = new Properties();
        config.put("bootstrap.servers", node.bootstrapServers());
        config.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        config.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }
}
