package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions with real kafka-clients over TCP against one Herald node (transaction version 2, the default): committed
 * records visible to read_committed and aborted ones never, a zombie fenced, offsets committed in a transaction
 * visible only on commit, a transaction past its timeout aborted by the coordinator, and the admin view of it all.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionsTest {
    @TempDir
    static Path dir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dir);
        node.properties().put("transaction.max.timeout.ms", "60000");
        node.properties().put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "200");
        node.properties().put("transaction.state.log.num.partitions", "5");
        node.properties().put("offsets.topic.num.partitions", "5");
        node.start();
        admin = Admin.create(node.adminConfig());
        admin.createTopics(List.of(
                        new NewTopic("txn-data", 2, (short) 1),
                        new NewTopic("txn-fence", 1, (short) 1),
                        new NewTopic("txn-offsets", 1, (short) 1),
                        new NewTopic("txn-timeout", 1, (short) 1),
                        new NewTopic("txn-tools", 1, (short) 1),
                        new NewTopic("txn-hanging", 1, (short) 1)))
                .all()
                .get();
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

    static KafkaProducer<String, String> producer(String transactionalId, Map<String, String> overrides) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.putAll(overrides);
        return new KafkaProducer<>(config);
    }

    /** Every record a read_committed consumer reads from the beginning up to the last stable offset. */
    static List<String> readCommitted(String bootstrap, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    values.add(r.value());
                }
            }
            return values;
        }
    }

    /**
     * The markers in the topic's log leave exactly these values committed (once every marker is written), and a
     * read_committed consumer reads exactly them.
     */
    private static void assertCommitted(String topic, String... values) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        TxnLogView.committedValues(dir, topic))
                .containsExactlyInAnyOrder(values));
        assertThat(readCommitted(node.bootstrapServers(), topic)).containsExactlyInAnyOrder(values);
    }

    private static TransactionDescription describe(String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId))
                .description(transactionalId)
                .get();
    }

    @Test
    void committedRecordsAreReadAndAbortedOnesNever() throws Exception {
        try (KafkaProducer<String, String> producer = producer("tx-data", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-data", 0, "k", "c1"));
            producer.send(new ProducerRecord<>("txn-data", 1, "k", "c2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-data", 0, "k", "a1"));
            producer.send(new ProducerRecord<>("txn-data", 1, "k", "a2"));
            producer.flush();
            TransactionDescription open = describe("tx-data");
            assertThat(open.state()).isEqualTo(TransactionState.ONGOING);
            assertThat(open.topicPartitions())
                    .containsExactlyInAnyOrder(new TopicPartition("txn-data", 0), new TopicPartition("txn-data", 1));
            assertThat(admin.listTransactions(
                                    new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                            .all()
                            .get())
                    .extracting(TransactionListing::transactionalId)
                    .contains("tx-data");
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-data", 0, "k", "c3"));
            producer.commitTransaction();
        }
        assertCommitted("txn-data", "c1", "c2", "c3");
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> describe("tx-data").state() == TransactionState.COMPLETE_COMMIT);
        assertThat(describe("tx-data").topicPartitions()).isEmpty();
    }

    @Test
    void aZombieIsFencedByTheNewInstanceAndItsOpenTransactionAborted() throws Exception {
        KafkaProducer<String, String> zombie = producer("tx-fence", Map.of());
        try {
            zombie.initTransactions();
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>("txn-fence", "k", "zombie")).get();
            try (KafkaProducer<String, String> successor = producer("tx-fence", Map.of())) {
                successor.initTransactions(); // aborts the zombie's transaction first
                successor.beginTransaction();
                successor.send(new ProducerRecord<>("txn-fence", "k", "successor"));
                successor.commitTransaction();
                assertThatThrownBy(() -> {
                            zombie.send(new ProducerRecord<>("txn-fence", "k", "late"))
                                    .get();
                            zombie.commitTransaction();
                        })
                        .isInstanceOfAny(KafkaException.class, ExecutionException.class);
            }
        } finally {
            zombie.close(Duration.ZERO);
        }
        assertCommitted("txn-fence", "successor");
    }

    @Test
    void offsetsCommittedInATransactionCountOnlyOnCommit() throws Exception {
        TopicPartition input = new TopicPartition("txn-offsets", 0);
        String group = "txn-group";
        try (KafkaProducer<String, String> producer = producer("tx-offsets", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-offsets", "k", "v"));
            producer.sendOffsetsToTransaction(
                    Map.of(input, new OffsetAndMetadata(5)), new ConsumerGroupMetadata(group));
            producer.abortTransaction();
            assertThat(admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get())
                    .doesNotContainKey(input);

            producer.beginTransaction();
            producer.sendOffsetsToTransaction(
                    Map.of(input, new OffsetAndMetadata(7)), new ConsumerGroupMetadata(group));
            producer.commitTransaction();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        admin.listConsumerGroupOffsets(group)
                                .partitionsToOffsetAndMetadata()
                                .get())
                .containsEntry(input, new OffsetAndMetadata(7)));
    }

    @Test
    void aTransactionPastItsTimeoutIsAbortedByTheCoordinator() throws Exception {
        try (KafkaProducer<String, String> producer =
                producer("tx-timeout", Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "1000"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-timeout", "k", "too-late")).get();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> describe("tx-timeout").state() == TransactionState.COMPLETE_ABORT);
            assertThatThrownBy(producer::commitTransaction).isInstanceOf(KafkaException.class);
        }
        assertCommitted("txn-timeout");
    }

    @Test
    void aTimeoutAboveTheBrokersMaximumIsRefused() {
        try (KafkaProducer<String, String> producer =
                producer("tx-too-long", Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "120000"))) {
            // Kafka's producer reports INVALID_TRANSACTION_TIMEOUT from InitProducerId as an unexpected error.
            assertThatThrownBy(producer::initTransactions)
                    .isInstanceOf(KafkaException.class)
                    .hasMessageContaining(Errors.INVALID_TRANSACTION_TIMEOUT.message());
        }
    }

    @Test
    void initProducerIdFollowsKafkasRulesForIdsAndEpochs() throws Exception {
        try (RawClient raw = new RawClient(node.bootstrapServers())) {
            // A producer id without an epoch (or the reverse) is malformed.
            InitProducerIdResponseData half = raw.call(
                    ApiKeys.INIT_PRODUCER_ID,
                    4,
                    new InitProducerIdRequestData()
                            .setTransactionalId(null)
                            .setTransactionTimeoutMs(30_000)
                            .setProducerId(7)
                            .setProducerEpoch((short) -1));
            assertThat(Errors.forCode(half.errorCode())).isEqualTo(Errors.INVALID_REQUEST);
            // An idempotent producer presenting its id and epoch (KIP-360) gets a new producer id at epoch 0.
            InitProducerIdResponseData first = raw.call(
                    ApiKeys.INIT_PRODUCER_ID,
                    4,
                    new InitProducerIdRequestData()
                            .setTransactionalId(null)
                            .setTransactionTimeoutMs(30_000)
                            .setProducerId(-1)
                            .setProducerEpoch((short) -1));
            InitProducerIdResponseData again = raw.call(
                    ApiKeys.INIT_PRODUCER_ID,
                    4,
                    new InitProducerIdRequestData()
                            .setTransactionalId(null)
                            .setTransactionTimeoutMs(30_000)
                            .setProducerId(first.producerId())
                            .setProducerEpoch(first.producerEpoch()));
            assertThat(Errors.forCode(again.errorCode())).isEqualTo(Errors.NONE);
            assertThat(again.producerId()).isNotEqualTo(first.producerId());
            assertThat(again.producerEpoch()).isZero();
            // A transactional id: its current id and epoch bump the epoch; a foreign producer id is fenced.
            InitProducerIdResponseData tx = raw.call(
                    ApiKeys.INIT_PRODUCER_ID,
                    4,
                    new InitProducerIdRequestData()
                            .setTransactionalId("kip-360-tx")
                            .setTransactionTimeoutMs(30_000)
                            .setProducerId(-1)
                            .setProducerEpoch((short) -1));
            InitProducerIdResponseData bumped = raw.call(
                    ApiKeys.INIT_PRODUCER_ID,
                    4,
                    new InitProducerIdRequestData()
                            .setTransactionalId("kip-360-tx")
                            .setTransactionTimeoutMs(30_000)
                            .setProducerId(tx.producerId())
                            .setProducerEpoch(tx.producerEpoch()));
            assertThat(bumped.producerId()).isEqualTo(tx.producerId());
            assertThat(bumped.producerEpoch()).isEqualTo((short) (tx.producerEpoch() + 1));
            InitProducerIdResponseData foreign = raw.call(
                    ApiKeys.INIT_PRODUCER_ID,
                    4,
                    new InitProducerIdRequestData()
                            .setTransactionalId("kip-360-tx")
                            .setTransactionTimeoutMs(30_000)
                            .setProducerId(first.producerId())
                            .setProducerEpoch((short) 0));
            assertThat(Errors.forCode(foreign.errorCode())).isEqualTo(Errors.PRODUCER_FENCED);
        }
    }

    static String tool(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = node.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        int code = io.herald.tools.TransactionsCommand.run(
                all, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void kafkaTransactionsToolListsDescribesAndFindsHangingTransactions() throws Exception {
        try (KafkaProducer<String, String> producer = producer("tx-tools", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("txn-tools", "k", "v")).get();
            String described = tool("describe", "--transactional-id", "tx-tools");
            assertThat(described.lines().toList().get(0).split("\\s+"))
                    .containsExactly(
                            "CoordinatorId",
                            "TransactionalId",
                            "ProducerId",
                            "ProducerEpoch",
                            "TransactionState",
                            "TransactionTimeoutMs",
                            "CurrentTransactionStartTimeMs",
                            "TransactionDurationMs",
                            "TopicPartitions");
            assertThat(described.lines().toList().get(1).split("\\s+"))
                    .startsWith("1", "tx-tools")
                    .contains("Ongoing", "60000", "txn-tools-0");
            assertThat(tool("list").lines()).anyMatch(line -> line.matches("tx-tools\\s+1\\s+\\d+\\s+Ongoing\\s*"));
            producer.commitTransaction();
        }
        // A transactional batch no coordinator knows of (written as a producer of transaction version 1 would,
        // without AddPartitionsToTxn) hangs: find-hanging names it, abort ends it.
        try (TxnRequests raw = new TxnRequests(node.bootstrapServers())) {
            assertThat(raw.produce("txn-hanging", 0, 777_777L, (short) 0, 0, "stuck"))
                    .isEqualTo(Errors.NONE);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> lines = tool("find-hanging", "--broker-id", "1", "--max-transaction-timeout", "0")
                    .lines()
                    .toList();
            assertThat(lines.get(0).split("\\s+"))
                    .containsExactly(
                            "Topic",
                            "Partition",
                            "ProducerId",
                            "ProducerEpoch",
                            "CoordinatorEpoch",
                            "StartOffset",
                            "LastTimestamp",
                            "Duration(min)");
            assertThat(lines).hasSize(2);
            assertThat(lines.get(1).split("\\s+")).startsWith("txn-hanging", "0", "777777", "0");
        });
        tool("abort", "--topic", "txn-hanging", "--partition", "0", "--start-offset", "0");
        assertThat(tool("find-hanging", "--topic", "txn-hanging", "--max-transaction-timeout", "0")
                        .lines())
                .hasSize(1);
        assertCommitted("txn-hanging");
    }

    @Test
    void unknownIdsAreNotFound() {
        assertThatThrownBy(() -> describe("never-used"))
                .hasCauseInstanceOf(org.apache.kafka.common.errors.TransactionalIdNotFoundException.class);
    }
}
