package io.herald.tools;

import io.herald.tools.perf.ConsumeMeter;
import io.herald.tools.perf.MetricsTable;
import java.io.PrintStream;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code kafka-consumer-perf-test.sh}: consumes {@code --messages} records as a group member and prints Kafka's CSV
 * style summary ({@code start.time, end.time, data.consumed.in.MB, MB.sec, ...}), with optional per-interval lines.
 */
public final class ConsumerPerformance {
    private ConsumerPerformance() {}

    public static void main(String[] args) {
        ToolRunner.main(args, ConsumerPerformance::run);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, KafkaConsumer::new, System::currentTimeMillis);
    }

    public static int run(
            String[] args,
            PrintStream out,
            PrintStream err,
            Function<Properties, Consumer<byte[], byte[]>> factory,
            LongSupplier clock) {
        return ToolRunner.run(err, () -> execute(args, out, factory, clock));
    }

    static OptionParser parser() {
        return new OptionParser()
                .arg("bootstrap-server", "server to connect to", "REQUIRED: The server(s) to connect to.")
                .arg("topic", "topic", "The topic to consume from.")
                .arg("include", "Java regex (String)", "A regular expression of the topics to consume.")
                .arg("group", "gid", "The group id to consume on (default: perf-consumer-NNNNN).")
                .arg("fetch-size", "size", "max.partition.fetch.bytes (default: 1048576).")
                .flag("from-latest", "Without a committed offset, start at the latest message.")
                .arg("socket-buffer-size", "size", "receive.buffer.bytes (default: 2097152).")
                .arg("consumer.config", "config file", "Consumer config properties file.")
                .arg("command-config", "config file", "Same as --consumer.config.")
                .flag("print-metrics", "Print out the metrics.")
                .flag("show-detailed-stats", "Print stats for each reporting interval.")
                .arg("timeout", "milliseconds", "The maximum time between returned records (default: 10000).")
                .arg("messages", "count", "REQUIRED: The number of messages to consume.")
                .arg("reporting-interval", "interval_ms", "Progress interval in ms (default: 5000).")
                .arg("date-format", "date format", "SimpleDateFormat pattern (default: yyyy-MM-dd HH:mm:ss:SSS).")
                .flag("hide-header", "Skip the stats header.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
    }

    static int execute(
            String[] args,
            PrintStream out,
            Function<Properties, Consumer<byte[], byte[]>> factory,
            LongSupplier clock) {
        OptionParser parser = parser();
        OptionParser.Parsed opts = parser.parse(args);
        parser.printHelpOrVersion(args, opts, "Measures how fast a consumer reads.", out);
        opts.require("messages");
        if (opts.has("topic") == opts.has("include")) {
            throw new CommandException("Exactly one of the following arguments is required: [topic], [include]");
        }
        opts.require("bootstrap-server");
        long reportingInterval =
                opts.longValue("reporting-interval") == null ? 5000 : opts.longValue("reporting-interval");
        if (reportingInterval <= 0) {
            throw new CommandException("Reporting interval must be greater than 0.");
        }
        long timeout = opts.longValue("timeout") == null ? 10_000 : opts.longValue("timeout");
        long wanted = opts.longValue("messages");
        boolean detailed = opts.has("show-detailed-stats");
        var dateFormat = new SimpleDateFormat(opts.value("date-format", "yyyy-MM-dd HH:mm:ss:SSS"));

        var props = new Properties();
        for (String file : new String[] {opts.value("consumer.config"), opts.value("command-config")}) {
            if (file != null) {
                props.putAll(ServerConfig.loadProperties(file));
            }
        }
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, opts.value("bootstrap-server"));
        props.put(
                ConsumerConfig.GROUP_ID_CONFIG,
                opts.value(
                        "group", "perf-consumer-" + ThreadLocalRandom.current().nextInt(100_000)));
        props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, opts.value("socket-buffer-size", "2097152"));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, opts.value("fetch-size", "1048576"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, opts.has("from-latest") ? "latest" : "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.CHECK_CRCS_CONFIG, "false");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "perf-consumer-client");

        if (!opts.has("hide-header")) {
            out.println((detailed ? "time, threadId" : "start.time, end.time")
                    + ", data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,"
                    + " fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec");
        }
        try (Consumer<byte[], byte[]> consumer = factory.apply(props)) {
            var meter = new ConsumeMeter(clock, dateFormat, clock.getAsLong());
            if (opts.has("topic")) {
                consumer.subscribe(List.of(opts.value("topic")), meter);
            } else {
                consumer.subscribe(Pattern.compile(opts.value("include")), meter);
            }
            long lastRecordMs = clock.getAsLong();
            long now = lastRecordMs;
            while (meter.messages() < wanted && now - lastRecordMs <= timeout) {
                var records = consumer.poll(Duration.ofMillis(100));
                now = clock.getAsLong();
                lastRecordMs = records.isEmpty() ? lastRecordMs : now;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    meter.count(r);
                    // Within a batch the clock reading is the same, so at most one report per poll.
                    if (meter.reportDue(now, reportingInterval)) {
                        String line = meter.progress(now);
                        if (detailed) {
                            out.println(line);
                        }
                    }
                }
            }
            if (meter.messages() < wanted) {
                out.printf(
                        "WARNING: Exiting before consuming the expected number of messages: timeout (%d ms) exceeded."
                                + " You can use the --timeout option to increase the timeout.%n",
                        timeout);
            }
            long end = clock.getAsLong();
            if (!detailed) {
                out.println(meter.summary(end));
            }
            if (opts.has("print-metrics")) {
                MetricsTable.print(consumer.metrics(), out);
            }
        }
        return 0;
    }
}
