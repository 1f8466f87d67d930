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
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams (at_least_once, the classic group protocol) runs a real topology on two instances against Herald: a
 * word count through a repartition topic into a RocksDB store with a compacted changelog, a windowed count, and a
 * stream-table join re-keyed and reduced. Outputs must be exactly right; after both instances lose their local state
 * they restore it from the changelogs and carry on counting from where they were.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaStreamsTest {
    static final String APP = "herald-streams";
    static final String LINES = "streams-lines";
    static final String REGIONS = "streams-user-regions";
    static final String CLICKS = "streams-user-clicks";
    static final String WORD_COUNTS = "streams-word-counts";
    static final String WINDOWED_COUNTS = "streams-windowed-counts";
    static final String REGION_CLICKS = "streams-region-clicks";
    static final List<String> WORDS = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta");
    static final List<String> USERS = List.of("u0", "u1", "u2", "u3", "u4", "u5", "u6");
    static final List<String> AREAS = List.of("north", "south", "east");
    static final long MINUTE_MS = 60_000;

    @TempDir
    static Path dataDir;

    @TempDir
    static Path stateDirs;

    static TestNode node;
    static Admin admin;

    /** Input timestamps start on a minute boundary half an hour ago, one second apart, so windows are known. */
    final long baseMs = (System.currentTimeMillis() - 30 * MINUTE_MS) / MINUTE_MS * MINUTE_MS;

    final Map<String, Long> wordCounts = new TreeMap<>();
    final Map<String, Long> windowedCounts = new TreeMap<>();
    final Map<String, Long> regionClicks = new TreeMap<>();
    final Map<String, AtomicLong> restored = new ConcurrentHashMap<>();
    /** The latest value per key seen on each output topic. */
    final Map<String, Map<String, Long>> latest = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        node = GroupTest.groupNode(dataDir);
        node.start();
        admin = Admin.create(node.adminConfig());
        admin.createTopics(List.of(
                        new NewTopic(LINES, 3, (short) 1),
                        new NewTopic(REGIONS, 3, (short) 1),
                        new NewTopic(CLICKS, 3, (short) 1),
                        new NewTopic(WORD_COUNTS, 2, (short) 1),
                        new NewTopic(WINDOWED_COUNTS, 2, (short) 1),
                        new NewTopic(REGION_CLICKS, 1, (short) 1)))
                .all()
                .get();
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> lines = builder.stream(LINES, Consumed.with(Serdes.String(), Serdes.String()));
        KGroupedStream<String, String> byWord = lines.flatMapValues(line -> Arrays.asList(line.split(" ")))
                .groupBy((key, word) -> word, Grouped.with("by-word", Serdes.String(), Serdes.String()));
        byWord.count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("word-counts"))
                .toStream()
                .to(WORD_COUNTS, Produced.with(Serdes.String(), Serdes.Long()));
        byWord.windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofHours(2)))
                .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("windowed-word-counts")
                        .withRetention(Duration.ofDays(1)))
                .toStream(
                        (window, count) -> window.key() + "@" + window.window().start())
                .to(WINDOWED_COUNTS, Produced.with(Serdes.String(), Serdes.Long()));

        KTable<String, String> regions = builder.table(
                REGIONS,
                Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("regions"));
        builder.stream(CLICKS, Consumed.with(Serdes.String(), Serdes.Long()))
                .join(regions, (clicks, region) -> region + ":" + clicks)
                .map((user, regionAndClicks) -> {
                    String[] parts = regionAndClicks.split(":");
                    return KeyValue.pair(parts[0], Long.parseLong(parts[1]));
                })
                .groupByKey(Grouped.with("by-region", Serdes.String(), Serdes.Long()))
                .reduce(Long::sum, Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("region-clicks"))
                .toStream()
                .to(REGION_CLICKS, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    Properties streamsConfig(String instance) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDirs.resolve(instance).toString());
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // Purge consumed repartition records (DeleteRecords) soon after each commit rather than every 30 s.
        config.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 500);
        return config;
    }

    KafkaStreams startInstance(String instance) {
        KafkaStreams streams = new KafkaStreams(topology(), streamsConfig(instance));
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {}

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long count) {
                restored.computeIfAbsent(store, s -> new AtomicLong()).addAndGet(count);
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {}
        });
        streams.start();
        return streams;
    }

    static Set<TaskId> activeTasks(KafkaStreams streams) {
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .map(task -> task.taskId())
                .collect(Collectors.toSet());
    }

    /** Both instances run and share the work: between them they own every task, each owning some. */
    static void awaitSharing(KafkaStreams first, KafkaStreams second) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(first.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(second.state()).isEqualTo(KafkaStreams.State.RUNNING);
            Set<TaskId> a = activeTasks(first);
            Set<TaskId> b = activeTasks(second);
            assertThat(a).isNotEmpty();
            assertThat(b).isNotEmpty();
            // (doesNotContainAnyElementsOf would throw, not fail, on an empty set: check disjointness plainly.)
            assertThat(java.util.Collections.disjoint(a, b))
                    .as("%s and %s are disjoint", a, b)
                    .isTrue();
            // 4 sub-topologies (split, count, join, reduce) over 3 partitions each.
            assertThat(a.size() + b.size()).isEqualTo(12);
        });
    }

    @Test
    void aTopologyOnTwoInstancesCountsJoinsAndRestoresItsStateFromTheChangelogs() throws Exception {
        KafkaStreams first = startInstance("a");
        KafkaStreams second = startInstance("b");
        try (KafkaProducer<String, String> producer = producer();
                KafkaProducer<String, Long> clicks = clicksProducer();
                KafkaConsumer<String, Long> outputs = outputConsumer()) {
            awaitSharing(first, second);
            sendRegions(producer, 0);
            sendLines(producer, 0, 60);
            sendClicks(clicks, 0, 40, 100);
            awaitOutputs(outputs);
            assertInternalTopics();

            // Both instances stop, leave the group and lose their local state: every store must come back from its
            // changelog, and counting goes on from the restored values.
            closeAndWipe(first);
            closeAndWipe(second);
            restored.clear();
            first = startInstance("a");
            second = startInstance("b");
            awaitSharing(first, second);
            // A changelog holds every update (caching is off) unless compaction already dropped older ones.
            assertThat(restoredCount("word-counts")).isBetween((long) WORDS.size(), 60L * 3);
            assertThat(restoredCount("windowed-word-counts")).isBetween((long) windowedCounts.size(), 60L * 3);
            assertThat(restoredCount("regions")).isEqualTo(USERS.size());
            assertThat(restoredCount("region-clicks")).isBetween((long) AREAS.size(), 40L);

            sendLines(producer, 60, 90);
            sendClicks(clicks, 40, 70, 200);
            awaitOutputs(outputs);

            // One instance restarts without its state while the other keeps running: the survivor takes over its
            // tasks, then hands some back, and the newcomer restores them from the changelogs.
            closeAndWipe(second);
            KafkaStreams survivor = first;
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(activeTasks(survivor)).hasSize(12));
            sendLines(producer, 90, 100);
            awaitOutputs(outputs);
            second = startInstance("b");
            awaitSharing(first, second);
            sendLines(producer, 100, 120);
            sendClicks(clicks, 70, 90, 300);
            awaitOutputs(outputs);
        } finally {
            first.close(Duration.ofSeconds(30));
            second.close(Duration.ofSeconds(30));
        }
    }

    long restoredCount(String store) {
        AtomicLong count = restored.get(store);
        assertThat(count).as(store + " restored from its changelog").isNotNull();
        return count.get();
    }

    /**
     * KIP-1071's "streams" group protocol (early access in Kafka 4.1, off by default) needs StreamsGroupHeartbeat,
     * which Herald does not advertise, as a Kafka 4.1 broker with default settings does not: the client stops with
     * Kafka's own explanation rather than hanging.
     */
    @Test
    void theStreamsGroupProtocolIsRefusedAsByAKafkaBrokerWithoutIt() {
        Properties config = streamsConfig("streams-protocol");
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APP + "-kip1071");
        config.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(LINES).groupByKey().count().toStream().to(APP + "-kip1071-out");
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
            streams.setUncaughtExceptionHandler(failure -> {
                failures.add(failure);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.ERROR);
        }
        assertThat(failures).isNotEmpty();
        assertThat(failures.get(0)).hasRootCauseInstanceOf(UnsupportedVersionException.class);
        assertThat(failures.get(0).getCause()).hasMessageContaining("does not support the STREAMS group protocol");
    }

    static void closeAndWipe(KafkaStreams streams) {
        assertThat(streams.close(
                        new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30))))
                .isTrue();
        streams.cleanUp();
    }

    void sendRegions(KafkaProducer<String, String> producer, int offsetMs) throws Exception {
        for (int i = 0; i < USERS.size(); i++) {
            String region = AREAS.get(i % AREAS.size());
            producer.send(new ProducerRecord<>(REGIONS, null, baseMs + offsetMs, USERS.get(i), region));
        }
        producer.flush();
    }

    void sendLines(KafkaProducer<String, String> producer, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            List<String> line = List.of(
                    WORDS.get(i % WORDS.size()), WORDS.get((i * 3) % WORDS.size()), WORDS.get((i / 2) % WORDS.size()));
            long timestampMs = baseMs + i * 1000L;
            producer.send(new ProducerRecord<>(LINES, null, timestampMs, "line-" + i, String.join(" ", line)));
            for (String word : line) {
                wordCounts.merge(word, 1L, Long::sum);
                windowedCounts.merge(word + "@" + (timestampMs - timestampMs % MINUTE_MS), 1L, Long::sum);
            }
        }
        producer.flush();
    }

    /** Clicks come after the regions in time (and in the log), so the join sees every user's region. */
    void sendClicks(KafkaProducer<String, Long> producer, int from, int to, int offsetMs) throws Exception {
        for (int i = from; i < to; i++) {
            int user = i % USERS.size();
            long clicks = i % 4 + 1;
            producer.send(new ProducerRecord<>(CLICKS, null, baseMs + offsetMs + i, USERS.get(user), clicks));
            regionClicks.merge(AREAS.get(user % AREAS.size()), clicks, Long::sum);
        }
        producer.flush();
    }

    /** The latest value per key of each output topic equals what the inputs so far imply, with no extra keys. */
    void awaitOutputs(KafkaConsumer<String, Long> outputs) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (ConsumerRecord<String, Long> record : outputs.poll(Duration.ofMillis(200))) {
                latest.computeIfAbsent(record.topic(), t -> new TreeMap<>()).put(record.key(), record.value());
            }
            assertThat(latest.get(WORD_COUNTS)).isEqualTo(wordCounts);
            assertThat(latest.get(WINDOWED_COUNTS)).isEqualTo(windowedCounts);
            assertThat(latest.get(REGION_CLICKS)).isEqualTo(regionClicks);
        });
    }

    /** Streams created its internal topics with the configs it asked for, and purges what it consumed. */
    void assertInternalTopics() throws Exception {
        String byWord = APP + "-by-word-repartition";
        String counts = APP + "-word-counts-changelog";
        String windowed = APP + "-windowed-word-counts-changelog";
        Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, byWord),
                        new ConfigResource(ConfigResource.Type.TOPIC, counts),
                        new ConfigResource(ConfigResource.Type.TOPIC, windowed)))
                .all()
                .get();
        Config repartition = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, byWord));
        assertThat(repartition.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(repartition.get("retention.ms").value()).isEqualTo("-1");
        assertThat(repartition.get("segment.bytes").value()).isEqualTo("52428800");
        assertThat(repartition.get("message.timestamp.type").value()).isEqualTo("CreateTime");
        assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, counts))
                        .get("cleanup.policy")
                        .value())
                .isEqualTo("compact");
        Config windowedConfig = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, windowed));
        assertThat(Set.of(windowedConfig.get("cleanup.policy").value().split(",")))
                .containsExactlyInAnyOrder("compact", "delete");
        // Window retention (1 day) plus Streams' default extra changelog retention (1 day).
        assertThat(windowedConfig.get("retention.ms").value()).isEqualTo(Long.toString(2 * 86_400_000L));

        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            earliest.put(new TopicPartition(byWord, p), OffsetSpec.earliest());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            long purged = admin.listOffsets(earliest).all().get().values().stream()
                    .mapToLong(info -> info.offset())
                    .sum();
            assertThat(purged).as("repartition records deleted").isEqualTo(60 * 3);
        });
    }

    KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    KafkaProducer<String, Long> clicksProducer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new LongSerializer());
    }

    KafkaConsumer<String, Long> outputConsumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        KafkaConsumer<String, Long> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new LongDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(WORD_COUNTS, WINDOWED_COUNTS, REGION_CLICKS)) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
