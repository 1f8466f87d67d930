package io.herald.tools;

import io.herald.tools.perf.MetricsTable;
import io.herald.tools.perf.PerfStats;
import io.herald.tools.perf.Throttler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code kafka-producer-perf-test.sh}: sends {@code --num-records} records of {@code --record-size} random bytes (or
 * payloads from a file, or increasing numbers) at up to {@code --throughput} records/sec, printing Kafka's window and
 * summary lines.
 */
public final class ProducerPerformance {
    private static final String PROG = "producer-performance";

    private ProducerPerformance() {}

    public static void main(String[] args) {
        ToolRunner.main(args, ProducerPerformance::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, KafkaProducer::new, System::currentTimeMillis);
    }

    /** In-process entry point with a chosen producer factory and clock. */
    public static int run(
            String[] args,
            PrintStream out,
            PrintStream err,
            Function<Properties, Producer<byte[], byte[]>> factory,
            LongSupplier clock) {
        return ToolRunner.run(err, () -> execute(args, out, err, factory, clock));
    }

    private record Settings(
            String topic,
            long numRecords,
            long warmupRecords,
            Integer recordSize,
            List<byte[]> payloads,
            boolean monotonic,
            double throughput,
            Properties props,
            boolean printMetrics,
            Long transactionDurationMs) {}

    static OptionParser parser() {
        return new OptionParser()
                .arg("topic", "TOPIC", "produce messages to this topic")
                .arg("num-records", "NUM-RECORDS", "number of messages to produce")
                .arg("record-size", "RECORD-SIZE", "message size in bytes")
                .arg("payload-file", "PAYLOAD-FILE", "UTF-8 file of payloads to pick from at random")
                .flag("payload-monotonic", "payloads are increasing integers")
                .arg("payload-delimiter", "PAYLOAD-DELIMITER", "delimiter of payloads in --payload-file (default: \\n)")
                .arg("throughput", "THROUGHPUT", "approximate maximum messages/sec; -1 for no limit")
                .arg("producer-props", "PROP-NAME=PROP-VALUE", "producer settings (one or more)")
                .arg("producer.config", "CONFIG-FILE", "producer config properties file")
                .arg("bootstrap-server", "BOOTSTRAP-SERVER", "the servers to connect to (sets bootstrap.servers)")
                .flag("print-metrics", "print the producer's metrics at the end")
                .arg("transactional-id", "TRANSACTIONAL-ID", "send in transactions with this id")
                .arg("transaction-duration-ms", "TRANSACTION-DURATION", "commit a transaction after this long")
                .arg("warmup-records", "WARMUP-RECORDS", "records left out of the steady-state statistics")
                .flag("help", "show this help message and exit", "-h");
    }

    /** {@code --producer-props a=b c=d}: Kafka's parser takes every following word until the next option. */
    private static String[] expandProducerProps(String[] args) {
        var result = new ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--producer-props")) {
                int j = i + 1;
                while (j < args.length && !args[j].startsWith("--")) {
                    result.add("--producer-props");
                    result.add(args[j++]);
                }
                if (j == i + 1) {
                    result.add(args[i]);
                }
                i = j - 1;
            } else {
                result.add(args[i]);
            }
        }
        return result.toArray(String[]::new);
    }

    private static CommandException usage(String message) {
        return new CommandException(PROG + ": error: " + message);
    }

    static Settings settings(String[] args, PrintStream out) throws IOException {
        OptionParser parser = parser();
        OptionParser.Parsed opts;
        try {
            opts = parser.parse(expandProducerProps(args));
        } catch (CommandException e) {
            throw usage(e.getMessage());
        }
        // Kafka: help on stdout, exit 1 for --help but 0 when run without arguments.
        if (args.length == 0 || opts.has("help")) {
            out.println("usage: producer-performance [-h] --topic TOPIC --num-records NUM-RECORDS"
                    + " (--record-size RECORD-SIZE | --payload-file PAYLOAD-FILE | --payload-monotonic)"
                    + " --throughput THROUGHPUT [--producer-props PROP-NAME=PROP-VALUE ...]"
                    + " [--producer.config CONFIG-FILE] [--print-metrics] [--transactional-id TRANSACTIONAL-ID]"
                    + " [--transaction-duration-ms TRANSACTION-DURATION] [--warmup-records WARMUP-RECORDS]");
            parser.printUsage(out);
            throw HelpException.exitingWith(args.length == 0 ? 0 : 1);
        }
        for (String required : List.of("topic", "num-records", "throughput")) {
            if (!opts.has(required)) {
                throw usage("argument --" + required + " is required");
            }
        }
        List<String> payloadOpts = List.of("record-size", "payload-file", "payload-monotonic").stream()
                .filter(opts::has)
                .toList();
        if (payloadOpts.isEmpty()) {
            throw usage("one of the arguments --record-size --payload-file --payload-monotonic is required");
        }
        if (payloadOpts.size() > 1) {
            throw usage("argument --" + payloadOpts.get(1) + ": not allowed with argument --" + payloadOpts.get(0));
        }
        long numRecords = opts.longValue("num-records");
        long warmup = Math.max(0, opts.longValue("warmup-records") == null ? 0 : opts.longValue("warmup-records"));
        Integer recordSize = opts.intValue("record-size");
        double throughput;
        try {
            throughput = Double.parseDouble(opts.value("throughput"));
        } catch (NumberFormatException e) {
            throw usage("argument --throughput: could not convert '" + opts.value("throughput") + "' to Double");
        }
        if (numRecords <= 0) {
            throw usage("--num-records should be greater than zero");
        }
        if (warmup >= numRecords) {
            throw usage("The value for --warmup-records must be strictly fewer than the number of records in the"
                    + " test, --num-records.");
        }
        if (recordSize != null && recordSize <= 0) {
            throw usage("--record-size should be greater than zero");
        }
        if (!opts.has("producer-props") && !opts.has("producer.config") && !opts.has("bootstrap-server")) {
            throw usage("Either --producer-props or --producer.config must be specified.");
        }
        Long txDuration = opts.longValue("transaction-duration-ms");
        if (txDuration != null && txDuration <= 0) {
            throw usage("--transaction-duration-ms should be greater than zero");
        }
        var props = new Properties();
        if (opts.has("producer.config")) {
            props.putAll(ServerConfig.loadProperties(opts.value("producer.config")));
        }
        for (String prop : opts.values("producer-props")) {
            String[] kv = prop.split("=");
            if (kv.length != 2) {
                throw new CommandException("Invalid property: " + prop);
            }
            props.put(kv[0], kv[1]);
        }
        if (opts.has("bootstrap-server")) {
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, opts.value("bootstrap-server"));
        }
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "perf-producer-client");
        String txId = opts.value("transactional-id");
        if (txDuration != null || txId != null || props.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
            String id = txId != null
                    ? txId
                    : props.getProperty(
                            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "performance-producer-" + Uuid.randomUuid());
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
            if (txDuration == null) {
                txDuration = 3000L;
            }
        }
        List<byte[]> payloads = new ArrayList<>();
        if (opts.has("payload-file")) {
            Path path = Path.of(opts.value("payload-file"));
            out.println("Reading payloads from: " + path.toAbsolutePath());
            if (!Files.exists(path) || Files.size(path) == 0) {
                throw new CommandException("File does not exist or empty file provided.");
            }
            String delimiter = opts.value("payload-delimiter", "\\n");
            delimiter = delimiter.equals("\\n") ? "\n" : delimiter;
            for (String p : Files.readString(path, StandardCharsets.UTF_8).split(Pattern.quote(delimiter))) {
                if (!p.isEmpty()) {
                    payloads.add(p.getBytes(StandardCharsets.UTF_8));
                }
            }
            out.println("Number of messages read: " + payloads.size());
        }
        return new Settings(
                opts.value("topic"),
                numRecords,
                warmup,
                recordSize,
                payloads,
                opts.has("payload-monotonic"),
                throughput,
                props,
                opts.has("print-metrics"),
                txDuration);
    }

    static int execute(
            String[] args,
            PrintStream out,
            PrintStream err,
            Function<Properties, Producer<byte[], byte[]>> factory,
            LongSupplier clock)
            throws IOException {
        Settings s = settings(args, out);
        try (Producer<byte[], byte[]> producer = factory.apply(s.props())) {
            boolean transactional = s.transactionDurationMs() != null;
            if (transactional) {
                producer.initTransactions();
            }
            if (s.warmupRecords() > 0) {
                out.println("Warmup first " + s.warmupRecords()
                        + " records. Steady state results will print after the complete test summary.");
            }
            var random = new SplittableRandom(0);
            byte[] buffer = s.recordSize() == null ? null : new byte[s.recordSize()];
            long startMs = clock.getAsLong();
            var stats = new PerfStats(false, startMs, out);
            PerfStats[] steady = new PerfStats[1];
            var throttler = new Throttler(s.throughput(), startMs);
            long inTransaction = 0;
            long transactionStart = 0;
            for (long i = 0; i < s.numRecords(); i++) {
                byte[] payload = payload(s, buffer, random, i);
                if (transactional && inTransaction == 0) {
                    producer.beginTransaction();
                    transactionStart = clock.getAsLong();
                }
                long sendStart = clock.getAsLong();
                if (s.warmupRecords() > 0 && i == s.warmupRecords()) {
                    steady[0] = new PerfStats(true, sendStart, out);
                    stats.suppressWindows();
                }
                PerfStats steadyStats = steady[0];
                int size = payload.length;
                producer.send(new ProducerRecord<>(s.topic(), payload), (metadata, e) -> {
                    long now = clock.getAsLong();
                    if (e == null) {
                        // Only successful sends count, so failures cannot inflate the totals.
                        stats.record((int) (now - sendStart), size, now);
                        if (steadyStats != null) {
                            steadyStats.record((int) (now - sendStart), size, now);
                        }
                    } else {
                        err.println(e);
                    }
                });
                inTransaction++;
                if (transactional && s.transactionDurationMs() <= sendStart - transactionStart) {
                    producer.commitTransaction();
                    inTransaction = 0;
                }
                if (throttler.ahead(i + 1, sendStart)) {
                    throttler.pause(i + 1, sendStart);
                }
            }
            if (transactional && inTransaction != 0) {
                producer.commitTransaction();
            }
            producer.flush();
            stats.printTotal(clock.getAsLong());
            if (steady[0] != null) {
                steady[0].printTotal(clock.getAsLong());
            }
            if (s.printMetrics()) {
                MetricsTable.print(producer.metrics(), out);
            }
        }
        return 0;
    }

    private static byte[] payload(Settings s, byte[] buffer, SplittableRandom random, long i) {
        if (!s.payloads().isEmpty()) {
            return s.payloads().get(random.nextInt(s.payloads().size()));
        }
        if (buffer != null) {
            for (int j = 0; j < buffer.length; j++) {
                buffer[j] = (byte) (random.nextInt(26) + 65);
            }
            return buffer;
        }
        return Long.toString(i).getBytes(StandardCharsets.UTF_8);
    }
}
