package io.herald.tools;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongSupplier;
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

    static int execute(String[] args, PrintStream out, Clients clients, LongSupplier nanos) throws Exception {
        if (args.length != 5 && args.length != 6) {
            throw new CommandException("USAGE: java org.apache.kafka.tools.EndToEndLatency broker_list topic"
                    + " num_messages producer_acks message_size_bytes [optional] properties_file");
        }
        String brokers = args[0];
        String topic = args[1];
        int count;
        int size;
        try {
            count = Integer.parseInt(args[2]);
            size = Integer.parseInt(args[4]);
        } catch (NumberFormatException e) {
            throw new CommandException("For input string: \"" + e.getMessage() + "\"");
        }
        String acks = args[3];
        if (!acks.equals("1") && !acks.equals("all")) {
            throw new CommandException("Latency testing requires synchronous acknowledgement. Please use 1 or all");
        }
        String propsFile = args.length > 5 && !args[5].isBlank() ? args[5] : null;

        Properties consumerProps = base(propsFile, brokers);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "test-group-" + System.currentTimeMillis());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "0"); // no batching delay in the measurement
        Properties producerProps = base(propsFile, brokers);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Long.MAX_VALUE));
        producerProps.put(ProducerConfig.ACKS_CONFIG, acks);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        try (Consumer<byte[], byte[]> consumer = clients.consumers().apply(consumerProps);
                Producer<byte[], byte[]> producer = clients.producers().apply(producerProps)) {
            if (!consumer.listTopics().containsKey(topic)) {
                out.printf(
                        "Topic \"%s\" does not exist. Will create topic with %d partition(s) and replication factor"
                                + " = %d%n",
                        topic, 1, 1);
                try (Admin admin = clients.admins().create(base(propsFile, brokers))) {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                            .all()
                            .get();
                } catch (Exception e) {
                    out.printf("Creation of topic %s failed%n", topic);
                    throw e;
                }
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            consumer.assignment().forEach(consumer::position);

            long[] latencies = new long[count];
            double total = 0;
            var random = new Random(0);
            for (int i = 0; i < count; i++) {
                byte[] message = new byte[size];
                Arrays.fill(message, (byte) (random.nextInt(26) + 65));
                long begin = nanos.getAsLong();
                producer.send(new ProducerRecord<>(topic, message)).get();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(POLL_TIMEOUT_MS));
                long elapsed = nanos.getAsLong() - begin;
                check(consumer, message, records);
                if (i % 1000 == 0) {
                    out.println(i + "\t" + elapsed / 1000.0 / 1000.0);
                }
                total += elapsed;
                latencies[i] = elapsed / 1000 / 1000;
            }
            out.printf("Avg latency: %.4f ms%n", total / count / 1000.0 / 1000.0);
            Arrays.sort(latencies);
            out.printf(
                    "Percentiles: 50th = %d, 99th = %d, 99.9th = %d%n",
                    latencies[(int) (count * 0.5)], latencies[(int) (count * 0.99)], latencies[(int) (count * 0.999)]);
        }
        return 0;
    }

    private static Properties base(String file, String brokers) {
        Properties p = file == null ? new Properties() : ServerConfig.loadProperties(file);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return p;
    }

    /** Exactly the message just sent must come back. */
    private static void check(Consumer<byte[], byte[]> consumer, byte[] sent, ConsumerRecords<byte[], byte[]> got) {
        if (got.isEmpty()) {
            consumer.commitSync();
            throw new CommandException("poll() timed out before finding a result (timeout:[" + POLL_TIMEOUT_MS + "])");
        }
        String expected = new String(sent, StandardCharsets.UTF_8);
        String read = new String(got.iterator().next().value(), StandardCharsets.UTF_8);
        if (!read.equals(expected)) {
            consumer.commitSync();
            throw new CommandException(
                    "The message read [" + read + "] did not match the message sent [" + expected + "]");
        }
        if (got.count() != 1) {
            consumer.commitSync();
            throw new CommandException("Only one result was expected during this test. We found [" + got.count() + "]");
        }
    }
}
