package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log side of transactions against a real broker over TCP: WriteTxnMarkers driven by hand as a transaction
 * coordinator would (the marker ends the transaction in the partition, read_committed readers are held at its first
 * offset until then and never see aborted records, errors per partition as Kafka answers them), and a real
 * transactional producer through the coordinator.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionMarkersTest {
    @TempDir
    static Path dir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dir);
        node.properties().put("transaction.state.log.num.partitions", "1");
        node.start();
        admin = Admin.create(node.adminConfig());
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (node != null) {
            node.close();
        }
    }

    /**
     * Creates the topic and waits until its leader serves it: CreateTopics completes once the metadata has the
     * topic, which may be a moment before the leader has made the partition (hand-built requests do not retry).
     */
    private static void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                .all()
                .get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(name, p), OffsetSpec.latest());
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> admin.listOffsets(latest).all().get().size() == partitions);
    }

    private static ProducerState describeProducer(TopicPartition tp) throws Exception {
        List<ProducerState> producers = admin.describeProducers(List.of(tp))
                .partitionResult(tp)
                .get(30, TimeUnit.SECONDS)
                .activeProducers();
        assertThat(producers).hasSize(1);
        return producers.getFirst();
    }

    @Test
    void readCommittedConsumersWaitForTheCommitMarker() throws Exception {
        createTopic("txn-commit", 1);
        TopicPartition tp = new TopicPartition("txn-commit", 0);
        try (TxnRequests txn = new TxnRequests(node.bootstrapServers());
                KafkaConsumer<String, String> committed = TxnRequests.consumer(node.bootstrapServers(), true);
                KafkaConsumer<String, String> uncommitted = TxnRequests.consumer(node.bootstrapServers(), false)) {
            assertThat(txn.produce("txn-commit", 0, 1000L, (short) 0, 0, "a", "b"))
                    .isEqualTo(Errors.NONE);
            assertThat(txn.produce("txn-commit", 0, 1000L, (short) 0, 2, "c")).isEqualTo(Errors.NONE);
            assertThat(TxnRequests.readUntil(uncommitted, tp, v -> v.size() >= 3))
                    .containsExactly("a", "b", "c");
            // The transaction is open: the last stable offset stays at its first offset.
            assertThat(TxnRequests.endOffset(committed, tp)).isZero();
            assertThat(TxnRequests.endOffset(uncommitted, tp)).isEqualTo(3);

            assertThat(txn.marker("txn-commit", 1000L, (short) 0, 0, true, 0)).containsExactly(Errors.NONE);
            assertThat(TxnRequests.endOffset(committed, tp)).isEqualTo(4); // past the marker
            assertThat(TxnRequests.readUntil(committed, tp, v -> v.size() >= 3)).containsExactly("a", "b", "c");
        }
    }

    @Test
    void abortedRecordsReachOnlyReadUncommittedConsumers() throws Exception {
        createTopic("txn-abort", 1);
        TopicPartition tp = new TopicPartition("txn-abort", 0);
        try (TxnRequests txn = new TxnRequests(node.bootstrapServers());
                KafkaConsumer<String, String> committed = TxnRequests.consumer(node.bootstrapServers(), true);
                KafkaConsumer<String, String> uncommitted = TxnRequests.consumer(node.bootstrapServers(), false)) {
            // Two producers interleave; 3000 aborts, 3001 commits, then 3000 commits a second transaction.
            assertThat(txn.produce("txn-abort", 0, 3000L, (short) 0, 0, "aborted-1"))
                    .isEqualTo(Errors.NONE);
            assertThat(txn.produce("txn-abort", 0, 3001L, (short) 0, 0, "committed-1"))
                    .isEqualTo(Errors.NONE);
            assertThat(txn.produce("txn-abort", 0, 3000L, (short) 0, 1, "aborted-2"))
                    .isEqualTo(Errors.NONE);
            assertThat(txn.marker("txn-abort", 3000L, (short) 0, 0, false, 0)).containsExactly(Errors.NONE);
            assertThat(txn.produce("txn-abort", 0, 3001L, (short) 0, 1, "committed-2"))
                    .isEqualTo(Errors.NONE);
            assertThat(txn.marker("txn-abort", 3001L, (short) 0, 0, true, 0)).containsExactly(Errors.NONE);
            assertThat(txn.produce("txn-abort", 0, 3000L, (short) 0, 2, "committed-3"))
                    .isEqualTo(Errors.NONE);
            assertThat(txn.marker("txn-abort", 3000L, (short) 0, 0, true, 0)).containsExactly(Errors.NONE);

            assertThat(TxnRequests.readUntil(committed, tp, v -> v.contains("committed-3")))
                    .containsExactly("committed-1", "committed-2", "committed-3");
            assertThat(TxnRequests.readUntil(uncommitted, tp, v -> v.size() >= 5))
                    .containsExactly("aborted-1", "committed-1", "aborted-2", "committed-2", "committed-3");
        }
    }

    @Test
    void aWaitingReadCommittedFetchWakesWhenTheTransactionCommits() throws Exception {
        createTopic("txn-wake", 1);
        TopicPartition tp = new TopicPartition("txn-wake", 0);
        KafkaConsumer<String, String> committed = TxnRequests.consumer(
                node.bootstrapServers(), true, Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20000"));
        try (TxnRequests txn = new TxnRequests(node.bootstrapServers())) {
            assertThat(txn.produce("txn-wake", 0, 4000L, (short) 0, 0, "late")).isEqualTo(Errors.NONE);
            committed.assign(List.of(tp));
            committed.seekToBeginning(List.of(tp));
            assertThat(committed.poll(Duration.ofMillis(300))).isEmpty(); // held at the open transaction
            CompletableFuture<List<String>> read = CompletableFuture.supplyAsync(() -> {
                List<String> values = new ArrayList<>();
                // One long poll: the broker holds the fetch (fetch.max.wait.ms is 20 s here) until the LSO moves.
                committed.poll(Duration.ofSeconds(25)).forEach(r -> values.add(r.value()));
                return values;
            });
            assertThat(txn.marker("txn-wake", 4000L, (short) 0, 0, true, 0)).containsExactly(Errors.NONE);
            long start = System.nanoTime();
            assertThat(read.get(30, TimeUnit.SECONDS)).containsExactly("late");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        } finally {
            committed.close(CloseOptions.timeout(
                    Duration.ZERO)); // its next fetch is parked at the broker for 20 s: do not wait for it
        }
    }

    @Test
    void realTransactionalProducersCommitAndAbortThroughTheLogSide() throws Exception {
        createTopic("txn-real", 1);
        TopicPartition tp = new TopicPartition("txn-real", 0);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "txn-log-real");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config);
                KafkaConsumer<String, String> committed = TxnRequests.consumer(node.bootstrapServers(), true);
                KafkaConsumer<String, String> uncommitted = TxnRequests.consumer(node.bootstrapServers(), false)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-real", 0, "k", "c1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-real", 0, "k", "a1"));
            producer.send(new ProducerRecord<>("txn-real", 0, "k", "a2"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            long open = producer.send(new ProducerRecord<>("txn-real", 0, "k", "c2"))
                    .get(30, TimeUnit.SECONDS)
                    .offset();
            // The open transaction holds read_committed readers at its first offset.
            assertThat(TxnRequests.endOffset(committed, tp)).isEqualTo(open);
            producer.commitTransaction();

            assertThat(TxnRequests.readUntil(committed, tp, v -> v.contains("c2")))
                    .containsExactly("c1", "c2");
            assertThat(TxnRequests.readUntil(uncommitted, tp, v -> v.contains("c2")))
                    .containsExactly("c1", "a1", "a2", "c2");
        }
    }

    @Test
    void markerErrorsArePerPartitionAsKafkaAnswers() throws Exception {
        createTopic("txn-errors", 1);
        try (TxnRequests txn = new TxnRequests(node.bootstrapServers())) {
            assertThat(txn.produce("txn-errors", 0, 2000L, (short) 3, 0, "x")).isEqualTo(Errors.NONE);
            TopicPartition tp = new TopicPartition("txn-errors", 0);
            assertThat(describeProducer(tp).currentTransactionStartOffset()).hasValue(0L);
            assertThat(txn.marker("txn-errors", 2000L, (short) 3, 5, false, 0, 7))
                    .containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
            // DescribeProducers reports the marker's coordinator epoch and no open transaction any more.
            ProducerState producer = describeProducer(tp);
            assertThat(producer.producerId()).isEqualTo(2000L);
            assertThat(producer.producerEpoch()).isEqualTo(3);
            assertThat(producer.coordinatorEpoch()).hasValue(5);
            assertThat(producer.currentTransactionStartOffset()).isEmpty();
            assertThat(producer.lastTimestamp()).isPositive();
            assertThat(txn.marker("no-such-topic", 2000L, (short) 3, 5, true, 0))
                    .containsExactly(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            // A marker of an older producer epoch, or from an older coordinator epoch, is refused.
            assertThat(txn.marker("txn-errors", 2000L, (short) 2, 5, true, 0))
                    .containsExactly(Errors.INVALID_PRODUCER_EPOCH);
            assertThat(txn.marker("txn-errors", 2000L, (short) 3, 4, true, 0))
                    .containsExactly(Errors.TRANSACTION_COORDINATOR_FENCED);
            // The same marker again (a coordinator retrying) is written again, as Kafka does.
            assertThat(txn.marker("txn-errors", 2000L, (short) 3, 5, false, 0)).containsExactly(Errors.NONE);
        }
    }
}
