package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams with {@code processing.guarantee=exactly_once_v2} (transaction version 2) counts words through a
 * repartition topic into a changelogged store: every count a read_committed reader sees is the next one for its word
 * (1, 2, 3, ... with none repeated or skipped), also after the instance restarts without its local state and restores
 * it from the changelog.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaStreamsExactlyOnceTest {
    static final String APP = "herald-eos";
    static final String LINES = "eos-lines";
    static final String COUNTS = "eos-word-counts";
    static final List<String> WORDS = List.of("alpha", "beta", "gamma", "delta", "epsilon");

    @TempDir
    static Path dataDir;

    @TempDir
    static Path stateDir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = GroupTest.groupNode(dataDir);
        node.properties().put("transaction.state.log.num.partitions", "5");
        node.start();
        admin = Admin.create(node.adminConfig());
        admin.createTopics(List.of(new NewTopic(LINES, 2, (short) 1), new NewTopic(COUNTS, 2, (short) 1)))
                .all()
                .get();
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    static KafkaStreams wordCount() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(LINES, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((key, word) -> word, Grouped.with("by-word", Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts"))
                .toStream()
                .to(COUNTS, Produced.with(Serdes.String(), Serdes.Long()));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500);
        KafkaStreams streams = new KafkaStreams(builder.build(), config);
        streams.start();
        return streams;
    }

    @Test
    void wordCountsAreExactAndEveryCountIsSeenOnce() throws Exception {
        Map<String, Long> expected = new TreeMap<>();
        Map<String, List<Long>> seen = new HashMap<>();
        try (KafkaProducer<String, String> producer = producer();
                KafkaConsumer<String, Long> output = readCommitted()) {
            KafkaStreams streams = wordCount();
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
                send(producer, 0, 50, expected);
                awaitCounts(output, expected, seen);
                // The app's transactional producer left no transaction open behind it.
                assertThat(admin.listTransactions().all().get())
                        .extracting(TransactionListing::transactionalId)
                        .anyMatch(id -> id.startsWith(APP));
            } finally {
                streams.close(Duration.ofSeconds(30));
                streams.cleanUp(); // the restarted instance restores its store from the changelog
            }
            KafkaStreams restarted = wordCount();
            try {
                send(producer, 50, 80, expected);
                awaitCounts(output, expected, seen);
            } finally {
                restarted.close(Duration.ofSeconds(30));
            }
        }
        seen.forEach((word, counts) -> {
            List<Long> oneByOne = new ArrayList<>();
            for (long c = 1; c <= expected.get(word); c++) {
                oneByOne.add(c);
            }
            assertThat(counts).as("every count of %s, in order, once", word).isEqualTo(oneByOne);
        });
    }

    void send(KafkaProducer<String, String> producer, int from, int to, Map<String, Long> expected) {
        for (int i = from; i < to; i++) {
            List<String> line = List.of(WORDS.get(i % WORDS.size()), WORDS.get((i * 3 + 1) % WORDS.size()));
            producer.send(new ProducerRecord<>(LINES, "line-" + i, String.join(" ", line)));
            line.forEach(word -> expected.merge(word, 1L, Long::sum));
        }
        producer.flush();
    }

    static void awaitCounts(
            KafkaConsumer<String, Long> output, Map<String, Long> expected, Map<String, List<Long>> seen) {
        Map<String, Long> latest = new TreeMap<>();
        seen.forEach((word, counts) -> latest.put(word, counts.getLast()));
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (ConsumerRecord<String, Long> r : output.poll(Duration.ofMillis(200))) {
                seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                latest.put(r.key(), r.value());
            }
            assertThat(latest).isEqualTo(expected);
        });
    }

    static KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    static KafkaConsumer<String, Long> readCommitted() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, Long> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new LongDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(COUNTS).forEach(p -> partitions.add(new TopicPartition(COUNTS, p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
