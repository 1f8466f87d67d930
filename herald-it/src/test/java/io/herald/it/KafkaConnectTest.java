package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.distributed.NotLeaderException;
import org.apache.kafka.connect.runtime.distributed.RebalanceNeededException;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.rest.errors.ConnectRestException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.util.FutureCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Connect in distributed mode on Herald: two workers form a "connect" group, keep their configs, source offsets
 * and statuses in compacted internal topics, and run a source and a sink connector whose tasks they share. When one
 * worker goes, the other takes its tasks; a reconfigured source resumes from its committed source offsets.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaConnectTest {
    static final String DATA = "connect-data";
    static final String CONFIGS = "connect-configs";
    static final String OFFSETS = "connect-offsets";
    static final String STATUSES = "connect-status";

    /** Values the sink tasks were handed, with how many times each. */
    static final Map<String, Integer> SUNK = new ConcurrentHashMap<>();

    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        SUNK.clear(); // KafkaConnectExactlyOnceTest uses the same sink
        node = GroupTest.groupNode(dataDir);
        node.start();
        admin = Admin.create(node.adminConfig());
        admin.createTopics(List.of(new NewTopic(DATA, 3, (short) 1))).all().get();
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    static Connect<DistributedHerder> startWorker() {
        Map<String, String> config = new HashMap<>();
        config.put("bootstrap.servers", node.bootstrapServers());
        config.put("group.id", "herald-connect");
        config.put("listeners", "http://127.0.0.1:" + TestPorts.free());
        config.put("config.storage.topic", CONFIGS);
        config.put("offset.storage.topic", OFFSETS);
        config.put("status.storage.topic", STATUSES);
        // -1: the broker's default replication factor (Connect's own default is 3).
        config.put("config.storage.replication.factor", "-1");
        config.put("offset.storage.replication.factor", "-1");
        config.put("status.storage.replication.factor", "-1");
        config.put("offset.storage.partitions", "5");
        config.put("status.storage.partitions", "3");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("offset.flush.interval.ms", "200");
        // A departed worker's tasks move at once instead of after Connect's 5 minute grace period.
        config.put("scheduled.rebalance.max.delay.ms", "0");
        config.put("session.timeout.ms", "6000");
        config.put("heartbeat.interval.ms", "500");
        config.put("plugin.discovery", "only_scan");
        return new ConnectDistributed().startConnect(config);
    }

    /**
     * Creates or replaces a connector. While the workers' group rebalances Connect refuses requests (409 Conflict, as
     * its REST clients are told to retry); that refusal alone is retried, until the group settles.
     */
    static void putConnector(DistributedHerder herder, String name, Map<String, String> config) {
        Map<String, String> named = new HashMap<>(config);
        named.put("name", name);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
            herder.putConnectorConfig(name, named, true, created);
            try {
                created.get(60, TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RebalanceNeededException
                        || e.getCause() instanceof NotLeaderException
                        || e.getCause() instanceof ConnectRestException rest && rest.statusCode() == 409) {
                    return false;
                }
                throw e;
            }
        });
    }

    static Map<String, String> sourceConfig(int perTask) {
        return Map.of(
                "connector.class",
                CountingSource.class.getName(),
                "tasks.max",
                "2",
                CountingSource.TOPIC,
                DATA,
                CountingSource.COUNT,
                Integer.toString(perTask));
    }

    static Set<String> expectedValues(int perTask) {
        Set<String> values = new java.util.HashSet<>();
        for (int task = 0; task < 2; task++) {
            for (int i = 0; i < perTask; i++) {
                values.add("task" + task + "-" + i);
            }
        }
        return values;
    }

    /** Both connectors and all their tasks run, spread over the given number of workers. */
    static void awaitRunning(DistributedHerder herder, int workers) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Set<String> hosts = new java.util.HashSet<>();
            for (String name : List.of("counting-source", "collecting-sink")) {
                ConnectorStateInfo status = herder.connectorStatus(name);
                assertThat(status.connector().state()).isEqualTo("RUNNING");
                assertThat(status.tasks()).hasSize(2);
                assertThat(status.tasks())
                        .allSatisfy(task -> assertThat(task.state()).isEqualTo("RUNNING"));
                hosts.add(status.connector().workerId());
                status.tasks().forEach(task -> hosts.add(task.workerId()));
            }
            assertThat(hosts).hasSize(workers);
        });
    }

    static long dataRecords() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            latest.put(new TopicPartition(DATA, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().values().stream()
                .mapToLong(info -> info.offset())
                .sum();
    }

    @Test
    void twoWorkersRunASourceAndASinkAndSurviveLosingOne() throws Exception {
        Connect<DistributedHerder> first = startWorker();
        Connect<DistributedHerder> second = startWorker();
        try {
            putConnector(first.herder(), "counting-source", sourceConfig(50));
            putConnector(
                    first.herder(),
                    "collecting-sink",
                    Map.of("connector.class", CollectingSink.class.getName(), "tasks.max", "2", "topics", DATA));
            awaitRunning(first.herder(), 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> SUNK.keySet().equals(expectedValues(50)));
            assertInternalTopics();

            second.stop();
            awaitRunning(first.herder(), 1);
            // The source's tasks restart with a higher target and go on from their committed source offsets.
            putConnector(first.herder(), "counting-source", sourceConfig(80));
            await().atMost(Duration.ofSeconds(60)).until(() -> SUNK.keySet().equals(expectedValues(80)));
            assertThat(dataRecords()).isEqualTo(160);
        } finally {
            first.stop();
            second.stop();
        }
    }

    /** Connect created its topics compacted, the config topic with one partition, and verified them itself. */
    static void assertInternalTopics() throws Exception {
        Map<String, TopicDescription> topics = admin.describeTopics(List.of(CONFIGS, OFFSETS, STATUSES))
                .allTopicNames()
                .get();
        assertThat(topics.get(CONFIGS).partitions()).hasSize(1);
        assertThat(topics.get(OFFSETS).partitions()).hasSize(5);
        assertThat(topics.get(STATUSES).partitions()).hasSize(3);
        List<ConfigResource> resources = new ArrayList<>();
        for (String topic : topics.keySet()) {
            resources.add(new ConfigResource(ConfigResource.Type.TOPIC, topic));
        }
        admin.describeConfigs(resources).all().get().forEach((resource, config) -> assertThat(
                        config.get("cleanup.policy").value())
                .as(resource.name())
                .isEqualTo("compact"));
    }

    /** A source whose task i writes "task<i>-<n>" for n up to its target, its position kept as a source offset. */
    public static final class CountingSource extends SourceConnector {
        static final String TOPIC = "topic";
        static final String COUNT = "count";
        private Map<String, String> props;

        @Override
        public void start(Map<String, String> props) {
            this.props = props;
        }

        @Override
        public Class<? extends Task> taskClass() {
            return CountingTask.class;
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
        public void stop() {}

        @Override
        public ConfigDef config() {
            return new ConfigDef()
                    .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "topic to write")
                    .define(COUNT, ConfigDef.Type.INT, ConfigDef.Importance.HIGH, "records per task");
        }

        @Override
        public String version() {
            return "1";
        }
    }

    public static final class CountingTask extends SourceTask {
        private String topic;
        private String task;
        private int target;
        private int next;
        private final CountDownLatch stopped = new CountDownLatch(1);

        @Override
        public void start(Map<String, String> props) {
            topic = props.get(CountingSource.TOPIC);
            task = props.get("task");
            target = Integer.parseInt(props.get(CountingSource.COUNT));
            Map<String, Object> offset = context.offsetStorageReader().offset(Map.of("task", task));
            next = offset == null ? 0 : ((Number) offset.get("next")).intValue();
        }

        @Override
        public List<SourceRecord> poll() throws InterruptedException {
            if (next >= target) {
                // Nothing more to write: Connect calls poll in a loop, so idle a little rather than spin (stop wakes
                // it).
                stopped.await(50, TimeUnit.MILLISECONDS);
                return null;
            }
            List<SourceRecord> records = new ArrayList<>();
            for (int n = 0; n < 10 && next < target; n++, next++) {
                records.add(new SourceRecord(
                        Map.of("task", task),
                        Map.of("next", next + 1),
                        topic,
                        null,
                        Schema.STRING_SCHEMA,
                        task + "-" + next,
                        Schema.STRING_SCHEMA,
                        "task" + task + "-" + next));
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

    /** A sink that remembers every value it is handed. */
    public static final class CollectingSink extends SinkConnector {
        private Map<String, String> props;

        @Override
        public void start(Map<String, String> props) {
            this.props = props;
        }

        @Override
        public Class<? extends Task> taskClass() {
            return CollectingTask.class;
        }

        @Override
        public List<Map<String, String>> taskConfigs(int maxTasks) {
            List<Map<String, String>> configs = new ArrayList<>();
            for (int i = 0; i < maxTasks; i++) {
                configs.add(new HashMap<>(props));
            }
            return configs;
        }

        @Override
        public void stop() {}

        @Override
        public ConfigDef config() {
            return new ConfigDef();
        }

        @Override
        public String version() {
            return "1";
        }
    }

    public static final class CollectingTask extends SinkTask {
        @Override
        public void start(Map<String, String> props) {}

        @Override
        public void put(java.util.Collection<SinkRecord> records) {
            for (SinkRecord record : records) {
                SUNK.merge((String) record.value(), 1, Integer::sum);
            }
        }

        @Override
        public void stop() {}

        @Override
        public String version() {
            return "1";
        }
    }
}
