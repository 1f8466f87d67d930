package io.herald.tools;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code kafka-verifiable-consumer.sh}: consumes a topic as a group member and prints one JSON event per line:
 * {@code startup_complete}, {@code partitions_assigned}/{@code partitions_revoked}, {@code records_consumed} per
 * poll (and {@code record_data} per record with {@code --verbose}), {@code offsets_committed} when committing
 * manually, and {@code shutdown_complete}.
 */
public final class VerifiableConsumer {
    private static final String PROG = "verifiable-consumer";

    private VerifiableConsumer() {}

    public static void main(String[] args) {
        ToolLogging.init();
        var done = new CountDownLatch(1);
        Consumer<org.apache.kafka.clients.consumer.Consumer<String, String>> onStart = consumer -> Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (done.getCount() == 0) {
                                return;
                            }
                            try {
                                consumer.wakeup();
                                done.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (RuntimeException e) {
                                // already closed
                            }
                        },
                        "verifiable-consumer-shutdown-hook"));
        int code;
        try {
            code = run(args, System.out, System.err, VerifiableConsumer::create, System::currentTimeMillis, onStart);
        } finally {
            done.countDown();
        }
        System.exit(code);
    }

    private static org.apache.kafka.clients.consumer.Consumer<String, String> create(Properties props) {
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, VerifiableConsumer::create, System::currentTimeMillis, c -> {});
    }

    /** In-process entry point; {@code onStart} receives the consumer (e.g. to wake it up from another thread). */
    public static int run(
            String[] args,
            PrintStream out,
            PrintStream err,
            Function<Properties, org.apache.kafka.clients.consumer.Consumer<String, String>> factory,
            LongSupplier clock,
            Consumer<org.apache.kafka.clients.consumer.Consumer<String, String>> onStart) {
        return ToolRunner.run(err, () -> execute(args, out, factory, clock, onStart));
    }

    static int execute(
            String[] args,
            PrintStream out,
            Function<Properties, org.apache.kafka.clients.consumer.Consumer<String, String>> factory,
            LongSupplier clock,
            Consumer<org.apache.kafka.clients.consumer.Consumer<String, String>> onStart) {
        OptionParser parser = new OptionParser()
                .arg("bootstrap-server", "HOST1:PORT1[,HOST2:PORT2[...]]", "REQUIRED: The server(s) to connect to.")
                .arg("broker-list", "HOST1:PORT1[,HOST2:PORT2[...]]", "Deprecated: use --bootstrap-server.")
                .arg("topic", "TOPIC", "Consumes messages from this topic.")
                .arg("group-protocol", "GROUP_PROTOCOL", "classic (default) or consumer.")
                .arg(
                        "group-remote-assignor",
                        "GROUP_REMOTE_ASSIGNOR",
                        "With --group-protocol consumer: the server" + " assignor.")
                .arg("group-id", "GROUP_ID", "The consumer group to join.")
                .arg(
                        "group-instance-id",
                        "GROUP_INSTANCE_ID",
                        "A static member id (group.instance.id) for this consumer.")
                .arg("max-messages", "MAX-MESSAGES", "Consume this many messages (-1: until killed).")
                .arg("session-timeout", "TIMEOUT_MS", "The consumer's session timeout (default: 30000).")
                .flag("verbose", "Print every consumed record.")
                .flag("enable-autocommit", "Let the consumer commit offsets automatically.")
                .arg("reset-policy", "RESET_POLICY", "earliest (default), latest or none.")
                .arg("assignment-strategy", "ASSIGNMENT_STRATEGY", "With the classic protocol: the assignor class.")
                .arg("consumer.config", "CONFIG_FILE", "Consumer config properties file.")
                .arg("command-config", "CONFIG_FILE", "Same as --consumer.config.")
                .flag("help", "show this help message and exit", "-h");
        OptionParser.Parsed opts = parser.parse(args, PROG);
        String bootstrap = opts.value("bootstrap-server", opts.value("broker-list"));
        if (!opts.has("help") && bootstrap == null) {
            throw new CommandException(PROG + ": error: one of the arguments --bootstrap-server is required");
        }
        if (opts.has("help")) {
            out.println("usage: verifiable-consumer [-h] --bootstrap-server HOST1:PORT1[,HOST2:PORT2[...]]"
                    + " --topic TOPIC --group-id GROUP_ID [--max-messages MAX-MESSAGES] [--verbose]"
                    + " [--enable-autocommit] [--reset-policy RESET_POLICY]");
            parser.printUsage(out);
            throw HelpException.exitingWith(1);
        }
        for (String required : List.of("topic", "group-id")) {
            if (!opts.has(required)) {
                throw new CommandException(PROG + ": error: argument --" + required + " is required");
            }
        }
        var props = new Properties();
        for (String file : new String[] {opts.value("consumer.config"), opts.value("command-config")}) {
            if (file != null) {
                props.putAll(ServerConfig.loadProperties(file));
            }
        }
        String protocol = opts.value("group-protocol", "classic");
        if (protocol.toLowerCase(Locale.ROOT).equals("consumer")) {
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
            if (opts.has("group-remote-assignor")) {
                props.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, opts.value("group-remote-assignor"));
            }
        } else {
            props.put(
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    opts.value("assignment-strategy", RangeAssignor.class.getName()));
        }
        props.put(ConsumerConfig.GROUP_ID_CONFIG, opts.value("group-id"));
        if (opts.has("group-instance-id")) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, opts.value("group-instance-id"));
        }
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        boolean autoCommit = opts.has("enable-autocommit");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, Boolean.toString(autoCommit));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, opts.value("reset-policy", "earliest"));
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, opts.value("session-timeout", "30000"));
        int max = opts.intValue("max-messages") == null ? -1 : opts.intValue("max-messages");
        boolean verbose = opts.has("verbose");

        var events = new Events(out, clock);
        var consumer = factory.apply(props);
        onStart.accept(consumer);
        int consumed = 0;
        try {
            events.print("startup_complete", Map.of());
            consumer.subscribe(List.of(opts.value("topic")), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    events.print("partitions_revoked", Map.of("partitions", partitions(partitions)));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    events.print("partitions_assigned", Map.of("partitions", partitions(partitions)));
                }
            });
            while (max < 0 || consumed < max) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(Long.MAX_VALUE));
                var offsets = new HashMap<TopicPartition, OffsetAndMetadata>();
                var summaries = new ArrayList<Object>();
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<String, String>> batch = records.records(tp);
                    if (max >= 0 && consumed + batch.size() > max) {
                        batch = batch.subList(0, max - consumed);
                    }
                    if (batch.isEmpty()) {
                        continue;
                    }
                    long first = batch.get(0).offset();
                    long last = batch.get(batch.size() - 1).offset();
                    offsets.put(tp, new OffsetAndMetadata(last + 1));
                    var summary = new LinkedHashMap<String, Object>();
                    summary.put("topic", tp.topic());
                    summary.put("partition", tp.partition());
                    summary.put("count", (long) batch.size());
                    summary.put("minOffset", first);
                    summary.put("maxOffset", last);
                    summaries.add(summary);
                    if (verbose) {
                        for (ConsumerRecord<String, String> r : batch) {
                            var data = new LinkedHashMap<String, Object>();
                            data.put("key", r.key());
                            data.put("value", r.value());
                            data.put("topic", r.topic());
                            data.put("partition", r.partition());
                            data.put("offset", r.offset());
                            events.print("record_data", data);
                        }
                    }
                    consumed += batch.size();
                    if (max >= 0 && consumed >= max) {
                        break;
                    }
                }
                var fields = new LinkedHashMap<String, Object>();
                fields.put("count", (long) records.count());
                fields.put("partitions", summaries);
                events.print("records_consumed", fields);
                if (!autoCommit) {
                    commit(consumer, offsets, events);
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C: close below.
        } finally {
            consumer.close();
            events.print("shutdown_complete", Map.of());
        }
        return 0;
    }

    private static void commit(
            org.apache.kafka.clients.consumer.Consumer<String, String> consumer,
            Map<TopicPartition, OffsetAndMetadata> offsets,
            Events events) {
        String error = null;
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException | FencedInstanceIdException e) {
            throw e;
        } catch (RuntimeException e) {
            error = e.getMessage();
        }
        var committed = new ArrayList<Object>();
        offsets.forEach((tp, o) -> {
            var c = new LinkedHashMap<String, Object>();
            c.put("topic", tp.topic());
            c.put("partition", tp.partition());
            c.put("offset", o.offset());
            committed.add(c);
        });
        var fields = new LinkedHashMap<String, Object>();
        fields.put("offsets", committed);
        if (error != null) {
            fields.put("error", error);
        }
        fields.put("success", error == null);
        events.print("offsets_committed", fields);
    }

    private static List<Object> partitions(Collection<TopicPartition> tps) {
        var list = new ArrayList<Object>();
        for (TopicPartition tp : tps) {
            var p = new LinkedHashMap<String, Object>();
            p.put("topic", tp.topic());
            p.put("partition", tp.partition());
            list.add(p);
        }
        return list;
    }

    /** Prints JSON event lines, {@code timestamp} and {@code name} first. */
    private record Events(PrintStream out, LongSupplier clock) {
        void print(String name, Map<String, Object> fields) {
            var json = new LinkedHashMap<String, Object>();
            json.put("timestamp", clock.getAsLong());
            json.put("name", name);
            json.putAll(fields);
            synchronized (out) {
                out.println(Json.write(json));
            }
        }
    }
}
