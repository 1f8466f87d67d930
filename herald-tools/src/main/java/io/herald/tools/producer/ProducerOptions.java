package io.herald.tools.producer;

import io.herald.tools.CommandException;
import io.herald.tools.KeyValueArgs;
import io.herald.tools.OptionParser;
import io.herald.tools.ServerConfig;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code kafka-console-producer.sh}'s options and the producer/reader settings they produce, with Kafka's defaults
 * (e.g. {@code linger.ms=1000}, {@code acks=-1}, {@code request.timeout.ms=1500}, {@code client.id=console-producer}).
 */
public final class ProducerOptions {
    private final Properties producerProps;
    private final Map<String, String> readerProps;
    private final String topic;
    private final boolean sync;

    private ProducerOptions(Properties producerProps, Map<String, String> readerProps, String topic, boolean sync) {
        this.producerProps = producerProps;
        this.readerProps = readerProps;
        this.topic = topic;
        this.sync = sync;
    }

    static OptionParser parser() {
        return new OptionParser()
                .arg("bootstrap-server", "String: server to connect to", "REQUIRED: The Kafka server(s) to connect to.")
                .arg("topic", "String: topic", "REQUIRED: The topic to produce messages to.")
                .flag("sync", "Send each message synchronously, waiting for its acknowledgement.")
                .arg(
                        "compression-codec",
                        "String: compression-codec",
                        "none, gzip, snappy, lz4 or zstd; 'gzip' when given without a value.")
                .arg("batch-size", "Integer: size", "batch.size for asynchronous sends (default: 16384).")
                .arg("message-send-max-retries", "Integer", "The producer's retries (default: 3).")
                .arg("retry-backoff-ms", "Long", "The producer's retry.backoff.ms (default: 100).")
                .arg("timeout", "Long: timeout_ms", "The producer's linger.ms (default: 1000).")
                .arg("linger-ms", "Long: linger_ms", "Same as --timeout.")
                .arg("request-required-acks", "String: request required acks", "The producer's acks (default: -1).")
                .arg(
                        "request-timeout-ms",
                        "Integer: request timeout ms",
                        "The producer's request.timeout.ms (default: 1500).")
                .arg("metadata-expiry-ms", "Long", "The producer's metadata.max.age.ms (default: 300000).")
                .arg("max-block-ms", "Long: max block on send", "The producer's max.block.ms (default: 60000).")
                .arg("max-memory-bytes", "Long", "The producer's buffer.memory (default: 33554432).")
                .arg("max-partition-memory-bytes", "Integer", "Also sets batch.size.")
                .arg("socket-buffer-size", "Integer: size", "The producer's send.buffer.bytes (default: 102400).")
                .arg("line-reader", "String: reader_class", "Only the default line reader is supported.")
                .arg(
                        "property",
                        "String: prop",
                        "A line reader setting key=value: parse.key, key.separator,"
                                + " parse.headers, headers.delimiter, headers.separator, headers.key.separator, ignore.error,"
                                + " null.marker.")
                .arg("reader-property", "String: prop", "Same as --property.")
                .arg("reader-config", "String: config file", "Line reader settings file; --property wins.")
                .arg("producer-property", "String: producer_prop", "A producer setting key=value.")
                .arg("producer.config", "String: config file", "Producer settings file; --producer-property wins.")
                .arg("command-config", "String: config file", "Same as --producer.config.")
                .flag("help", "Print usage information.")
                .flag("version", "Display Kafka version.");
    }

    public static ProducerOptions parse(String[] args, PrintStream out) {
        OptionParser parser = parser();
        // jopt-simple lets --compression-codec go without a value; normalise that case before parsing.
        String[] normalized = normalizeOptionalCodec(args);
        OptionParser.Parsed opts = parser.parse(normalized);
        parser.answerHelpOrVersion(opts, "Sends each line of standard input as a record.", out);
        opts.require("topic");
        opts.require("bootstrap-server");
        var props = new Properties();
        for (String file : new String[] {opts.value("producer.config"), opts.value("command-config")}) {
            if (file != null) {
                props.putAll(ServerConfig.loadProperties(file));
            }
        }
        props.putAll(KeyValueArgs.parse(opts.values("producer-property")));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, opts.value("bootstrap-server"));
        String codec = opts.has("compression-codec") ? opts.value("compression-codec") : "none";
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec.isEmpty() ? "gzip" : codec);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "console-producer");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        String linger = opts.has("linger-ms") ? "linger-ms" : "timeout";
        KeyValueArgs.merge(props, ProducerConfig.LINGER_MS_CONFIG, opts, linger, "1000");
        KeyValueArgs.merge(props, ProducerConfig.ACKS_CONFIG, opts, "request-required-acks", "-1");
        KeyValueArgs.merge(props, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, opts, "request-timeout-ms", "1500");
        KeyValueArgs.merge(props, ProducerConfig.RETRIES_CONFIG, opts, "message-send-max-retries", "3");
        KeyValueArgs.merge(props, ProducerConfig.RETRY_BACKOFF_MS_CONFIG, opts, "retry-backoff-ms", "100");
        KeyValueArgs.merge(props, ProducerConfig.SEND_BUFFER_CONFIG, opts, "socket-buffer-size", "102400");
        KeyValueArgs.merge(props, ProducerConfig.BUFFER_MEMORY_CONFIG, opts, "max-memory-bytes", "33554432");
        KeyValueArgs.merge(props, ProducerConfig.BATCH_SIZE_CONFIG, opts, "batch-size", "16384");
        KeyValueArgs.merge(props, ProducerConfig.BATCH_SIZE_CONFIG, opts, "max-partition-memory-bytes", null);
        KeyValueArgs.merge(props, ProducerConfig.METADATA_MAX_AGE_CONFIG, opts, "metadata-expiry-ms", "300000");
        KeyValueArgs.merge(props, ProducerConfig.MAX_BLOCK_MS_CONFIG, opts, "max-block-ms", "60000");
        // request.timeout.ms must stay within delivery.timeout.ms; Kafka's 1500 ms default is fine with 120 s.

        var reader = new HashMap<String, String>();
        if (opts.value("reader-config") != null) {
            ServerConfig.loadProperties(opts.value("reader-config"))
                    .forEach((k, v) -> reader.put((String) k, (String) v));
        }
        var readerArgs = new java.util.ArrayList<>(opts.values("property"));
        readerArgs.addAll(opts.values("reader-property"));
        KeyValueArgs.parse(readerArgs).forEach((k, v) -> reader.put((String) k, (String) v));
        String lineReader = opts.value("line-reader");
        if (lineReader != null && !lineReader.endsWith("LineMessageReader")) {
            throw new CommandException("Only the default line reader is supported: " + lineReader);
        }
        return new ProducerOptions(props, reader, opts.value("topic"), opts.has("sync"));
    }

    /** {@code --compression-codec} followed by another option (or nothing) means gzip. */
    private static String[] normalizeOptionalCodec(String[] args) {
        var list = new java.util.ArrayList<String>();
        for (int i = 0; i < args.length; i++) {
            list.add(args[i]);
            if (args[i].equals("--compression-codec") && (i + 1 == args.length || args[i + 1].startsWith("--"))) {
                list.add("");
            }
        }
        return list.toArray(String[]::new);
    }

    public Properties producerProps() {
        return producerProps;
    }

    public Map<String, String> readerProps() {
        return readerProps;
    }

    public String topic() {
        return topic;
    }

    public boolean sync() {
        return sync;
    }
}
