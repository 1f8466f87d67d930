package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Requests at the edges of the protocol, hand-built as older, unusual or fuzzing clients send them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EdgeCaseRequestsTest {
    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir);
        node.properties().put("num.partitions", "4"); // what librdkafka's regression test ran with
        node.start();
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("edges", 1, (short) 1)))
                    .all()
                    .get();
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ProduceRequestData produce(String topic, int partition, short acks, MemoryRecords records) {
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName(topic)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(records))));
        return new ProduceRequestData().setAcks(acks).setTimeoutMs(10_000).setTopicData(topics);
    }

    private static ProduceResponseData.PartitionProduceResponse only(ProduceResponseData response) {
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    @Test
    void nullRecordsAreAClientErrorNotAServerOne() throws Exception {
        try (RawClient client = new RawClient(node.bootstrapServers())) {
            ProduceResponseData response = client.call(ApiKeys.PRODUCE, 9, produce("edges", 0, (short) 1, null));
            assertThat(Errors.forCode(only(response).errorCode())).isEqualTo(Errors.INVALID_RECORD);
        }
    }

    @Test
    void recordsWithoutTimestampsAreAcceptedWithCreateTime() throws Exception {
        MemoryRecords records = MemoryRecords.withRecords(
                Compression.NONE, new SimpleRecord(RecordBatch.NO_TIMESTAMP, null, "no-time".getBytes()));
        try (RawClient client = new RawClient(node.bootstrapServers())) {
            ProduceResponseData response = client.call(ApiKeys.PRODUCE, 9, produce("edges", 0, (short) 1, records));
            assertThat(Errors.forCode(only(response).errorCode())).isEqualTo(Errors.NONE);
            assertThat(only(response).baseOffset()).isNotNegative();
        }
    }

    @Test
    void anAcksZeroProduceThatFailsClosesTheConnection() throws Exception {
        MemoryRecords records = MemoryRecords.withRecords(
                Compression.NONE, new SimpleRecord(System.currentTimeMillis(), null, "lost".getBytes()));
        try (RawClient client = new RawClient(node.bootstrapServers())) {
            client.send(ApiKeys.PRODUCE, 9, produce("edges", 7, (short) 0, records));
            assertThat(client.closedByPeer()).isTrue();
        }
        // A successful acks=0 produce keeps the connection open (no response either way).
        try (RawClient client = new RawClient(node.bootstrapServers())) {
            client.send(ApiKeys.PRODUCE, 9, produce("edges", 0, (short) 0, records));
            ProduceResponseData response = client.call(ApiKeys.PRODUCE, 9, produce("edges", 0, (short) 1, records));
            assertThat(Errors.forCode(only(response).errorCode())).isEqualTo(Errors.NONE);
        }
    }

    @Test
    void deleteTopicsWithATinyTimeoutAnswersRequestTimedOutNotAServerError() throws Exception {
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(new NewTopic("short-lived", 1, (short) 1)))
                    .all()
                    .get();
        }
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(15);
        request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("short-lived"));
        try (RawClient client = new RawClient(node.bootstrapServers())) {
            DeleteTopicsResponseData response = client.call(ApiKeys.DELETE_TOPICS, 6, request);
            Errors error = Errors.forCode(response.responses().iterator().next().errorCode());
            // The controller may be quick enough; otherwise the deadline passed, which is no server error.
            assertThat(error).isIn(Errors.NONE, Errors.REQUEST_TIMED_OUT);
        }
    }

    @Test
    void topicConfigsHeraldDoesNotActOnAreRefusedNotIgnored() throws Exception {
        try (Admin admin = Admin.create(node.adminConfig())) {
            for (Map.Entry<String, String> config :
                    Map.of("preallocate", "true", "segment.jitter.ms", "1000").entrySet()) {
                assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("unsupported", 1, (short) 1)
                                        .configs(Map.of(config.getKey(), config.getValue()))))
                                .all()
                                .get())
                        .as(config.getKey())
                        .hasCauseInstanceOf(InvalidConfigurationException.class)
                        .hasMessageContaining("only");
            }
            // Their defaults are fine.
            admin.createTopics(List.of(new NewTopic("supported", 1, (short) 1)
                            .configs(Map.of("preallocate", "false", "segment.jitter.ms", "0"))))
                    .all()
                    .get();
        }
    }

    /**
     * librdkafka 2.15's sequence from its own regression suite (issue 17): Metadata v13 auto-creates the topic, the
     * producer pipelines one Produce v10 (acks=all) per partition as soon as leaders show, and a consumer assigned at
     * the beginning right after must read every record. Herald once lost this race: the records never reached the log.
     */
    @Test
    void recordsProducedRightAfterAutoCreationAreReadBackByAnAssignedConsumer() throws Exception {
        String topic = "auto-created-then-produced";
        MetadataRequestData metadata = new MetadataRequestData().setAllowAutoTopicCreation(true);
        metadata.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
        try (RawClient client = new RawClient(node.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                MetadataResponseData answer = client.call(ApiKeys.METADATA, 13, metadata);
                MetadataResponseData.MetadataResponseTopic only =
                        answer.topics().iterator().next();
                return only.errorCode() == Errors.NONE.code()
                        && only.partitions().size() == 4
                        && only.partitions().stream().allMatch(p -> p.leaderId() >= 0);
            });
            List<Integer> ids = new ArrayList<>();
            for (int partition = 0; partition < 2; partition++) {
                SimpleRecord[] records = new SimpleRecord[100];
                for (int i = 0; i < records.length; i++) {
                    int n = i * 2 + partition;
                    records[i] = new SimpleRecord(System.currentTimeMillis(), bytes("key-" + n), bytes("value-" + n));
                }
                MemoryRecords batch = MemoryRecords.withRecords(Compression.NONE, records);
                ids.add(client.write(ApiKeys.PRODUCE, 10, produce(topic, partition, (short) -1, batch)));
            }
            for (int id : ids) {
                ProduceResponseData answer = client.receive(ApiKeys.PRODUCE, 10, id);
                assertThat(Errors.forCode(only(answer).errorCode())).isEqualTo(Errors.NONE);
            }
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int partition = 0; partition < 4; partition++) {
                all.add(new TopicPartition(topic, partition));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= 200;
            });
        }
        assertThat(read).hasSize(200);
        for (int partition = 0; partition < 2; partition++) {
            int p = partition;
            assertThat(read.stream().filter(r -> r.partition() == p).map(ConsumerRecord::offset))
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.range(0, 100).boxed().toList());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
