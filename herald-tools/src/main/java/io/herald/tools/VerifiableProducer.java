package io.herald.tools;

import io.herald.tools.perf.Throttler;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code kafka-verifiable-producer.sh}: produces increasing integers ({@code 0}, {@code 1}, … or
 * {@code prefix.N}) and prints one JSON event per line: {@code startup_complete}, {@code producer_send_success} or
 * {@code producer_send_error} per record, {@code shutdown_complete}, then {@code tool_data} with totals.
 */
public final class VerifiableProducer {
    private static final String PROG = "verifiable-producer";

    private VerifiableProducer() {}

    public static void main(String[] args) {
        ToolLogging.init();
        var stop = new AtomicBoolean();
        var done = new CountDownLatch(1);
        // Ctrl-C: stop sending, then let the loop close the producer and print its summary.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.set(true);
                            try {
                                done.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "verifiable-producer-shutdown-hook"));
        int code;
        try {
            code = run(args, System.out, System.err, VerifiableProducer::create, System::currentTimeMillis, stop);
        } finally {
            done.countDown();
        }
        System.exit(code);
    }

    private static Producer<String, String> create(Properties props) {
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, VerifiableProducer::create, System::currentTimeMillis, new AtomicBoolean());
    }

    /** In-process entry point with a producer factory, a clock and a stop flag (set it to end early). */
    public static int run(
            String[] args,
            PrintStream out,
            PrintStream err,
            Function<Properties, Producer<String, String>> factory,
            LongSupplier clock,
            AtomicBoolean stop) {
        return ToolRunner.run(err, () -> execute(args, out, factory, clock, stop));
    }

    static int execute(
            String[] args,
            PrintStream out,
            Function<Properties, Producer<String, String>> factory,
            LongSupplier clock,
            AtomicBoolean stop) {
        OptionParser parser = new OptionParser()
                .arg("topic", "TOPIC", "Produce messages to this topic.")
                .arg("bootstrap-server", "HOST1:PORT1[,HOST2:PORT2[...]]", "REQUIRED: The server(s) to connect to.")
                .arg("max-messages", "MAX-MESSAGES", "Produce this many messages (-1: until killed).")
                .arg("throughput", "THROUGHPUT", "If >= 0, about this many messages/sec at most.")
                .arg("acks", "ACKS", "Acks required on each produced message: 0, 1 or -1.")
                .arg("producer.config", "CONFIG-FILE", "Deprecated: use --command-config.")
                .arg("command-config", "CONFIG-FILE", "Producer config properties file.")
                .arg("message-create-time", "CREATE-TIME", "First create time of messages, ms since epoch.")
                .arg("value-prefix", "VALUE-PREFIX", "Prefix each value with this number and a dot.")
                .arg("repeating-keys", "REPEATING-KEYS", "Keys 0..N-1, repeating.")
                .flag("help", "show this help message and exit", "-h");
        OptionParser.Parsed opts = parser.parse(args, PROG);
        if (!opts.has("help") && !opts.has("bootstrap-server")) {
            throw new CommandException(PROG + ": error: one of the arguments --bootstrap-server is required");
        }
        if (opts.has("help")) {
            out.println(
                    "usage: verifiable-producer [-h] --topic TOPIC --bootstrap-server HOST1:PORT1[,HOST2:PORT2[...]]"
                            + " [--max-messages MAX-MESSAGES] [--throughput THROUGHPUT] [--acks ACKS]"
                            + " [--command-config CONFIG-FILE] [--message-create-time CREATE-TIME]"
                            + " [--value-prefix VALUE-PREFIX] [--repeating-keys REPEATING-KEYS]");
            parser.printUsage(out);
            throw HelpException.exitingWith(1);
        }
        if (!opts.has("topic")) {
            throw new CommandException(PROG + ": error: argument --topic is required");
        }
        String acks = opts.value("acks", "-1");
        if (!acks.equals("0") && !acks.equals("1") && !acks.equals("-1")) {
            throw new CommandException(
                    PROG + ": error: argument --acks: invalid choice: '" + acks + "' (choose from 0, 1, -1)");
        }
        if (opts.has("producer.config") && opts.has("command-config")) {
            throw new CommandException("Options --producer.config and --command-config are mutually exclusive.");
        }
        var props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, opts.value("bootstrap-server"));
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.RETRIES_CONFIG, "0"); // a failed send must show up as failed
        if (opts.has("producer.config")) {
            out.println("Option --producer.config has been deprecated and will be removed in a future version. Use"
                    + " --command-config instead.");
            props.putAll(ServerConfig.loadProperties(opts.value("producer.config")));
        }
        if (opts.has("command-config")) {
            props.putAll(ServerConfig.loadProperties(opts.value("command-config")));
        }
        String topic = opts.value("topic");
        long max = opts.intValue("max-messages") == null || opts.intValue("max-messages") < 0
                ? Long.MAX_VALUE
                : opts.intValue("max-messages");
        int throughput = opts.intValue("throughput") == null ? -1 : opts.intValue("throughput");
        Integer prefix = opts.intValue("value-prefix");
        Integer repeatingKeys = opts.intValue("repeating-keys");
        Long createTime = opts.longValue("message-create-time");
        if (createTime != null && createTime == -1L) {
            createTime = null;
        }
        var acked = new AtomicLong();
        long sent = 0;
        long start = clock.getAsLong();
        var throttler = new Throttler(throughput, start);
        try (Producer<String, String> producer = factory.apply(props)) {
            event(out, clock, "startup_complete", Map.of());
            int keyCounter = 0;
            for (long i = 0; i < max && !stop.get(); i++) {
                long sendStart = clock.getAsLong();
                String key = null;
                if (repeatingKeys != null) {
                    key = Integer.toString(keyCounter++);
                    if (keyCounter == repeatingKeys) {
                        keyCounter = 0;
                    }
                }
                String value = prefix == null ? Long.toString(i) : prefix + "." + i;
                ProducerRecord<String, String> record = createTime == null
                        ? new ProducerRecord<>(topic, key, value)
                        : new ProducerRecord<>(topic, null, createTime + (sendStart - start), key, value);
                sent++;
                String k = key;
                try {
                    producer.send(record, (metadata, e) -> {
                        synchronized (out) {
                            if (e == null) {
                                acked.incrementAndGet();
                                var fields = new LinkedHashMap<String, Object>();
                                // Kafka 4.1's field order (the error event names the topic first).
                                fields.put("key", k);
                                fields.put("value", value);
                                fields.put("partition", metadata.partition());
                                fields.put("offset", metadata.offset());
                                fields.put("topic", metadata.topic());
                                event(out, clock, "producer_send_success", fields);
                            } else {
                                event(out, clock, "producer_send_error", failure(k, value, topic, e));
                            }
                        }
                    });
                } catch (RuntimeException e) {
                    synchronized (out) {
                        event(out, clock, "producer_send_error", failure(key, value, topic, e));
                    }
                }
                if (throughput >= 0 && throttler.ahead(i + 1, sendStart)) {
                    throttler.pause(i + 1, sendStart);
                }
            }
        }
        event(out, clock, "shutdown_complete", Map.of());
        long elapsed = Math.max(1, clock.getAsLong() - start);
        var data = new LinkedHashMap<String, Object>();
        data.put("sent", sent);
        data.put("acked", acked.get());
        data.put("target_throughput", (long) throughput);
        data.put("avg_throughput", 1000 * (acked.get() / (double) elapsed));
        event(out, clock, "tool_data", data);
        return 0;
    }

    private static Map<String, Object> failure(String key, String value, String topic, Exception e) {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("topic", topic);
        fields.put("key", key);
        fields.put("value", value);
        fields.put("exception", e.getClass().toString());
        fields.put("message", e.getMessage());
        return fields;
    }

    /** One JSON line: {@code timestamp} and {@code name} first, then the event's fields. */
    private static void event(PrintStream out, LongSupplier clock, String name, Map<String, Object> fields) {
        var json = new LinkedHashMap<String, Object>();
        json.put("timestamp", clock.getAsLong());
        json.put("name", name);
        json.putAll(fields);
        out.println(Json.write(json));
    }
}
