package io.herald.tools.consumer;

import io.herald.tools.CommandException;
import io.herald.tools.KeyValueArgs;
import io.herald.tools.OptionParser;
import io.herald.tools.ServerConfig;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code kafka-console-consumer.sh}'s options, Kafka's checks of their combinations and the consumer settings they
 * imply (random {@code console-consumer-NNNNN} group without auto-commit when no group is given).
 */
public final class ConsumerOptions {
    /** {@code --offset earliest}/{@code --from-beginning}. */
    public static final long EARLIEST = -2L;
    /** {@code --offset latest} (the default). */
    public static final long LATEST = -1L;

    private final OptionParser.Parsed opts;
    private final Properties consumerProps;
    private final Map<String, String> formatterProps;
    private final long offset;

    private ConsumerOptions(
            OptionParser.Parsed opts, Properties consumerProps, Map<String, String> formatterProps, long offset) {
        this.opts = opts;
        this.consumerProps = consumerProps;
        this.formatterProps = formatterProps;
        this.offset = offset;
    }

    static OptionParser parser() {
        return new OptionParser()
                .arg("bootstrap-server", "String: server to connect to", "REQUIRED: The Kafka server(s) to connect to.")
                .arg("topic", "String: topic", "The topic to consume from.")
                .arg("include", "String: Java regex (String)", "A regular expression of the topics to consume.")
                .arg("partition", "Integer: partition", "The partition to consume from (default: all).")
                .arg(
                        "offset",
                        "String: consume offset",
                        "Where to start in --partition: earliest, latest or a"
                                + " non-negative offset (default: latest).")
                .arg("group", "String: consumer group id", "The consumer group to join.")
                .flag("from-beginning", "Without a committed offset, start from the earliest message.")
                .arg("max-messages", "Integer: num_messages", "Exit after this many messages.")
                .arg("timeout-ms", "Long: timeout_ms", "Exit when no message arrives for this long.")
                .flag("skip-message-on-error", "Skip a message that cannot be printed instead of stopping.")
                .arg("isolation-level", "String", "read_committed or read_uncommitted (default).")
                .arg("consumer-property", "String: consumer_prop", "A consumer setting key=value.")
                .arg("command-property", "String: consumer_prop", "Same as --consumer-property.")
                .arg("consumer.config", "String: config file", "Consumer settings file.")
                .arg("command-config", "String: config file", "Same as --consumer.config.")
                .arg("formatter", "String: class", "Only the default message formatter is supported.")
                .arg(
                        "property",
                        "String: prop",
                        "A formatter setting key=value: print.timestamp, print.key,"
                                + " print.value, print.partition, print.offset, print.headers, key.separator,"
                                + " line.separator, headers.separator, null.literal, key.deserializer, value.deserializer,"
                                + " headers.deserializer.")
                .arg("formatter-property", "String: prop", "Same as --property.")
                .arg("formatter-config", "String: config file", "Formatter settings file.")
                .arg("key-deserializer", "String: deserializer for keys", "Deserializer class for keys.")
                .arg("value-deserializer", "String: deserializer for values", "Deserializer class for values.")
                .flag("enable-systest-events", "Accepted for compatibility; no effect.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
    }

    public static ConsumerOptions parse(String[] args, PrintStream out) {
        OptionParser parser = parser();
        OptionParser.Parsed opts = parser.parse(args);
        parser.answerHelpOrVersion(opts, "Prints the records of topics on standard output.", out);
        if (opts.has("topic") == opts.has("include")) {
            throw new CommandException("Exactly one of the following arguments is required: [topic], [include]");
        }
        if (opts.has("partition")) {
            if (!opts.has("topic")) {
                throw new CommandException("The topic is required when partition is specified.");
            }
            if (opts.has("from-beginning") && opts.has("offset")) {
                throw new CommandException("Options from-beginning and offset cannot be specified together.");
            }
        } else if (opts.has("offset")) {
            throw new CommandException("The partition is required when offset is specified.");
        }
        opts.require("bootstrap-server");

        var fileProps = new Properties();
        for (String file : new String[] {opts.value("consumer.config"), opts.value("command-config")}) {
            if (file != null) {
                fileProps.putAll(ServerConfig.loadProperties(file));
            }
        }
        var extra = new java.util.ArrayList<>(opts.values("consumer-property"));
        extra.addAll(opts.values("command-property"));
        Properties extraProps = KeyValueArgs.parse(extra);
        var groups = new LinkedHashSet<String>();
        if (opts.has("group")) {
            groups.add(opts.value("group"));
        }
        if (fileProps.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            groups.add(fileProps.getProperty(ConsumerConfig.GROUP_ID_CONFIG));
        }
        if (extraProps.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            groups.add(extraProps.getProperty(ConsumerConfig.GROUP_ID_CONFIG));
        }
        if (groups.size() > 1) {
            throw new CommandException("The group ids provided in different places (directly using '--group', via"
                    + " '--consumer-property', or via '--consumer.config') do not match. Detected group ids: "
                    + groups.stream().map(g -> "'" + g + "'").collect(Collectors.joining(", ")));
        }
        if (!groups.isEmpty() && opts.has("partition")) {
            throw new CommandException("Options group and partition cannot be specified together.");
        }

        var props = new Properties();
        props.putAll(fileProps);
        props.putAll(extraProps);
        String reset = props.getProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
        if (reset != null) {
            if (opts.has("from-beginning") && !reset.equals("earliest")) {
                throw new CommandException("Can't simultaneously specify --from-beginning and 'auto.offset.reset="
                        + reset + "', please remove one option");
            }
        } else {
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, opts.has("from-beginning") ? "earliest" : "latest");
        }
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, opts.value("bootstrap-server"));
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "console-consumer");
        KeyValueArgs.merge(props, ConsumerConfig.ISOLATION_LEVEL_CONFIG, opts, "isolation-level", "read_uncommitted");
        if (groups.isEmpty()) {
            props.put(
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "console-consumer-" + ThreadLocalRandom.current().nextInt(100000));
            // A throwaway group's offsets are never reused, so don't make the broker store them.
            props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        } else {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groups.iterator().next());
        }
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());

        String formatter = opts.value("formatter");
        if (formatter != null && !formatter.endsWith("DefaultMessageFormatter")) {
            throw new CommandException("Only the default message formatter is supported: " + formatter);
        }
        var formatterProps = new HashMap<String, String>();
        if (opts.value("formatter-config") != null) {
            ServerConfig.loadProperties(opts.value("formatter-config"))
                    .forEach((k, v) -> formatterProps.put((String) k, (String) v));
        }
        if (opts.value("key-deserializer") != null) {
            formatterProps.put("key.deserializer", opts.value("key-deserializer"));
        }
        if (opts.value("value-deserializer") != null) {
            formatterProps.put("value.deserializer", opts.value("value-deserializer"));
        }
        var fmtArgs = new java.util.ArrayList<>(opts.values("property"));
        fmtArgs.addAll(opts.values("formatter-property"));
        KeyValueArgs.parse(fmtArgs).forEach((k, v) -> formatterProps.put((String) k, (String) v));
        return new ConsumerOptions(opts, props, formatterProps, parseOffset(opts));
    }

    private static long parseOffset(OptionParser.Parsed opts) {
        if (opts.has("offset")) {
            String text = opts.value("offset");
            switch (text.toLowerCase(Locale.ROOT)) {
                case "earliest":
                    return EARLIEST;
                case "latest":
                    return LATEST;
                default:
                    try {
                        long offset = Long.parseLong(text);
                        if (offset >= 0) {
                            return offset;
                        }
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                    throw new CommandException("The provided offset value '" + text + "' is incorrect. Valid values"
                            + " are 'earliest', 'latest', or a non-negative long.");
            }
        }
        return opts.has("from-beginning") ? EARLIEST : LATEST;
    }

    public Properties consumerProps() {
        return consumerProps;
    }

    public Map<String, String> formatterProps() {
        return formatterProps;
    }

    public String topic() {
        return opts.value("topic");
    }

    public String include() {
        return opts.value("include");
    }

    public Integer partition() {
        return opts.intValue("partition");
    }

    /** {@link #EARLIEST}, {@link #LATEST} or an offset. */
    public long offset() {
        return offset;
    }

    /** -1 when unlimited. */
    public int maxMessages() {
        Integer max = opts.intValue("max-messages");
        return max == null ? -1 : max;
    }

    /** Long.MAX_VALUE when not set (or negative), as in Kafka. */
    public long timeoutMs() {
        Long t = opts.longValue("timeout-ms");
        return t == null || t < 0 ? Long.MAX_VALUE : t;
    }

    public boolean skipMessageOnError() {
        return opts.has("skip-message-on-error");
    }
}
