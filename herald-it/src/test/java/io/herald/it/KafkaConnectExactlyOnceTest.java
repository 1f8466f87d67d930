package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.TransactionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Connect's exactly-once source support (KIP-618) in distributed mode on Herald: the worker writes its config
 * topic through the leader's transactional producer, each source task writes its records and its source offsets in
 * one transaction (boundaries per poll, per interval, or defined by the connector, which also aborts some), a
 * reconfiguration fences the previous tasks' producers (Admin fenceProducers) before the new ones start, and a sink
 * consuming read_committed is handed every committed record once and no aborted one.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaConnectExactlyOnceTest {
    static final String DATA = "eos-connect-data";
    static final String GROUP = "herald-eos-connect";
    static final String CONFIGS = "eos-connect-configs";
    static final String OFFSETS = "eos-connect-offsets";
    static final String STATUSES = "eos-connect-status";

    /** What the sink was handed: KafkaConnectTest's collecting sink, emptied for this class. */
    static final Map<String, Integer> SUNK = KafkaConnectTest.SUNK;

    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;
    static Connect<DistributedHerder> worker;

    @BeforeAll
    static void start() throws Exception {
        SUNK.clear();
        node = GroupTest.groupNode(dataDir);
        node.start();
        admin = Admin.create(node.adminConfig());
        admin.createTopics(List.of(new NewTopic(DATA, 3, (short) 1))).all().get();
        worker = startWorker();
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.stop();
        }
        admin.close();
        node.close();
    }

    static Connect<DistributedHerder> startWorker() {
        Map<String, String> config = new HashMap<>();
        config.put("bootstrap.servers", node.bootstrapServers());
        config.put("group.id", GROUP);
        config.put("listeners", "http://127.0.0.1:" + TestPorts.free());
        config.put("config.storage.topic", CONFIGS);
        config.put("offset.storage.topic", OFFSETS);
        config.put("status.storage.topic", STATUSES);
        config.put("config.storage.replication.factor", "-1");
        config.put("offset.storage.replication.factor", "-1");
        config.put("status.storage.replication.factor", "-1");
        config.put("offset.storage.partitions", "3");
        config.put("status.storage.partitions", "1");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("offset.flush.interval.ms", "200");
        config.put("exactly.once.source.support", "enabled");
        // Sink tasks read only committed records, so an aborted transaction of a source never reaches them.
        config.put("consumer.isolation.level", "read_committed");
        config.put("scheduled.rebalance.max.delay.ms", "0");
        config.put("session.timeout.ms", "6000");
        config.put("heartbeat.interval.ms", "500");
        config.put("plugin.discovery", "only_scan");
        return new ConnectDistributed().startConnect(config);
    }

    static Map<String, String> sourceConfig(String prefix, int perTask, String boundary) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", TxnSource.class.getName());
        config.put("tasks.max", "2");
        config.put("exactly.once.support", "required");
        config.put("transaction.boundary", boundary);
        config.put("transaction.boundary.interval.ms", "150");
        config.put(TxnSource.TOPIC, DATA);
        config.put(TxnSource.PREFIX, prefix);
        config.put(TxnSource.COUNT, Integer.toString(perTask));
        return config;
    }

    /** What a read_committed reader must see of a source: with connector-defined boundaries every third batch aborts. */
    static Set<String> committedValues(String prefix, int perTask, boolean aborts) {
        Set<String> values = new HashSet<>();
        for (int task = 0; task < 2; task++) {
            for (int i = 0; i < perTask; i++) {
                if (!aborts || !TxnTask.aborted(i)) {
                    values.add(prefix + "-" + task + "-" + i);
                }
            }
        }
        return values;
    }

    static void awaitRunning(String name) {
        await().atMost(Duration.ofSeconds(60))
                .ignoreException(NotFoundException.class)
                .untilAsserted(() -> {
                    ConnectorStateInfo status = worker.herder().connectorStatus(name);
                    assertThat(status.connector().state()).isEqualTo("RUNNING");
                    assertThat(status.tasks()).hasSize(2).allSatisfy(task -> assertThat(task.state())
                            .isEqualTo("RUNNING"));
                });
    }

    @Test
    void sourcesWriteRecordsAndOffsetsInTransactionsAndTheSinkSeesEachCommittedRecordOnce() throws Exception {
        KafkaConnectTest.putConnector(worker.herder(), "poll-source", sourceConfig("p", 60, "poll"));
        KafkaConnectTest.putConnector(worker.herder(), "interval-source", sourceConfig("i", 60, "interval"));
        KafkaConnectTest.putConnector(worker.herder(), "defined-source", sourceConfig("c", 60, "connector"));
        KafkaConnectTest.putConnector(
                worker.herder(),
                "committed-sink",
                Map.of(
                        "connector.class",
                        KafkaConnectTest.CollectingSink.class.getName(),
                        "tasks.max",
                        "1",
                        "topics",
                        DATA));
        for (String name : List.of("poll-source", "interval-source", "defined-source")) {
            awaitRunning(name);
        }
        Set<String> expected = new HashSet<>();
        expected.addAll(committedValues("p", 60, false));
        expected.addAll(committedValues("i", 60, false));
        expected.addAll(committedValues("c", 60, true));
        await().atMost(Duration.ofSeconds(60)).until(() -> SUNK.keySet().containsAll(expected));

        // A new configuration fences the tasks' producers of the previous generation; the new tasks resume from
        // the offsets committed with their records.
        KafkaConnectTest.putConnector(worker.herder(), "poll-source", sourceConfig("p", 100, "poll"));
        KafkaConnectTest.putConnector(worker.herder(), "defined-source", sourceConfig("c", 100, "connector"));
        expected.addAll(committedValues("p", 100, false));
        expected.addAll(committedValues("c", 100, true));
        await().atMost(Duration.ofSeconds(60)).until(() -> SUNK.keySet().containsAll(expected));

        Map<String, Integer> committed = readCommitted(DATA, expected.size());
        assertThat(committed.keySet()).isEqualTo(expected);
        assertThat(committed)
                .allSatisfy((value, times) ->
                        assertThat(times).as("times %s was written", value).isEqualTo(1));
        assertThat(SUNK.keySet()).isEqualTo(expected);
        assertThat(SUNK)
                .allSatisfy((value, times) ->
                        assertThat(times).as("times the sink got %s", value).isEqualTo(1));
        assertTransactionalWrites();
    }

    /**
     * Each task (transactional id {@code <group>-<connector>-<task>}) and the leader ({@code connect-cluster-<group>})
     * used transactions that ended, and the offsets topic holds commit markers beside the source offsets.
     */
    static void assertTransactionalWrites() throws Exception {
        Collection<TransactionListing> listed = admin.listTransactions().all().get();
        Set<String> ids = new HashSet<>();
        listed.forEach(t -> ids.add(t.transactionalId()));
        assertThat(ids)
                .contains(
                        "connect-cluster-" + GROUP,
                        GROUP + "-poll-source-0",
                        GROUP + "-poll-source-1",
                        GROUP + "-interval-source-0",
                        GROUP + "-defined-source-1");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(admin.listTransactions().all().get())
                        .filteredOn(t -> t.transactionalId().startsWith(GROUP + "-poll-source"))
                        .extracting(TransactionListing::state)
                        .doesNotContain(TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            latest.put(new TopicPartition(OFFSETS, p), OffsetSpec.latest());
        }
        long end = admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(info -> info.offset())
                .sum();
        int offsetRecords = readCommitted(OFFSETS, 1).values().stream()
                .mapToInt(Integer::intValue)
                .sum();
        assertThat(offsetRecords).isPositive();
        assertThat(end).as("offsets topic end (records plus markers)").isGreaterThan(offsetRecords);
    }

    /** Every value of the topic a read_committed reader sees, with how many times; reads to the end. */
    static Map<String, Integer> readCommitted(String topic, int atLeast) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Integer> values = new HashMap<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.merge(String.valueOf(r.value()), 1, Integer::sum);
                }
                return values.size() >= atLeast
                        && partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            });
        }
        return values;
    }

    /** A source whose task i writes "prefix-i-n" for n up to its target, its position kept as a source offset. */
    public static final class TxnSource extends SourceConnector {
        static final String TOPIC = "topic";
        static final String PREFIX = "prefix";
        static final String COUNT = "count";
        private Map<String, String> props;

        @Override
        public void start(Map<String, String> props) {
            this.props = props;
        }

        @Override
        public Class<? extends Task> taskClass() {
            return TxnTask.class;
        }

        @Override
        public List<Map<String, String>> taskConfigs(int maxTasks) {
            List<Map<String, String>> configs = new ArrayList<>();
            for (int i = 0; i < maxTasks; i++) {
                Map<String, String> config = new HashMap<>(props);
                config.put("task", Integer.toString(i));
                configs.add(config);
            }
            return configs;
        }

        @Override
        public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
            return ExactlyOnceSupport.SUPPORTED;
        }

        @Override
        public ConnectorTransactionBoundaries canDefineTransactionBoundaries(Map<String, String> connectorConfig) {
            return ConnectorTransactionBoundaries.SUPPORTED;
        }

        @Override
        public void stop() {}

        @Override
        public ConfigDef config() {
            return new ConfigDef()
                    .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic to write")
                    .define(PREFIX, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "value prefix")
                    .define(COUNT, ConfigDef.Type.INT, ConfigDef.Importance.HIGH, "records per task");
        }

        @Override
        public String version() {
            return "1";
        }
    }

    /**
     * Writes batches of 10. When the connector defines the boundaries (a transaction context is given) each batch is
     * its own transaction, and every third batch is aborted.
     */
    public static final class TxnTask extends SourceTask {
        private String topic;
        private String prefix;
        private String task;
        private int target;
        private int next;
        private final CountDownLatch stopped = new CountDownLatch(1);

        static boolean aborted(int n) {
            return (n / 10) % 3 == 2;
        }

        @Override
        public void start(Map<String, String> props) {
            topic = props.get(TxnSource.TOPIC);
            prefix = props.get(TxnSource.PREFIX);
            task = props.get("task");
            target = Integer.parseInt(props.get(TxnSource.COUNT));
            Map<String, Object> offset = context.offsetStorageReader().offset(Map.of("task", task));
            next = offset == null ? 0 : ((Number) offset.get("next")).intValue();
        }

        @Override
        public List<SourceRecord> poll() throws InterruptedException {
            if (next >= target) {
                stopped.await(50, TimeUnit.MILLISECONDS);
                return null;
            }
            List<SourceRecord> records = new ArrayList<>();
            int batchStart = next;
            for (int n = 0; n < 10 && next < target; n++, next++) {
                records.add(new SourceRecord(
                        Map.of("task", task),
                        Map.of("next", next + 1),
                        topic,
                        null,
                        Schema.STRING_SCHEMA,
                        task + "-" + next,
                        Schema.STRING_SCHEMA,
                        prefix + "-" + task + "-" + next));
            }
            TransactionContext transaction = context.transactionContext();
            if (transaction != null) {
                SourceRecord last = records.getLast();
                if (aborted(batchStart)) {
                    transaction.abortTransaction(last);
                } else {
                    transaction.commitTransaction(last);
                }
            }
            return records;
        }

        @Override
        public void stop() {
            stopped.countDown();
        }

        @Override
        public String version() {
            return "1";
        }
    }
}
