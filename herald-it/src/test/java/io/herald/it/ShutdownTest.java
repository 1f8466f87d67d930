package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A broker shutting down under produce load disconnects its clients; none is answered KAFKA_STORAGE_ERROR. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShutdownTest {
    @Test
    void producersSeeADisconnectNotAStorageErrorWhenTheBrokerStops(@TempDir Path dir) throws Exception {
        TestNode node = TestNode.combined(dir).start();
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("busy", 4, (short) 1)))
                    .all()
                    .get();
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.RETRIES_CONFIG, "0");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> senders = new java.util.ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread sender = new Thread(() -> {
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                    int i = 0;
                    while (running.get()) {
                        try {
                            producer.send(new ProducerRecord<>("busy", Integer.toString(i++)), (m, e) -> {
                                if (e == null) {
                                    acknowledged.incrementAndGet();
                                } else {
                                    errors.add(e);
                                }
                            });
                        } catch (RuntimeException e) {
                            errors.add(e);
                        }
                    }
                }
            });
            sender.start();
            senders.add(sender);
        }
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.get() > 5_000);
            node.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty());
        } finally {
            running.set(false);
            for (Thread sender : senders) {
                sender.join(TimeUnit.SECONDS.toMillis(30));
            }
            node.stop();
        }
        assertThat(errors).noneMatch(e -> e instanceof KafkaStorageException);
    }
}
