package io.herald.tools;

import io.herald.tools.perf.LatencyHistogram;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code kafka-e2e-latency.sh broker_list topic num_messages producer_acks message_size_bytes [properties_file]}:
 * sends each message synchronously, polls it back, and prints progress every 1000 messages, then the average
 * latency and the 50th/99th/99.9th percentiles, as Kafka does.
 */
public final class EndToEndLatency {
    private static final long POLL_TIMEOUT_MS = 60_000;

    private EndToEndLatency() {}

    /** The clients the tool uses; tests supply mocks. */
    public record Clients(
            Function<Properties, Producer<byte[], byte[]>> producers,
            Function<Properties, Consumer<byte[], byte[]>> consumers,
            AdminFactory admins) {
        static final Clients KAFKA = new Clients(KafkaProducer::new, KafkaConsumer::new, AdminFactory.DEFAULT);
    }

    public static void main(String[] args) {
        ToolRunner.main(args, EndToEndLatency::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Clients.KAFKA, System::nanoTime);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, Clients clients, LongSupplier nanos) {
        return ToolRunner.run(err, () -> execute(args, out, clients, nanos));
    }

    /** The command line: five or six positional arguments. */
    private record Settings(String brokers, String topic, int messages, String acks, int size, String propsFile) {
        static Settings of(String[] args) {
            if (args.length != 5 && args.length != 6) {
                throw new CommandException("USAGE: java org.apache.kafka.tools.EndToEndLatency broker_list topic"
                        + " num_messages producer_acks message_size_bytes [optional] properties_file");
            }
            int messages = number(args[2]);
            int size = number(args[4]);
            if (!List.of("1", "all").contains(args[3])) {
                throw new CommandException("Latency testing requires synchronous acknowledgement. Please use 1 or all");
            }
            String file = args.length == 6 && !args[5].isBlank() ? args[5] : null;
            return new Settings(args[0], args[1], messages, args[3], size, file);
        }

        private static int number(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new CommandException("For input string: \"" + e.getMessage() + "\"");
            }
        }

        /** The properties file (if any) with the bootstrap servers and {@code fixed} over it. */
        Properties clientProps(Map<String, String> fixed) {
            Properties props = propsFile == null ? new Properties() : ServerConfig.loadProperties(propsFile);
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers);
            props.putAll(fixed);
            return props;
        }
    }

    /** A consumer that sees only what is sent from now on, as fast as the broker can hand it over. */
    private static Map<String, String> consumerSettings() {
        return Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-group-" + System.currentTimeMillis(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                "0",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
    }

    /** A producer that sends each record at once and never gives up waiting for metadata. */
    private static Map<String, String> producerSettings(String acks) {
        return Map.of(
                ProducerConfig.ACKS_CONFIG, acks,
                ProducerConfig.LINGER_MS_CONFIG, "0",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Long.MAX_VALUE),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    static int execute(String[] args, PrintStream out, Clients clients, LongSupplier nanos) throws Exception {
        Settings s = Settings.of(args);
        try (Consumer<byte[], byte[]> consumer = clients.consumers().apply(s.clientProps(consumerSettings()));
                Producer<byte[], byte[]> producer =
                        clients.producers().apply(s.clientProps(producerSettings(s.acks())))) {
            ensureTopic(s, consumer, clients.admins(), out);
            listenFromEnd(consumer, s.topic());
            var latencies = new LatencyHistogram();
            double totalNanos = 0;
            var letters = new Random(0);
            for (int i = 0; i < s.messages(); i++) {
                byte[] message = letters(letters, s.size());
                long began = nanos.getAsLong();
                producer.send(new ProducerRecord<>(s.topic(), message)).get();
                ConsumerRecords<byte[], byte[]> got = consumer.poll(Duration.ofMillis(POLL_TIMEOUT_MS));
                long took = nanos.getAsLong() - began;
                String problem = problem(message, got);
                if (problem != null) {
                    consumer.commitSync();
                    throw new CommandException(problem);
                }
                if (i % 1000 == 0) {
                    out.println(i + "\t" + took / 1000.0 / 1000.0);
                }
                totalNanos += took;
                latencies.record(took / 1_000_000);
            }
            out.printf("Avg latency: %.4f ms%n", totalNanos / s.messages() / 1000.0 / 1000.0);
            out.printf(
                    "Percentiles: 50th = %d, 99th = %d, 99.9th = %d%n",
                    latencies.quantile(0.5), latencies.quantile(0.99), latencies.quantile(0.999));
        }
        return 0;
    }

    /** Creates the topic (one partition, one replica) when the cluster does not know it. */
    private static void ensureTopic(Settings s, Consumer<byte[], byte[]> consumer, AdminFactory admins, PrintStream out)
            throws Exception {
        if (consumer.listTopics().containsKey(s.topic())) {
            return;
        }
        out.printf(
                "Topic \"%s\" does not exist. Will create topic with %d partition(s) and replication factor = %d%n",
                s.topic(), 1, 1);
        try (Admin admin = admins.create(s.clientProps(Map.of()))) {
            admin.createTopics(List.of(new NewTopic(s.topic(), 1, (short) 1)))
                    .all()
                    .get();
        } catch (Exception e) {
            out.printf("Creation of topic %s failed%n", s.topic());
            throw e;
        }
    }

    /** Assigns every partition of the topic, positioned (eagerly) at its end. */
    private static void listenFromEnd(Consumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    private static byte[] letters(Random random, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('A' + random.nextInt(26));
        }
        return bytes;
    }

    /** What is wrong with the poll's answer to {@code sent} (which must come back alone), or null. */
    static String problem(byte[] sent, ConsumerRecords<byte[], byte[]> got) {
        if (got.isEmpty()) {
            return "poll() timed out before finding a result (timeout:[" + POLL_TIMEOUT_MS + "])";
        }
        String expected = new String(sent, StandardCharsets.UTF_8);
        String read = new String(got.iterator().next().value(), StandardCharsets.UTF_8);
        if (!read.equals(expected)) {
            return "The message read [" + read + "] did not match the message sent [" + expected + "]";
        }
        return got.count() == 1
                ? null
                : "Only one result was expected during this test. We found [" + got.count() + "]";
    }
}
