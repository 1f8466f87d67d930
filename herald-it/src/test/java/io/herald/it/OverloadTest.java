package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node in its own small-heap process, under a flood of large pipelined produce requests from many connections:
 * it reads only as much as its memory pool holds (the rest waits in TCP), answers every request, and stays up. And
 * pipelined idempotent batches on one connection keep their order through the request-handler pool.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OverloadTest {
    private static final String HEAP = "-Xmx96m";
    private static final int CONNECTIONS = 16;
    private static final int REQUESTS_PER_CONNECTION = 8;
    private static final int RECORD_BYTES = 1_000_000;

    @TempDir
    static Path dir;

    private static Process server;
    private static String bootstrap;

    @BeforeAll
    static void startSmallHeapNode() throws Exception {
        int brokerPort = TestPorts.free();
        bootstrap = "localhost:" + brokerPort;
        Path config = Scripts.config(dir, "server.properties", brokerPort, TestPorts.free(), dir.resolve("data"));
        Files.writeString(config, "\nnum.io.threads=4\n", java.nio.file.StandardOpenOption.APPEND);
        server = Scripts.startLogged(
                dir.resolve("server.log"),
                Map.of("KAFKA_HEAP_OPTS", HEAP),
                "kafka-server-start.sh",
                config.toString(),
                "--format-if-needed");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() -> !admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .isEmpty());
            admin.createTopics(List.of(
                            new NewTopic("flood", 4, (short) 1)
                                    .configs(Map.of("max.message.bytes", Integer.toString(2 * RECORD_BYTES))),
                            new NewTopic("ordered", 1, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopNode() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void aFloodOfLargeProducesIsAnsweredInFullBySmallHeapNode() throws Exception {
        byte[] value = new byte[RECORD_BYTES];
        new Random(7).nextBytes(value); // incompressible
        List<CompletableFuture<List<Short>>> connections = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int partition = c % 4;
            connections.add(CompletableFuture.supplyAsync(() -> flood(partition, value)));
        }
        long requestedMb = (long) CONNECTIONS * REQUESTS_PER_CONNECTION * RECORD_BYTES >> 20;
        for (CompletableFuture<List<Short>> connection : connections) {
            assertThat(connection.get(180, TimeUnit.SECONDS))
                    .as("answers to %d MB of produce requests sent to a %s node", requestedMb, HEAP)
                    .hasSize(REQUESTS_PER_CONNECTION)
                    .containsOnly(Errors.NONE.code());
        }
        assertThat(server.isAlive()).isTrue();
        assertThat(Files.readString(dir.resolve("server.log"))).doesNotContain("OutOfMemoryError");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long end = 0;
            for (int p = 0; p < 4; p++) {
                end += admin.listOffsets(Map.of(
                                new TopicPartition("flood", p), org.apache.kafka.clients.admin.OffsetSpec.latest()))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(new TopicPartition("flood", p))
                        .offset();
            }
            assertThat(end).isEqualTo((long) CONNECTIONS * REQUESTS_PER_CONNECTION);
        }
    }

    /** One connection: writes all its requests without waiting (pipelined), then reads every answer's error code. */
    private static List<Short> flood(int partition, byte[] value) {
        String[] hostPort = bootstrap.split(":");
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout(120_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            Future<List<Short>> answers = CompletableFuture.supplyAsync(() -> readAnswers(socket));
            for (int i = 0; i < REQUESTS_PER_CONNECTION; i++) {
                ByteBuffer bytes = produceRequest(i + 1, partition, value);
                out.writeInt(bytes.remaining());
                out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            }
            out.flush();
            return answers.get(150, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Short> readAnswers(Socket socket) {
        List<Short> errors = new ArrayList<>();
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int i = 0; i < REQUESTS_PER_CONNECTION; i++) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                ByteBuffer response = ByteBuffer.wrap(frame);
                assertThat(ResponseHeader.parse(response, ApiKeys.PRODUCE.responseHeaderVersion((short) 9))
                                .correlationId())
                        .isEqualTo(i + 1);
                ProduceResponseData data = new ProduceResponseData(new ByteBufferAccessor(response), (short) 9);
                errors.add(data.responses()
                        .iterator()
                        .next()
                        .partitionResponses()
                        .get(0)
                        .errorCode());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return errors;
    }

    private static ByteBuffer produceRequest(int correlationId, int partition, byte[] value) {
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value));
        ProduceRequestData body = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(60_000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("flood");
        topic.partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(records));
        body.topicData().add(topic);
        RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, (short) 9, "flood", correlationId);
        return RequestUtils.serialize(header.data(), header.headerVersion(), body, (short) 9);
    }

    @Test
    void pipelinedIdempotentBatchesKeepTheirOrderThroughTheHandlerPool() throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, "512"); // many small batches, five in flight at a time
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        int count = 3000;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>("ordered", "k", Integer.toString(i))));
            }
            producer.flush();
            for (Future<RecordMetadata> send : sends) {
                send.get(60, TimeUnit.SECONDS); // an OUT_OF_ORDER_SEQUENCE would fail here
            }
        }
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            TopicPartition tp = new TopicPartition("ordered", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.add(record.value());
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(read).isEqualTo(expected);
    }
}
