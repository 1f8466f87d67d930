package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
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
        node = TestNode.combined(dataDir).start();
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
}
