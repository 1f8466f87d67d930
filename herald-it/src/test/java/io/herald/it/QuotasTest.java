package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quotas enforced as Kafka does, seen by real clients: a producer and a consumer limited to 1 MB/s move data at that
 * rate (throttled, never refused: their throttle-time metrics rise) while unlimited clients on the same broker run
 * much faster; a client that ignores its throttle is not read from until it has passed; an IP limited to three
 * connections gets its fourth closed while the others are served. Short quota
 * windows (2 x 1 s) keep the burst a new client may spend small, so a few seconds measure the steady rate.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QuotasTest {
    private static final double QUOTA_BYTES_PER_SECOND = 1_000_000;
    private static final int RECORD_BYTES = 1_000;
    private static final InetAddress LIMITED_IP = address("127.0.0.2");

    @TempDir
    static Path dataDir;

    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir);
        node.properties().put("quota.window.num", "2");
        node.properties().put("quota.window.size.seconds", "1");
        node.properties().put("max.connections.per.ip.overrides", LIMITED_IP.getHostAddress() + ":3");
        node.start();
        try (Admin admin = Admin.create(node.adminConfig())) {
            admin.createTopics(List.of(
                            new NewTopic("limited-produce", 1, (short) 1),
                            new NewTopic("free-produce", 1, (short) 1),
                            new NewTopic("consume", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            admin.alterClientQuotas(List.of(
                            quota("limited-producer", "producer_byte_rate"),
                            quota("limited-consumer", "consumer_byte_rate"),
                            new ClientQuotaAlteration(
                                    new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "raw-client")),
                                    List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 200_000.0)))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aProducerLimitedToOneMegabytePerSecondProducesAtThatRateWhileAnUnlimitedOneRunsFaster() throws Exception {
        AtomicLong acked = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        try (KafkaProducer<byte[], byte[]> limited = producer("limited-producer")) {
            Thread loop = new Thread(() -> {
                byte[] value = new byte[RECORD_BYTES];
                while (running.get()) {
                    limited.send(new ProducerRecord<>("limited-produce", value), (metadata, error) -> {
                        if (error == null) {
                            acked.addAndGet(RECORD_BYTES);
                        }
                    });
                }
            });
            loop.start();
            try {
                // Past the first throttle, the burst a fresh client may spend is behind us: measure from here.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> metric(limited.metrics(), "produce-throttle-time-avg") > 0);
                long startNanos = System.nanoTime();
                long startBytes = acked.get();
                double unlimitedRate = unlimitedProducerRate(20_000_000);
                long measuredBytes = 8_000_000;
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> acked.get() - startBytes >= measuredBytes);
                double limitedRate = (acked.get() - startBytes) / seconds(System.nanoTime() - startNanos);
                assertThat(limitedRate).isBetween(0.9 * QUOTA_BYTES_PER_SECOND, 1.1 * QUOTA_BYTES_PER_SECOND);
                assertThat(unlimitedRate).isGreaterThan(3 * limitedRate);
                assertThat(metric(limited.metrics(), "produce-throttle-time-avg"))
                        .isPositive();
            } finally {
                running.set(false);
                loop.join(60_000);
            }
        }
    }

    @Test
    void aConsumerLimitedToOneMegabytePerSecondConsumesAtThatRateWhileAnUnlimitedOneRunsFaster() throws Exception {
        int records = 8_000;
        long total = records * (long) RECORD_BYTES;
        try (KafkaProducer<byte[], byte[]> producer = producer("consume-loader")) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("consume", new byte[RECORD_BYTES]));
            }
            producer.flush();
        }
        long unlimitedStart = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> free = consumer("free-consumer", 1024 * 1024)) {
            assertThat(consumeUntil(free, total, () -> false)).isEqualTo(total);
        }
        double unlimitedRate = total / seconds(System.nanoTime() - unlimitedStart);
        try (KafkaConsumer<byte[], byte[]> limited = consumer("limited-consumer", 256 * 1024)) {
            // Past the first throttle, the burst a fresh client may spend is behind us: measure from here.
            long burst = consumeUntil(limited, total, () -> metric(limited.metrics(), "fetch-throttle-time-avg") > 0);
            assertThat(burst).isLessThan(total - 5_000_000);
            long startNanos = System.nanoTime();
            long measured = consumeUntil(limited, 5_000_000, () -> false);
            double limitedRate = measured / seconds(System.nanoTime() - startNanos);
            assertThat(limitedRate).isBetween(0.9 * QUOTA_BYTES_PER_SECOND, 1.1 * QUOTA_BYTES_PER_SECOND);
            assertThat(unlimitedRate).isGreaterThan(3 * limitedRate);
        }
    }

    @Test
    void aClientThatIgnoresItsThrottleIsNotReadFromUntilTheThrottleTimeHasPassed() throws Exception {
        try (RawClient raw = new RawClient(node.bootstrapServers())) {
            // 400 kB against 200 kB/s over a one-second window: about one second of throttle.
            ProduceRequestData produce =
                    new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000);
            produce.topicData()
                    .add(new ProduceRequestData.TopicProduceData()
                            .setName("limited-produce")
                            .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                                    .setIndex(0)
                                    .setRecords(MemoryRecords.withRecords(
                                            Compression.NONE, new SimpleRecord(new byte[400_000]))))));
            ProduceResponseData answer = raw.call(ApiKeys.PRODUCE, 9, produce);
            long answeredNanos = System.nanoTime();
            assertThat(answer.responses()
                            .iterator()
                            .next()
                            .partitionResponses()
                            .get(0)
                            .errorCode())
                    .isEqualTo(Errors.NONE.code());
            assertThat(answer.throttleTimeMs()).isGreaterThan(500);
            // The request goes out at once; the broker reads it only once the throttle time has passed.
            assertServed(raw);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answeredNanos))
                    .isGreaterThanOrEqualTo((long) (answer.throttleTimeMs() * 0.9));
        }
    }

    @Test
    void theFourthConnectionFromAnIpLimitedToThreeIsClosedWhileTheOthersAreServed() throws Exception {
        List<RawClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawClient client = new RawClient(node.bootstrapServers(), LIMITED_IP);
                open.add(client);
                assertServed(client);
            }
            try (RawClient fourth = new RawClient(node.bootstrapServers(), LIMITED_IP)) {
                assertThat(fourth.closedByPeer()).isTrue();
            }
            for (RawClient client : open) {
                assertServed(client);
            }
            try (RawClient otherIp = new RawClient(node.bootstrapServers())) {
                assertServed(otherIp);
            }
            open.remove(0).close();
            // The freed slot is counted back when the broker sees the close: a new connection is served then.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (RawClient again = new RawClient(node.bootstrapServers(), LIMITED_IP)) {
                    assertServed(again);
                }
            });
        } finally {
            for (RawClient client : open) {
                client.close();
            }
        }
    }

    private static void assertServed(RawClient client) throws Exception {
        ApiVersionsResponseData response = client.call(
                ApiKeys.API_VERSIONS,
                3,
                new ApiVersionsRequestData().setClientSoftwareName("quota-test").setClientSoftwareVersion("1"));
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
    }

    private static double unlimitedProducerRate(long totalBytes) {
        long startNanos = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> free = producer("free-producer")) {
            byte[] value = new byte[RECORD_BYTES];
            for (long sent = 0; sent < totalBytes; sent += RECORD_BYTES) {
                free.send(new ProducerRecord<>("free-produce", value));
            }
            free.flush();
        }
        return totalBytes / seconds(System.nanoTime() - startNanos);
    }

    /**
     * Polls until {@code target} bytes of values arrived or {@code done} holds, at most 30 s; returns the bytes read.
     * A tight loop, not Awaitility: its poll interval would cap the fetch rate being measured.
     */
    private static long consumeUntil(
            KafkaConsumer<byte[], byte[]> consumer, long target, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long consumed = 0;
        while (consumed < target && !done.getAsBoolean()) {
            assertThat(System.nanoTime())
                    .as("consumed %d of %d bytes in time", consumed, target)
                    .isLessThan(deadline);
            consumed += bytes(consumer.poll(Duration.ofMillis(100)));
        }
        return consumed;
    }

    private static long bytes(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        long total = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            total += record.value().length;
        }
        return total;
    }

    private static KafkaProducer<byte[], byte[]> producer(String clientId) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // One large request at a time: each gets its exact throttle (pipelined requests would stack theirs).
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        // A small buffer: the limited producer's backlog stays small, so closing it does not wait on the quota.
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(2 * 1024 * 1024));
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String clientId, int fetchBytes) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        // The limited consumer fetches a quarter of its quota at a time: fine-grained enough for a 5 s measurement.
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(fetchBytes));
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition("consume", 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().tags().size() == 1)
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v))
                .max()
                .orElse(0);
    }

    private static ClientQuotaAlteration quota(String clientId, String key) {
        return new ClientQuotaAlteration(
                new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId)),
                List.of(new ClientQuotaAlteration.Op(key, QUOTA_BYTES_PER_SECOND)));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
