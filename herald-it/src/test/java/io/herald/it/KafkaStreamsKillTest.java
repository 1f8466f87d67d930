package io.herald.it;

import static io.herald.it.EosStreamsProcess.CLICKS;
import static io.herald.it.EosStreamsProcess.COUNTS;
import static io.herald.it.EosStreamsProcess.ENRICHED;
import static io.herald.it.EosStreamsProcess.LINES;
import static io.herald.it.EosStreamsProcess.ORDERS;
import static io.herald.it.EosStreamsProcess.USERS;
import static io.herald.it.EosStreamsProcess.WINDOWED;
import static io.herald.it.EosStreamsProcess.WINDOW_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka Streams application with {@code exactly_once_v2} (word count, stream-table join, windowed count) in its own
 * JVM is killed with SIGKILL in the middle of its work and started again on the same state directory: a
 * read_committed reader sees every word count and window count once and in order (1, 2, 3, ... none repeated or
 * skipped), every order joined exactly once, and the final results exact.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaStreamsKillTest {
    static final String APP = "herald-eos-kill";
    static final List<String> WORDS = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta");
    static final int USER_COUNT = 10;
    static final int TOTAL = 600;

    @TempDir
    static Path dataDir;

    @TempDir
    static Path stateDir;

    @TempDir
    static Path logs;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = GroupTest.groupNode(dataDir);
        node.start();
        admin = Admin.create(node.adminConfig());
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : List.of(LINES, COUNTS, USERS, ORDERS, ENRICHED, CLICKS, WINDOWED)) {
            topics.add(new NewTopic(topic, 2, (short) 1));
        }
        admin.createTopics(topics).all().get();
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    /** What the inputs sent so far must produce. */
    static final class Expected {
        final Map<String, Long> words = new TreeMap<>();
        final Map<String, String> orders = new TreeMap<>();
        final Map<String, Long> windows = new TreeMap<>();
    }

    @Test
    void resultsAreExactAfterTheApplicationIsKilledMidRunAndRestarted() throws Exception {
        Expected expected = new Expected();
        long base = (System.currentTimeMillis() / WINDOW_MS) * WINDOW_MS - 10 * WINDOW_MS;
        try (KafkaProducer<String, String> producer = producer()) {
            for (int u = 0; u < USER_COUNT; u++) {
                producer.send(new ProducerRecord<>(USERS, null, base, "user-" + u, "region-" + (u % 3)));
            }
            producer.flush();
            EosStreamsProcess first = new EosStreamsProcess(APP, node.bootstrapServers(), stateDir, logs.resolve("a"));
            assertThat(first.awaitRunning(Duration.ofSeconds(120)))
                    .as("first instance running")
                    .isTrue();
            // Input keeps arriving while the application is killed and restarted, so it dies mid-transaction.
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int from = 0; from < TOTAL; from += 10) {
                    send(producer, from, from + 10, base, expected);
                    try {
                        Thread.sleep(20); // paces the input; nothing waits on it
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> latest(COUNTS).size() > 0);
            } finally {
                first.kill();
            }
            EosStreamsProcess second = new EosStreamsProcess(APP, node.bootstrapServers(), stateDir, logs.resolve("b"));
            try {
                assertThat(second.awaitRunning(Duration.ofSeconds(120)))
                        .as("restarted instance running")
                        .isTrue();
                sender.join(Duration.ofSeconds(120));
                assertThat(sender.isAlive()).isFalse();
                assertThat(expected.orders).hasSize(TOTAL); // the sender is done: expected is final
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(latest(COUNTS)).isEqualTo(expected.words));
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(latest(WINDOWED)).isEqualTo(expected.windows));
            } finally {
                second.close();
            }
        }
        assertCountedOneByOne(COUNTS, expected.words);
        assertCountedOneByOne(WINDOWED, expected.windows);
        Map<String, List<String>> joined = all(ENRICHED, false);
        Map<String, List<String>> byOrder = new TreeMap<>();
        joined.values()
                .forEach(values -> values.forEach(
                        v -> byOrder.computeIfAbsent(v.substring(0, v.indexOf('@')), k -> new ArrayList<>())
                                .add(v)));
        assertThat(byOrder.keySet()).isEqualTo(expected.orders.keySet());
        byOrder.forEach((order, values) ->
                assertThat(values).as("order %s joined once", order).containsExactly(expected.orders.get(order)));
    }

    /** Lines of two words, orders of the users, clicks on five pages in two windows. */
    static void send(KafkaProducer<String, String> producer, int from, int to, long base, Expected expected) {
        synchronized (expected) {
            record(producer, from, to, base, expected);
        }
        producer.flush();
    }

    private static void record(KafkaProducer<String, String> producer, int from, int to, long base, Expected expected) {
        for (int i = from; i < to; i++) {
            List<String> words = List.of(WORDS.get(i % WORDS.size()), WORDS.get((i * 5 + 2) % WORDS.size()));
            producer.send(new ProducerRecord<>(LINES, "line-" + i, String.join(" ", words)));
            words.forEach(w -> expected.words.merge(w, 1L, Long::sum));
            String user = "user-" + (i % USER_COUNT);
            String order = "order-" + i;
            producer.send(new ProducerRecord<>(ORDERS, null, base + WINDOW_MS + i, user, order));
            expected.orders.put(order, order + "@region-" + ((i % USER_COUNT) % 3));
            long window = base + (i < TOTAL / 2 ? 0 : WINDOW_MS);
            String page = "page-" + (i % 5);
            producer.send(new ProducerRecord<>(CLICKS, null, window + i % 1000, page, "click-" + i));
            expected.windows.merge(page + "@" + window, 1L, Long::sum);
        }
    }

    /** Every count of every key, in the order a read_committed reader sees them, is 1, 2, 3, ... up to the final. */
    static void assertCountedOneByOne(String topic, Map<String, Long> expected) {
        Map<String, List<String>> seen = all(topic, true);
        assertThat(seen.keySet()).isEqualTo(expected.keySet());
        seen.forEach((key, counts) -> {
            List<String> oneByOne = new ArrayList<>();
            for (long c = 1; c <= expected.get(key); c++) {
                oneByOne.add(Long.toString(c));
            }
            assertThat(counts)
                    .as("every count of %s in %s, in order, once", key, topic)
                    .isEqualTo(oneByOne);
        });
    }

    /** The last value of each key a read_committed reader sees (Long values). */
    static Map<String, Long> latest(String topic) {
        Map<String, Long> latest = new TreeMap<>();
        all(topic, true).forEach((key, values) -> latest.put(key, Long.parseLong(values.getLast())));
        return latest;
    }

    /** Every value of each key a read_committed reader sees up to the end, in order; Long values as decimals. */
    static Map<String, List<String>> all(String topic, boolean longValues) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<String>> values = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            LongDeserializer longs = new LongDeserializer();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    String value = longValues
                            ? Long.toString(longs.deserialize(topic, r.value()))
                            : new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
                    values.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(value);
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
            });
        }
        return values;
    }

    static KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
}
