package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-467: a produced batch with some bad records is refused with the index of each bad record and a message, so a
 * client fails exactly those records (and the rest of the batch with a different error, free to send them again).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PerRecordErrorsTest {
    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir).start();
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(
                            new NewTopic("compacted", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                            new NewTopic("recent-only", 1, (short) 1)
                                    .configs(Map.of("message.timestamp.before.max.ms", "3600000"))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theJavaProducerFailsExactlyTheKeylessRecordsOfABatchToACompactedTopic() throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, "60000"); // one batch: flush() sends it
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, "1000000");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        config.put(ProducerConfig.RETRIES_CONFIG, "0");
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.partitionsFor("compacted");
            for (int i = 0; i < 100; i++) {
                byte[] key = i % 10 == 3 ? null : ("k" + i).getBytes(StandardCharsets.UTF_8);
                sends.add(producer.send(new ProducerRecord<>("compacted", 0, key, ("v" + i).getBytes())));
            }
            producer.flush();
        }
        List<Integer> invalid = new ArrayList<>();
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(60, TimeUnit.SECONDS);
                others.add(i);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InvalidRecordException bad) {
                    assertThat(bad.getMessage()).contains("without key");
                    invalid.add(i);
                } else {
                    others.add(i);
                }
            }
        }
        assertThat(invalid).containsExactly(3, 13, 23, 33, 43, 53, 63, 73, 83, 93);
        assertThat(others).hasSize(90);
    }

    @Test
    void produceAnswersNameEachRefusedRecordWithTheBatchError() throws Exception {
        try (RawClient raw = new RawClient(node.bootstrapServers())) {
            SimpleRecord[] records = new SimpleRecord[6];
            for (int i = 0; i < records.length; i++) {
                records[i] = new SimpleRecord(i == 1 || i == 4 ? null : ("k" + i).getBytes(), ("v" + i).getBytes());
            }
            ProduceResponseData.PartitionProduceResponse keyless = produce(raw, "compacted", records);
            assertThat(keyless.errorCode()).isEqualTo(Errors.INVALID_RECORD.code());
            assertThat(keyless.errorMessage()).contains("2 record errors");
            assertThat(keyless.recordErrors())
                    .extracting(ProduceResponseData.BatchIndexAndErrorMessage::batchIndex)
                    .containsExactly(1, 4);
            assertThat(keyless.recordErrors()).allSatisfy(e -> assertThat(e.batchIndexErrorMessage())
                    .isEqualTo(
                            "Compacted topic cannot accept message without key in topic partition" + " compacted-0."));

            long now = System.currentTimeMillis();
            SimpleRecord[] stamped = {
                new SimpleRecord(now, "a".getBytes(), "v".getBytes()),
                new SimpleRecord(now - TimeUnit.DAYS.toMillis(2), "b".getBytes(), "v".getBytes()),
                new SimpleRecord(now, "c".getBytes(), "v".getBytes())
            };
            ProduceResponseData.PartitionProduceResponse old = produce(raw, "recent-only", stamped);
            assertThat(old.errorCode()).isEqualTo(Errors.INVALID_TIMESTAMP.code());
            assertThat(old.errorMessage()).isEqualTo("One or more records have been rejected due to invalid timestamp");
            assertThat(old.recordErrors()).singleElement().satisfies(e -> {
                assertThat(e.batchIndex()).isEqualTo(1);
                assertThat(e.batchIndexErrorMessage()).startsWith("Timestamp ").contains("is out of range");
            });

            ProduceResponseData.PartitionProduceResponse good = produce(raw, "compacted", records[0], records[2]);
            assertThat(good.errorCode()).isZero();
            assertThat(good.recordErrors()).isEmpty();
            assertThat(good.errorMessage()).isNull();
        }
    }

    private static ProduceResponseData.PartitionProduceResponse produce(
            RawClient raw, String topic, SimpleRecord... records) throws Exception {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(10_000);
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
        data.partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(MemoryRecords.withRecords(Compression.NONE, records)));
        request.topicData().add(data);
        // Right after creation the partition may not be led yet: ask again while the answer says so.
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> raw.<ProduceResponseData>call(ApiKeys.PRODUCE, 12, request)
                                .responses()
                                .iterator()
                                .next()
                                .partitionResponses()
                                .get(0),
                        p -> p.errorCode() != Errors.NOT_LEADER_OR_FOLLOWER.code()
                                && p.errorCode() != Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }
}
