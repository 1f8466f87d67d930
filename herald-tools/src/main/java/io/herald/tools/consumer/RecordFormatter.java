package io.herald.tools.consumer;

import io.herald.tools.CommandException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Writes consumed records in the layout of Kafka's {@code DefaultMessageFormatter}: optional
 * {@code CreateTime:ts}, {@code Partition:p}, {@code Offset:o}, headers ({@code k:v,k2:v2} or {@code NO_HEADERS}),
 * key, then value, joined by {@code key.separator} and ended by {@code line.separator}.
 */
public final class RecordFormatter {
    private final boolean printTimestamp;
    private final boolean printKey;
    private final boolean printValue;
    private final boolean printPartition;
    private final boolean printOffset;
    private final boolean printHeaders;
    private final byte[] keySeparator;
    private final byte[] lineSeparator;
    private final byte[] headersSeparator;
    private final byte[] nullLiteral;
    private final Deserializer<?> keyDeserializer;
    private final Deserializer<?> valueDeserializer;
    private final Deserializer<?> headersDeserializer;

    public RecordFormatter(Map<String, String> props) {
        printTimestamp = bool(props, "print.timestamp", false);
        printKey = bool(props, "print.key", false);
        printValue = bool(props, "print.value", true);
        printPartition = bool(props, "print.partition", false);
        printOffset = bool(props, "print.offset", false);
        printHeaders = bool(props, "print.headers", false);
        keySeparator = utf8(props.getOrDefault("key.separator", "\t"));
        lineSeparator = utf8(props.getOrDefault("line.separator", "\n"));
        headersSeparator = utf8(props.getOrDefault("headers.separator", ","));
        nullLiteral = utf8(props.getOrDefault("null.literal", "null"));
        keyDeserializer = deserializer(props, "key.deserializer", true);
        valueDeserializer = deserializer(props, "value.deserializer", false);
        headersDeserializer = deserializer(props, "headers.deserializer", false);
    }

    private static boolean bool(Map<String, String> props, String key, boolean dflt) {
        return props.containsKey(key) ? props.get(key).trim().equalsIgnoreCase("true") : dflt;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Instantiates a configured deserializer; settings prefixed with {@code name.} are passed to it. */
    private static Deserializer<?> deserializer(Map<String, String> props, String name, boolean isKey) {
        String className = props.get(name);
        if (className == null) {
            return null;
        }
        try {
            var d = (Deserializer<?>)
                    Class.forName(className).getDeclaredConstructor().newInstance();
            var config = new HashMap<String, Object>();
            props.forEach((k, v) -> {
                if (k.startsWith(name + ".") && k.length() > name.length() + 1) {
                    config.put(k.substring(name.length() + 1), v);
                }
            });
            d.configure(config, isKey);
            return d;
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new CommandException("Unable to instantiate a deserializer from " + className);
        }
    }

    public void writeTo(ConsumerRecord<byte[], byte[]> record, PrintStream out) {
        if (printTimestamp) {
            out.print(
                    record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE
                            ? "NO_TIMESTAMP"
                            : record.timestampType() + ":" + record.timestamp());
            separator(out, printPartition || printOffset || printHeaders || printKey || printValue);
        }
        if (printPartition) {
            out.print("Partition:" + record.partition());
            separator(out, printOffset || printHeaders || printKey || printValue);
        }
        if (printOffset) {
            out.print("Offset:" + record.offset());
            separator(out, printHeaders || printKey || printValue);
        }
        if (printHeaders) {
            Iterator<Header> it = record.headers().iterator();
            if (!it.hasNext()) {
                out.print("NO_HEADERS");
            }
            while (it.hasNext()) {
                Header h = it.next();
                out.print(h.key() + ":");
                out.writeBytes(render(record, headersDeserializer, h.value()));
                if (it.hasNext()) {
                    out.writeBytes(headersSeparator);
                }
            }
            separator(out, printKey || printValue);
        }
        if (printKey) {
            out.writeBytes(render(record, keyDeserializer, record.key()));
            separator(out, printValue);
        }
        if (printValue) {
            out.writeBytes(render(record, valueDeserializer, record.value()));
            out.writeBytes(lineSeparator);
        }
    }

    /** A field's bytes: raw, or through the configured deserializer; a null field prints {@code null.literal}. */
    private byte[] render(ConsumerRecord<byte[], byte[]> record, Deserializer<?> deserializer, byte[] bytes) {
        byte[] nonNull = bytes == null ? nullLiteral : bytes;
        if (deserializer == null) {
            return nonNull;
        }
        return utf8(String.valueOf(deserializer.deserialize(record.topic(), record.headers(), nonNull)));
    }

    private void separator(PrintStream out, boolean moreColumns) {
        out.writeBytes(moreColumns ? keySeparator : lineSeparator);
    }
}
