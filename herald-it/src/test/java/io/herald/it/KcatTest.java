package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * librdkafka, a second independent client (through kcat): metadata (plain and JSON), keys, headers and explicit
 * partitions under every codec, offsets and timestamps (-Q, -o with offsets, relative offsets, s@ and e@), -e at the
 * end, and librdkafka's idempotent producer.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KcatTest {
    @TempDir
    static Path dataDir;

    static TestNode node;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.combined(dataDir).start();
        admin = Admin.create(node.adminConfig());
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    static String kcat(String input, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("kcat", "-b", node.bootstrapServers()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void kcatProducesAndConsumesKeyedRecords() throws Exception {
        createTopic("kcat", 3);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            input.append("key")
                    .append(i % 7)
                    .append(':')
                    .append("value-")
                    .append(i)
                    .append('\n');
        }
        kcat(input.toString(), "-P", "-t", "kcat", "-K:", "-z", "lz4");
        String consumed = kcat(null, "-C", "-t", "kcat", "-o", "beginning", "-e", "-q", "-f", "%k:%s:%p\\n");
        List<String> lines = consumed.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(300);
        java.util.Map<String, String> partitionOfKey = new java.util.HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(":");
            String previous = partitionOfKey.put(parts[0], parts[2]);
            assertThat(previous == null || previous.equals(parts[2]))
                    .as("same key, same partition")
                    .isTrue();
        }
        String metadata = kcat(null, "-L", "-t", "kcat");
        assertThat(metadata).contains("topic \"kcat\" with 3 partitions");
    }

    static void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                .all()
                .get();
    }

    static List<String> lines(String output) {
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void kcatListsMetadataPlainAndAsJson() throws Exception {
        createTopic("kcat-meta", 2);
        String plain = kcat(null, "-L");
        assertThat(plain)
                .contains(" 1 brokers:", "broker 1 at " + node.bootstrapServers() + " (controller)")
                .contains("topic \"kcat-meta\" with 2 partitions:")
                .contains("partition 0, leader 1, replicas: 1, isrs: 1")
                .contains("partition 1, leader 1, replicas: 1, isrs: 1");
        String json = kcat(null, "-L", "-J", "-t", "kcat-meta");
        assertThat(json)
                .contains("\"controllerid\":1", "\"brokers\":[{\"id\":1,\"name\":\"" + node.bootstrapServers() + "\"}]")
                .contains("\"topic\":\"kcat-meta\",\"partitions\":[")
                .contains("{\"partition\":0,\"leader\":1,\"replicas\":[{\"id\":1}],\"isrs\":[{\"id\":1}]}")
                .contains("{\"partition\":1,\"leader\":1,\"replicas\":[{\"id\":1}],\"isrs\":[{\"id\":1}]}");
    }

    @Test
    void metadataForAnUnknownTopicCreatesItAnsweringUnknownTopicMeanwhileAsKafka() throws Exception {
        String first = kcat(null, "-L", "-t", "kcat-auto-created");
        assertThat(first).contains("topic \"kcat-auto-created\" with 0 partitions: Broker: Unknown topic or partition");
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> kcat(null, "-L", "-t", "kcat-auto-created")
                        .contains("topic \"kcat-auto-created\" with 1 partitions:"));
    }

    @Test
    void kcatProducesKeysHeadersAndPartitionsUnderEveryCodec() throws Exception {
        createTopic("kcat-codecs", 4);
        List<String> codecs = List.of("none", "gzip", "snappy", "lz4", "zstd");
        for (int p = 0; p < codecs.size(); p++) {
            String codec = codecs.get(p);
            String input = "k1:" + codec + "-a\nk2:" + codec + "-b\n:" + codec + "-c\n";
            kcat(
                    input,
                    "-P",
                    "-t",
                    "kcat-codecs",
                    "-K:",
                    "-z",
                    codec,
                    "-p",
                    Integer.toString(p % 4),
                    "-H",
                    "codec=" + codec,
                    "-H",
                    "n=" + p);
        }
        String consumed =
                kcat(null, "-C", "-t", "kcat-codecs", "-o", "beginning", "-e", "-q", "-f", "%p|%o|%k|%s|%h\\n");
        assertThat(lines(consumed))
                .containsExactlyInAnyOrder(
                        "0|0|k1|none-a|codec=none,n=0",
                        "0|1|k2|none-b|codec=none,n=0",
                        "0|2||none-c|codec=none,n=0",
                        "1|0|k1|gzip-a|codec=gzip,n=1",
                        "1|1|k2|gzip-b|codec=gzip,n=1",
                        "1|2||gzip-c|codec=gzip,n=1",
                        "2|0|k1|snappy-a|codec=snappy,n=2",
                        "2|1|k2|snappy-b|codec=snappy,n=2",
                        "2|2||snappy-c|codec=snappy,n=2",
                        "3|0|k1|lz4-a|codec=lz4,n=3",
                        "3|1|k2|lz4-b|codec=lz4,n=3",
                        "3|2||lz4-c|codec=lz4,n=3",
                        "0|3|k1|zstd-a|codec=zstd,n=4",
                        "0|4|k2|zstd-b|codec=zstd,n=4",
                        "0|5||zstd-c|codec=zstd,n=4");
    }

    @Test
    void kcatFindsOffsetsByTimeAndConsumesFromOffsets() throws Exception {
        createTopic("kcat-offsets", 1);
        long baseMs = System.currentTimeMillis() - 3_600_000;
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, node.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("kcat-offsets", 0, baseMs + i * 1000L, "k" + i, "v" + i));
            }
            producer.flush();
        }
        // The earliest offset whose timestamp is at or after the one asked for; -1 past the last; -1 and -2 = end,
        // start.
        assertThat(kcat(null, "-Q", "-t", "kcat-offsets:0:" + (baseMs + 3000))).contains("kcat-offsets [0] offset 3");
        assertThat(kcat(null, "-Q", "-t", "kcat-offsets:0:" + (baseMs + 3500))).contains("kcat-offsets [0] offset 4");
        assertThat(kcat(null, "-Q", "-t", "kcat-offsets:0:" + (baseMs + 60_000)))
                .contains("kcat-offsets [0] offset -1");
        assertThat(kcat(null, "-Q", "-t", "kcat-offsets:0:-1")).contains("kcat-offsets [0] offset 10");
        assertThat(kcat(null, "-Q", "-t", "kcat-offsets:0:-2")).contains("kcat-offsets [0] offset 0");

        String format = "%o:%s\\n";
        assertThat(lines(kcat(null, "-C", "-t", "kcat-offsets", "-o", "7", "-e", "-q", "-f", format)))
                .containsExactly("7:v7", "8:v8", "9:v9");
        assertThat(lines(kcat(null, "-C", "-t", "kcat-offsets", "-o", "-2", "-e", "-q", "-f", format)))
                .containsExactly("8:v8", "9:v9");
        assertThat(lines(kcat(null, "-C", "-t", "kcat-offsets", "-o", "beginning", "-c", "2", "-q", "-f", format)))
                .containsExactly("0:v0", "1:v1");
        assertThat(lines(kcat(null, "-C", "-t", "kcat-offsets", "-o", "end", "-e", "-q", "-f", format)))
                .isEmpty();
        assertThat(lines(kcat(
                        null,
                        "-C",
                        "-t",
                        "kcat-offsets",
                        "-o",
                        "s@" + (baseMs + 5000),
                        "-o",
                        "e@" + (baseMs + 8000),
                        "-q",
                        "-f",
                        format)))
                .containsExactly("5:v5", "6:v6", "7:v7");
    }

    @Test
    void kcatIdempotentProducerGetsAProducerIdAndSequences() throws Exception {
        createTopic("kcat-idempotent", 2);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            input.append("key").append(i % 5).append(':').append(i).append('\n');
        }
        kcat(input.toString(), "-P", "-t", "kcat-idempotent", "-K:", "-z", "zstd", "-X", "enable.idempotence=true");
        List<String> consumed =
                lines(kcat(null, "-C", "-t", "kcat-idempotent", "-o", "beginning", "-e", "-q", "-f", "%s\\n"));
        assertThat(consumed).hasSize(200).doesNotHaveDuplicates();
        List<TopicPartition> partitions =
                List.of(new TopicPartition("kcat-idempotent", 0), new TopicPartition("kcat-idempotent", 1));
        var producers = admin.describeProducers(partitions).all().get();
        long records = 0;
        for (TopicPartition tp : partitions) {
            var states = producers.get(tp).activeProducers();
            long end = admin.listOffsets(java.util.Map.of(tp, OffsetSpec.latest()))
                    .all()
                    .get()
                    .get(tp)
                    .offset();
            records += end;
            if (end > 0) {
                // One producer id, its sequence counting every record it wrote here (from 0).
                assertThat(states).hasSize(1);
                assertThat(states.get(0).producerId()).isNotNegative();
                assertThat(states.get(0).lastSequence()).isEqualTo(end - 1);
            }
        }
        assertThat(records).isEqualTo(200);
    }
}
