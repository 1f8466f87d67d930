package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Producer-visible answers that must be Apache Kafka 4.1's, each read off a real Kafka 4.1.1 node. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProducerCompatibilityTest {
    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir).start();
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(
                            new NewTopic("min-isr-above-rf", 1, (short) 1).configs(Map.of("min.insync.replicas", "3")),
                            new NewTopic("timestamp-window", 1, (short) 1)
                                    .configs(Map.of(
                                            "message.timestamp.before.max.ms", "60000",
                                            "message.timestamp.after.max.ms", "60000"))))
                    .all()
                    .get();
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static KafkaProducer<byte[], byte[]> producer(String acks) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                node.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.ACKS_CONFIG,
                acks,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                20_000));
    }

    @Test
    void acksAllSucceedsWhenMinInsyncReplicasExceedsTheReplicationFactor() throws Exception {
        // Kafka 4.x caps min.insync.replicas at the partition's replica count instead of refusing every write.
        try (KafkaProducer<byte[], byte[]> producer = producer("all")) {
            long offset = producer.send(new ProducerRecord<>("min-isr-above-rf", 0, null, new byte[] {1}))
                    .get()
                    .offset();
            assertThat(offset).isZero();
        }
    }

    @Test
    void timestampsOutsideTheTopicsWindowAreRefusedWithKafkasMessage() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer("1")) {
            assertThatThrownBy(
                            () -> producer.send(new ProducerRecord<>("timestamp-window", 0, 5L, null, new byte[] {1}))
                                    .get())
                    .hasCauseInstanceOf(InvalidTimestampException.class)
                    .cause()
                    .hasMessageStartingWith("Timestamp 5 of message with offset 0 is out of range. The timestamp"
                            + " should be within [");
            long now = System.currentTimeMillis();
            assertThat(producer.send(new ProducerRecord<>("timestamp-window", 0, now, null, new byte[] {1}))
                            .get()
                            .offset())
                    .isZero();
        }
    }
}
