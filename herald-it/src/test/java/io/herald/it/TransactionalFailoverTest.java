package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transactional read-process-write loop between two topics (consume, produce, commit the consumed offsets in the same
 * transaction) while its broker, started from {@code bin/} as a real process, is killed -9 mid-run and restarted:
 * every input is reflected exactly once in the committed output ({@link ExactlyOnceChecker}, which
 * {@link ExactlyOnceCheckerTest} shows catches an injected duplicate).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TransactionalFailoverTest {
    private static final String IN = "eos-in";
    private static final String OUT = "eos-out";
    private static final String GROUP = "eos-loop";
    private static final int INPUTS = 3_000;

    @Test
    void everyInputIsReflectedOnceAcrossAKillAndRestartOfTheBroker(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        try (ScriptedCluster cluster = ScriptedCluster.combined(dir, 1)
                .property("offsets.topic.num.partitions", "2")
                .property("transaction.state.log.num.partitions", "2")
                .property("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500")
                .start()) {
            Admin admin = cluster.admin();
            admin.createTopics(List.of(new NewTopic(IN, 2, (short) 1), new NewTopic(OUT, 2, (short) 1)))
                    .all()
                    .get();
            Set<String> inputs = new HashSet<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    producerConfig(cluster.bootstrapServers(), null), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < INPUTS; i++) {
                    producer.send(new ProducerRecord<>(IN, Integer.toString(i), Integer.toString(i)));
                    inputs.add(Integer.toString(i));
                }
                producer.flush();
            }
            Map<TopicPartition, Long> inputEnds = Map.of(
                    new TopicPartition(IN, 0), endOffset(admin, new TopicPartition(IN, 0)),
                    new TopicPartition(IN, 1), endOffset(admin, new TopicPartition(IN, 1)));

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger committedTransactions = new AtomicInteger();
            AtomicInteger restarts = new AtomicInteger();
            int committedAtKill;
            Thread loop = new Thread(() -> runLoop(cluster.bootstrapServers(), stop, committedTransactions, restarts));
            loop.start();
            try {
                // Kill the broker once the loop is well under way, then bring it back on its data directory.
                await().atMost(Duration.ofSeconds(60)).until(() -> committedTransactions.get() >= 5);
                long killedAt = System.nanoTime();
                committedAtKill = committedTransactions.get();
                cluster.node(1).kill();
                cluster.node(1).restart();
                System.out.println("TransactionalFailoverTest: broker back after "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms");
                await().atMost(Duration.ofSeconds(120))
                        .untilAsserted(() -> assertThat(committed(admin)).isEqualTo(inputEnds));
            } finally {
                stop.set(true);
                loop.join(TimeUnit.SECONDS.toMillis(60));
            }
            // The kill fell inside the work: transactions were committed after it (the clients may ride a quick
            // restart out without an exception, or the loop starts over: either way the work went on across it).
            assertThat(committedTransactions.get() - committedAtKill)
                    .as("transactions committed after the kill (loop restarts: %d)", restarts.get())
                    .isPositive();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ExactlyOnceChecker.Report report = ExactlyOnceChecker.check(
                        inputs, TxnLogView.committedValues(cluster.node(1).dataDir(), OUT));
                assertThat(report.clean()).as(report.toString()).isTrue();
            });
            // What a read_committed consumer reads is the same: no aborted write, nothing twice.
            ExactlyOnceChecker.Report read =
                    ExactlyOnceChecker.check(inputs, TransactionsTest.readCommitted(cluster.bootstrapServers(), OUT));
            assertThat(read.clean()).as(read.toString()).isTrue();
        }
    }

    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get()
                .entrySet()) {
            out.put(e.getKey(), e.getValue().offset());
        }
        return out;
    }

    private static long endOffset(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                .partitionResult(tp)
                .get()
                .offset();
    }

    private static Properties producerConfig(String bootstrap, String transactionalId) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
        }
        return config;
    }

    /**
     * Consume a batch, produce one output per input, commit the consumed positions in the same transaction. Any
     * failure (the broker is gone) drops producer and consumer and starts over with the same transactional id, which
     * fences and aborts whatever the previous incarnation left open.
     */
    private static void runLoop(
            String bootstrap, AtomicBoolean stop, AtomicInteger committedTransactions, AtomicInteger restarts) {
        while (!stop.get()) {
            Properties consumerConfig = new Properties();
            consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
            consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
            consumerConfig.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
            // The killed incarnation's member must not hold the next rebalance for the default 45 s.
            consumerConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
            consumerConfig.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
            try (KafkaConsumer<String, String> consumer =
                            new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
                    KafkaProducer<String, String> producer = new KafkaProducer<>(
                            producerConfig(bootstrap, "eos-loop-tx"), new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                consumer.subscribe(List.of(IN));
                while (!stop.get()) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    if (records.isEmpty()) {
                        continue;
                    }
                    producer.beginTransaction();
                    for (ConsumerRecord<String, String> r : records) {
                        producer.send(new ProducerRecord<>(OUT, r.key(), r.value()));
                    }
                    Map<TopicPartition, OffsetAndMetadata> positions = new java.util.HashMap<>();
                    for (TopicPartition tp : records.partitions()) {
                        positions.put(tp, new OffsetAndMetadata(consumer.position(tp)));
                    }
                    producer.sendOffsetsToTransaction(positions, consumer.groupMetadata());
                    producer.commitTransaction();
                    committedTransactions.incrementAndGet();
                }
            } catch (RuntimeException e) {
                if (!stop.get()) {
                    restarts.incrementAndGet();
                    System.out.println(java.time.Instant.now() + " read-process-write loop restarts after: " + e);
                }
            }
        }
    }
}
