package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
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
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Events written by the official Java producer are read back by the official Java consumer, complete and in order. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProduceConsumeTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir).start();
        admin = Admin.create(node.adminConfig());
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    static Properties producerConfig(Map<String, Object> overrides) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.putAll(overrides);
        return config;
    }

    static Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return config;
    }

    /** Reads every record of the topic's partitions from the beginning until {@code expected} have arrived. */
    static <K, V> List<ConsumerRecord<K, V>> readAll(
            KafkaConsumer<K, V> consumer, String topic, int partitions, int expected) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (records.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    @Test
    void keyedRecordsArriveCompleteInPartitionOrder() throws Exception {
        String topic = "keyed";
        admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        int count = 100_000;
        Map<String, Integer> partitionOfKey = new HashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(
                Map.of(ProducerConfig.LINGER_MS_CONFIG, "5", ProducerConfig.BATCH_SIZE_CONFIG, "65536")))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 1000), Integer.toString(i))));
            }
            producer.flush();
            for (int i = 0; i < count; i++) {
                RecordMetadata metadata = sent.get(i).get();
                Integer previous = partitionOfKey.put("key-" + (i % 1000), metadata.partition());
                assertThat(previous == null || previous == metadata.partition()).isTrue();
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            List<ConsumerRecord<String, String>> records = readAll(consumer, topic, 6, count);
            assertThat(records).hasSize(count);
            Map<Integer, Long> lastOffset = new HashMap<>();
            Map<String, Integer> lastValueOfKey = new HashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                assertThat(record.partition()).isEqualTo(partitionOfKey.get(record.key()));
                Long previous = lastOffset.put(record.partition(), record.offset());
                assertThat(record.offset()).isEqualTo(previous == null ? 0 : previous + 1);
                int value = Integer.parseInt(record.value());
                Integer before = lastValueOfKey.put(record.key(), value);
                assertThat(before == null || before < value).as("per-key order").isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCodecRoundTrips(String codec) throws Exception {
        String topic = "codec-" + codec;
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec)))) {
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "value-" + i + "-" + "x".repeat(i % 50)));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            List<ConsumerRecord<String, String>> records = readAll(consumer, topic, 1, 500);
            assertThat(records).hasSize(500);
            for (int i = 0; i < 500; i++) {
                assertThat(records.get(i).value()).isEqualTo("value-" + i + "-" + "x".repeat(i % 50));
                assertThat(records.get(i).offset()).isEqualTo(i);
            }
        }
    }

    @Test
    void headersTimestampsNullKeysLargeAndEmptyValuesRoundTrip() throws Exception {
        String topic = "shapes";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        byte[] large = new byte[900_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) i;
        }
        Properties config = producerConfig(Map.of());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            ProducerRecord<byte[], byte[]> withHeaders = new ProducerRecord<>(
                    topic,
                    0,
                    1_700_000_000_000L,
                    "k".getBytes(StandardCharsets.UTF_8),
                    "v".getBytes(StandardCharsets.UTF_8));
            withHeaders.headers().add(new RecordHeader("trace", "abc".getBytes(StandardCharsets.UTF_8)));
            withHeaders.headers().add(new RecordHeader("empty", null));
            producer.send(withHeaders).get();
            producer.send(new ProducerRecord<>(topic, 0, null, new byte[0])).get();
            producer.send(new ProducerRecord<>(topic, 0, null, null)).get();
            producer.send(new ProducerRecord<>(topic, 0, "big".getBytes(StandardCharsets.UTF_8), large))
                    .get();
        }
        Properties consumerConfig = consumerConfig();
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<ConsumerRecord<byte[], byte[]>> records = readAll(consumer, topic, 1, 4);
            assertThat(records).hasSize(4);
            ConsumerRecord<byte[], byte[]> first = records.get(0);
            assertThat(first.timestamp()).isEqualTo(1_700_000_000_000L);
            assertThat(first.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
            assertThat(new String(first.headers().lastHeader("trace").value(), StandardCharsets.UTF_8))
                    .isEqualTo("abc");
            assertThat(first.headers().lastHeader("empty").value()).isNull();
            assertThat(records.get(1).key()).isNull();
            assertThat(records.get(1).value()).isEmpty();
            assertThat(records.get(2).value()).isNull();
            assertThat(records.get(3).value()).isEqualTo(large);
        }
    }

    @Test
    void logAppendTimeTopicsStampTheBrokersTime() throws Exception {
        String topic = "append-time";
        admin.createTopics(List.of(
                        new NewTopic(topic, 1, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime"))))
                .all()
                .get();
        long before = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of()))) {
            RecordMetadata metadata =
                    producer.send(new ProducerRecord<>(topic, 0, 1L, "k", "v")).get();
            assertThat(metadata.timestamp()).isGreaterThanOrEqualTo(before);
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            ConsumerRecord<String, String> record =
                    readAll(consumer, topic, 1, 1).get(0);
            assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(record.timestamp()).isGreaterThanOrEqualTo(before);
        }
    }

    @Test
    void recordOverMaxMessageBytesFailsAndTheNextSendSucceeds() throws Exception {
        String topic = "small-limit";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", "2000"))))
                .all()
                .get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of()))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "x".repeat(5000)))
                            .get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(RecordTooLargeException.class);
            RecordMetadata ok =
                    producer.send(new ProducerRecord<>(topic, "k", "small")).get();
            assertThat(ok.offset()).isZero();
        }
    }

    @Test
    void offsetsForTimesAndEndOffsetsAreAnswered() throws Exception {
        String topic = "times";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of()))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, 1000L * (i + 1), "k", "v" + i))
                        .get();
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            assertThat(consumer.endOffsets(List.of(tp)).get(tp)).isEqualTo(10);
            assertThat(consumer.beginningOffsets(List.of(tp)).get(tp)).isZero();
            assertThat(consumer.offsetsForTimes(Map.of(tp, 4500L)).get(tp).offset())
                    .isEqualTo(4);
            assertThat(consumer.offsetsForTimes(Map.of(tp, 99_000L)).get(tp)).isNull();
        }
    }

    @Test
    void producingToAnUnknownTopicAutoCreatesIt() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of()))) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("auto-created", "k", "v"))
                    .get();
            assertThat(metadata.offset()).isZero();
        }
        assertThat(admin.listTopics().names().get()).contains("auto-created");
    }
}
