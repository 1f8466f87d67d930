package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-227 fetch sessions over TCP: hand-built session requests (on their own topic: a hand-built session never moves
 * its fetch offsets, so a partition with records would be news every time), and the Java consumer, which uses them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IncrementalFetchTest {
    private static final int PARTITIONS = 24;

    @TempDir
    static Path dataDir;

    static TestNode node;
    static Uuid topicId;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir).start();
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(
                            new NewTopic("sessions", PARTITIONS, (short) 1),
                            new NewTopic("raw-sessions", PARTITIONS, (short) 1)))
                    .all()
                    .get();
            topicId = admin.describeTopics(List.of("raw-sessions"))
                    .allTopicNames()
                    .get()
                    .get("raw-sessions")
                    .topicId();
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static FetchRequestData fetch(int sessionId, int epoch, List<Integer> partitions) {
        FetchRequestData data = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(0)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setIsolationLevel((byte) 0)
                .setSessionId(sessionId)
                .setSessionEpoch(epoch);
        if (!partitions.isEmpty()) {
            FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopicId(topicId);
            partitions.forEach(p -> topic.partitions()
                    .add(new FetchRequestData.FetchPartition()
                            .setPartition(p)
                            .setFetchOffset(0)
                            .setPartitionMaxBytes(1 << 16)));
            data.topics().add(topic);
        }
        return data;
    }

    private static List<Integer> answered(FetchResponseData response) {
        return response.responses().stream()
                .flatMap(t -> t.partitions().stream())
                .map(FetchResponseData.PartitionData::partitionIndex)
                .toList();
    }

    @Test
    void anIncrementalFetchCarriesOnlyThePartitionsWithNews() throws Exception {
        List<Integer> all = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.add(p);
        }
        try (RawClient client = new RawClient(node.bootstrapServers());
                KafkaProducer<String, String> producer = producer()) {
            FetchResponseData full = client.call(ApiKeys.FETCH, 17, fetch(0, 0, all));
            assertThat(full.errorCode()).isZero();
            assertThat(full.sessionId()).isPositive();
            assertThat(answered(full)).hasSize(PARTITIONS);
            int session = full.sessionId();

            FetchResponseData quiet = client.call(ApiKeys.FETCH, 17, fetch(session, 1, List.of()));
            assertThat(quiet.sessionId()).isEqualTo(session);
            assertThat(answered(quiet)).isEmpty();

            producer.send(new ProducerRecord<>("raw-sessions", 7, "k", "v")).get();
            FetchResponseData news = client.call(ApiKeys.FETCH, 17, fetch(session, 2, List.of()));
            assertThat(answered(news)).containsExactly(7);
            assertThat(news.responses().get(0).partitions().get(0).records().sizeInBytes())
                    .isPositive();

            FetchResponseData stale = client.call(ApiKeys.FETCH, 17, fetch(session, 2, List.of()));
            assertThat(Errors.forCode(stale.errorCode())).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
            FetchResponseData unknown = client.call(ApiKeys.FETCH, 17, fetch(session + 1, 1, List.of()));
            assertThat(Errors.forCode(unknown.errorCode())).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);

            FetchResponseData sessionless = client.call(ApiKeys.FETCH, 17, fetch(0, -1, List.of(1, 2)));
            assertThat(sessionless.sessionId()).isZero();
            assertThat(answered(sessionless)).containsExactly(1, 2);
        }
    }

    @Test
    void theJavaConsumerReadsEveryRecordOnceThroughItsSession() throws Exception {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "2048"); // a few records per partition a fetch
        Map<TopicPartition, List<String>> seen = new HashMap<>();
        int rounds = 10;
        try (KafkaProducer<String, String> producer = producer();
                KafkaConsumer<String, String> consumer =
                        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition("sessions", p));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // fixes the start before producing
            int expected = 0;
            for (int round = 0; round < rounds; round++) {
                // Each round writes to a few partitions only: the others stay quiet in the session.
                for (int p = round % 3; p < PARTITIONS; p += 3) {
                    producer.send(new ProducerRecord<>("sessions", p, "k", "r" + round + "-" + "x".repeat(300)));
                    expected++;
                }
                producer.flush();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (count(seen) < expected && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        seen.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                                .add(r.value().substring(0, r.value().indexOf('-')));
                    }
                }
                assertThat(count(seen)).as("records after round %d", round).isEqualTo(expected);
            }
        }
        for (int p = 0; p < PARTITIONS; p++) {
            List<String> expectedRounds = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                if (p % 3 == round % 3) {
                    expectedRounds.add("r" + round);
                }
            }
            assertThat(seen.getOrDefault(new TopicPartition("sessions", p), List.of()))
                    .as("partition %d in order, each once", p)
                    .isEqualTo(expectedRounds);
        }
    }

    private static int count(Map<TopicPartition, List<String>> seen) {
        return seen.values().stream().mapToInt(List::size).sum();
    }
}
