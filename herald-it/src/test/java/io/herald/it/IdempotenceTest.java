package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Java client's default idempotent producer writes a batch once even when the broker's answer is lost. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdempotenceTest {

    @Test
    void retriedBatchWhoseResponseWasLostIsWrittenOnce(@TempDir Path dir) throws Exception {
        int brokerPort = TestPorts.free();
        int proxyPort = TestPorts.free();
        int controllerPort = TestPorts.free();
        Map<String, String> props = TestNode.base(1, "broker,controller", dir, controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        // Clients are told to connect through the proxy.
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxyPort);
        try (TestNode node = TestNode.of(props).start();
                DroppingProxy proxy = new DroppingProxy(proxyPort, brokerPort, 1)) {
            Properties adminConfig = node.adminConfig();
            try (Admin admin = Admin.create(adminConfig)) {
                admin.createTopics(List.of(new NewTopic("once", 1, (short) 1)))
                        .all()
                        .get();
            }
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + proxyPort);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                RecordMetadata first = producer.send(new ProducerRecord<>("once", "k", "first"))
                        .get();
                RecordMetadata second = producer.send(new ProducerRecord<>("once", "k", "second"))
                        .get();
                assertThat(first.offset()).isZero();
                assertThat(second.offset()).isEqualTo(1);
            }
            assertThat(proxy.dropped()).isEqualTo(1);

            Properties consumerConfig = new Properties();
            consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + proxyPort);
            consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
                List<ConsumerRecord<String, String>> records = ProduceConsumeTest.readAll(consumer, "once", 1, 2);
                assertThat(records).extracting(ConsumerRecord::value).containsExactly("first", "second");
            }
        }
    }
}
