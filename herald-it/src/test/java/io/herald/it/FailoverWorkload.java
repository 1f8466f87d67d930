package io.herald.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer side of the failover checks: one idempotent {@code acks=all} producer with retries writes records
 * numbered 0, 1, 2, ... (key {@code k<seq>}, value {@code <seq>}, partition {@code seq % partitions}) on its own thread,
 * at most {@link #IN_FLIGHT} unacknowledged at a time, recording each outcome in an {@link AckChecker.History}, while
 * the test kills and restarts nodes. {@link #readBack} then reads the topic with a fresh consumer for
 * {@link AckChecker#check}.
 */
final class FailoverWorkload implements AutoCloseable {
    static final int IN_FLIGHT = 500;
    /**
     * Records per second at most: enough to have writes in flight at every kill, few enough that a long run's history
     * and read-back fit a test JVM's heap (an unpaced producer writes millions over 20 cycles).
     */
    static final int MAX_RATE = 2_000;

    private final String topic;
    private final int partitions;
    private final KafkaProducer<String, String> producer;
    private final AckChecker.History history = new AckChecker.History();
    private final Semaphore window = new Semaphore(IN_FLIGHT);
    private final Thread writer;
    private volatile boolean stopping;

    FailoverWorkload(String bootstrapServers, String topic, int partitions, Map<String, Object> overrides) {
        this.topic = topic;
        this.partitions = partitions;
        Map<String, Object> config = new HashMap<>(producerConfig(bootstrapServers));
        config.putAll(overrides);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        this.writer = Thread.ofPlatform().name("failover-workload").start(this::writeLoop);
    }

    /** Idempotent, acks=all, retrying for as long as a failover may take, following leaders quickly. */
    static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        config.put(ProducerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
        return config;
    }

    private void writeLoop() {
        long seq = 0;
        long startNanos = System.nanoTime();
        try {
            while (!stopping) {
                long aheadNanos = startNanos + seq * 1_000_000_000L / MAX_RATE - System.nanoTime();
                if (aheadNanos > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(aheadNanos); // pacing, not waiting for a condition
                    continue;
                }
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                long s = seq++;
                int partition = (int) (s % partitions);
                history.sent(s, partition);
                String value = Long.toString(s);
                producer.send(new ProducerRecord<>(topic, partition, "k" + value, value), (metadata, error) -> {
                    if (error == null) {
                        history.acked(s, metadata.offset());
                    } else {
                        history.failed(s, error);
                    }
                    window.release();
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.out.println("FailoverWorkload: send failed outright: " + e);
        }
    }

    AckChecker.History history() {
        return history;
    }

    /** Waits until {@code more} records beyond the current count have been acknowledged: the cluster takes writes. */
    void awaitProgress(int more, Duration atMost) {
        int target = history.ackedCount() + more;
        await(more + " more acknowledged records (" + history.ackedCount() + " so far, failures "
                        + history.failureKinds() + ")")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> history.ackedCount() >= target);
    }

    /** Stops writing and waits for every outstanding send's outcome. */
    void finish() throws InterruptedException {
        stopping = true;
        writer.join();
        producer.flush();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        writer.join();
        producer.close(Duration.ofSeconds(30));
    }

    /** Every record of the topic, read from the beginning to the current end by a fresh consumer (no group). */
    static List<AckChecker.Read> readBack(String bootstrapServers, String topic, int partitions) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<AckChecker.Read> reads = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> end = consumer.endOffsets(all, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(180)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    reads.add(new AckChecker.Read(r.partition(), r.offset(), r.key(), r.value()));
                }
                return all.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
        }
        return reads;
    }
}
