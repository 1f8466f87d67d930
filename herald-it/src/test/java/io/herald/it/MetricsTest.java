package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.tools.ConsumerGroupCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Observability against a real node: {@code /metrics} scraped over HTTP and parsed as Prometheus does, counters that
 * move when records are produced and consumed, consumer-group lag equal to what {@code kafka-consumer-groups.sh
 * --describe} reports, and the MBeans with Kafka's names in the node's MBean server.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MetricsTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;
    static int httpPort;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir);
        httpPort = TestPorts.free();
        node.properties().put("http.listeners", "http://127.0.0.1:" + httpPort);
        node.properties().put("offsets.topic.num.partitions", "3");
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

    private static KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    private static void produce(String topic, int partition, int count) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, "k" + i, "value-" + i))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void countersMoveWhenRecordsAreProducedAndConsumed() throws Exception {
        admin.createTopics(List.of(new NewTopic("metrics-flow", 2, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        Map<String, String> topic = Map.of("topic", "metrics-flow");
        Scrape before = Scrape.of(httpPort);
        assertThat(before.value("herald_topic_messages_in_total", topic)).isZero();

        produce("metrics-flow", 0, 7);
        produce("metrics-flow", 1, 3);
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        int consumed = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(List.of(new TopicPartition("metrics-flow", 0), new TopicPartition("metrics-flow", 1)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumed < 10 && System.nanoTime() < deadline) {
                consumed += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        assertThat(consumed).isEqualTo(10);

        Scrape after = Scrape.of(httpPort);
        assertThat(after.value("herald_topic_messages_in_total", topic)).isEqualTo(10);
        assertThat(after.value("herald_topic_bytes_in_total", topic)).isGreaterThan(10 * "value-0".length());
        assertThat(after.value("herald_topic_bytes_out_total", topic)).isGreaterThan(10 * "value-0".length());
        assertThat(after.value("herald_topic_produce_requests_total", topic)).isEqualTo(10);
        assertThat(after.value("herald_requests_total", Map.of("request", "Produce")))
                .isGreaterThanOrEqualTo(10);
        assertThat(after.value("herald_requests_total", Map.of("request", "Fetch")))
                .isGreaterThan(before.value("herald_requests_total", Map.of("request", "Fetch")));
        assertThat(after.samples("herald_request_total_time_seconds", Map.of("request", "Produce")))
                .isNotEmpty();
        assertThat(after.value("herald_log_end_offset", Map.of("topic", "metrics-flow", "partition", "0")))
                .isEqualTo(7);
        assertThat(after.value("herald_log_end_offset", Map.of("topic", "metrics-flow", "partition", "1")))
                .isEqualTo(3);
        assertThat(after.value("herald_log_size_bytes", Map.of("topic", "metrics-flow", "partition", "0")))
                .isPositive();
        assertThat(after.value("herald_partitions", Map.of())).isGreaterThanOrEqualTo(2);
        assertThat(after.value("herald_leader_partitions", Map.of())).isGreaterThanOrEqualTo(2);
        assertThat(after.value("herald_under_replicated_partitions", Map.of())).isZero();
        assertThat(after.value("herald_controller_active", Map.of())).isEqualTo(1);
        assertThat(after.value("herald_cluster_topics", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(after.value("herald_metadata_last_applied_offset", Map.of())).isPositive();
        assertThat(after.has("herald_metadata_lag_records")).isTrue();
        assertThat(after.has("jvm_memory_used_bytes")).isTrue();
        assertThat(after.has("jvm_gc_collection_seconds")).isTrue();
        assertThat(after.has("process_cpu_seconds_total")).isTrue();
    }

    @Test
    void openMetricsIsServedToScrapersThatAskForIt() throws Exception {
        HttpResponse<byte[]> response = Scrape.get(httpPort, "application/openmetrics-text; version=1.0.0");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
        HttpResponse<byte[]> text = Scrape.get(httpPort, null);
        assertThat(text.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    }

    @Test
    void groupLagEqualsWhatConsumerGroupsDescribeReports() throws Exception {
        admin.createTopics(List.of(new NewTopic("metrics-lag", 2, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        produce("metrics-lag", 0, 12);
        produce("metrics-lag", 1, 5);
        admin.alterConsumerGroupOffsets(
                        "metrics-lag-group",
                        Map.of(
                                new TopicPartition("metrics-lag", 0), new OffsetAndMetadata(4),
                                new TopicPartition("metrics-lag", 1), new OffsetAndMetadata(5)))
                .all()
                .get(30, TimeUnit.SECONDS);

        Map<String, Long> described = describedLag("metrics-lag-group");
        assertThat(described).containsEntry("metrics-lag-0", 8L).containsEntry("metrics-lag-1", 0L);
        Scrape scrape = Scrape.of(httpPort);
        for (int partition = 0; partition < 2; partition++) {
            assertThat(scrape.sum(
                            "herald_consumer_group_lag_records",
                            Map.of("group", "metrics-lag-group", "topic", "metrics-lag", "partition", "" + partition)))
                    .as("lag of partition %d", partition)
                    .hasValue(described.get("metrics-lag-" + partition));
        }
    }

    /** LAG per partition from {@code kafka-consumer-groups.sh --describe}, run in-process. */
    private static Map<String, Long> describedLag(String group) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ConsumerGroupCommand.run(
                new String[] {"--bootstrap-server", node.bootstrapServers(), "--describe", "--group", group},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        List<String> header = List.of(lines.get(0).trim().split("\\s+"));
        int topicColumn = header.indexOf("TOPIC");
        int partitionColumn = header.indexOf("PARTITION");
        int lagColumn = header.indexOf("LAG");
        assertThat(lagColumn).as(output).isNotNegative();
        Map<String, Long> lag = new java.util.TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.trim().split("\\s+");
            lag.put(cells[topicColumn] + "-" + cells[partitionColumn], Long.parseLong(cells[lagColumn]));
        }
        return lag;
    }

    @Test
    void kafkaNamedMBeansExistAndMove() throws Exception {
        admin.createTopics(List.of(new NewTopic("metrics-jmx", 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName messagesIn = new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec");
        ObjectName topicMessagesIn =
                new ObjectName("kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec,topic=metrics-jmx");
        long allBefore = (Long) server.getAttribute(messagesIn, "Count");

        produce("metrics-jmx", 0, 5);

        assertThat((Long) server.getAttribute(topicMessagesIn, "Count")).isEqualTo(5);
        assertThat((Long) server.getAttribute(messagesIn, "Count")).isEqualTo(allBefore + 5);
        for (String attribute : List.of("MeanRate", "OneMinuteRate", "FiveMinuteRate", "FifteenMinuteRate")) {
            assertThat(server.getAttribute(topicMessagesIn, attribute)).isInstanceOf(Double.class);
        }
        assertThat((Long) server.getAttribute(
                        new ObjectName("kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=metrics-jmx"),
                        "Count"))
                .isPositive();

        Set<ObjectName> produceRates = server.queryNames(
                new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,*"), null);
        assertThat(produceRates).isNotEmpty();
        long produceRequests = 0;
        for (ObjectName name : produceRates) {
            assertThat(name.getKeyProperty("version")).matches("\\d+");
            produceRequests += (Long) server.getAttribute(name, "Count");
        }
        assertThat(produceRequests).isGreaterThanOrEqualTo(5);
        ObjectName totalTime = new ObjectName("kafka.network:type=RequestMetrics,name=TotalTimeMs,request=Produce");
        assertThat((Long) server.getAttribute(totalTime, "Count")).isGreaterThanOrEqualTo(5);
        for (String attribute : List.of("Mean", "Max", "50thPercentile", "99thPercentile", "999thPercentile")) {
            assertThat((Double) server.getAttribute(totalTime, attribute)).isNotNegative();
        }

        assertThat(server.getAttribute(
                        new ObjectName("kafka.controller:type=KafkaController,name=ActiveControllerCount"), "Value"))
                .isEqualTo(1);
        assertThat(((Number) server.getAttribute(
                                new ObjectName("kafka.server:type=ReplicaManager,name=PartitionCount"), "Value"))
                        .intValue())
                .isPositive();
        assertThat(server.getAttribute(
                        new ObjectName("kafka.server:type=ReplicaManager,name=UnderReplicatedPartitions"), "Value"))
                .isEqualTo(0L);
        ObjectName logEnd = new ObjectName("kafka.log:type=Log,name=LogEndOffset,topic=metrics-jmx,partition=0");
        // Registered by the metadata thread right after the replica manager hosts the partition.
        await().atMost(Duration.ofSeconds(10)).until(() -> server.isRegistered(logEnd));
        assertThat(server.getAttribute(logEnd, "Value")).isEqualTo(5L);
    }
}
