package io.herald.tools.producer;

import io.herald.tools.CommandException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Turns console input lines into records following Kafka's {@code LineMessageReader} properties: optional headers
 * ({@code parse.headers}, {@code headers.delimiter}, {@code headers.separator}, {@code headers.key.separator}),
 * optional key ({@code parse.key}, {@code key.separator}), {@code null.marker} and {@code ignore.error}.
 */
public final class LineRecordReader {
    private final String topic;
    private final boolean parseKey;
    private final String keySeparator;
    private final boolean parseHeaders;
    private final String headersDelimiter;
    private final Pattern headersSeparator;
    private final String headersKeySeparator;
    private final boolean ignoreError;
    private final String nullMarker;
    private int lineNumber;

    public LineRecordReader(String topic, Map<String, String> props) {
        this.topic = topic;
        parseKey = bool(props, "parse.key");
        keySeparator = props.getOrDefault("key.separator", "\t");
        parseHeaders = bool(props, "parse.headers");
        headersDelimiter = props.getOrDefault("headers.delimiter", "\t");
        String separator = props.getOrDefault("headers.separator", ",");
        headersKeySeparator = props.getOrDefault("headers.key.separator", ":");
        ignoreError = bool(props, "ignore.error");
        nullMarker = props.get("null.marker");
        // The same checks (and messages) as Kafka: equal markers would make lines ambiguous.
        requireDistinct(headersDelimiter, separator, "headers.delimiter and headers.separator");
        requireDistinct(headersDelimiter, headersKeySeparator, "headers.delimiter and headers.key.separator");
        requireDistinct(separator, headersKeySeparator, "headers.separator and headers.key.separator");
        requireDistinct(keySeparator, nullMarker, "null.marker and key.separator");
        requireDistinct(separator, nullMarker, "null.marker and headers.separator");
        requireDistinct(headersDelimiter, nullMarker, "null.marker and headers.delimiter");
        requireDistinct(headersKeySeparator, nullMarker, "null.marker and headers.key.separator");
        headersSeparator = Pattern.compile(separator);
    }

    private static boolean bool(Map<String, String> props, String key) {
        return props.containsKey(key) && props.get(key).trim().equalsIgnoreCase("true");
    }

    private static void requireDistinct(String a, String b, String what) {
        if (a.equals(b)) {
            throw new CommandException(what + " may not be equal");
        }
    }

    /** Parses the next input line into a record. */
    public ProducerRecord<byte[], byte[]> toRecord(String line) {
        lineNumber++;
        String headers = section(parseHeaders, line, 0, headersDelimiter, "headers delimiter");
        int headerEnd = headers == null ? 0 : headers.length() + headersDelimiter.length();
        String key = section(parseKey, line, headerEnd, keySeparator, "key separator");
        int keyEnd = key == null ? 0 : key.length() + keySeparator.length();
        String value = line.substring(headerEnd + keyEnd);
        var record = new ProducerRecord<>(topic, bytesOrNull(key), bytesOrNull(value));
        if (headers != null && !headers.equals(nullMarker)) {
            for (String pair : headersSeparator.split(headers)) {
                addHeader(record, pair);
            }
        }
        return record;
    }

    private void addHeader(ProducerRecord<byte[], byte[]> record, String pair) {
        int i = pair.indexOf(headersKeySeparator);
        if (i < 0) {
            if (ignoreError) {
                record.headers().add(new RecordHeader(pair, null));
                return;
            }
            throw new CommandException(
                    "No header key separator found in pair '" + pair + "' on line number " + lineNumber);
        }
        String headerKey = pair.substring(0, i);
        if (headerKey.equals(nullMarker)) {
            throw new CommandException(
                    "Header keys should not be equal to the null marker '" + nullMarker + "' as they can't be null");
        }
        String value = pair.substring(i + headersKeySeparator.length());
        record.headers().add(new RecordHeader(headerKey, bytesOrNull(value)));
    }

    private byte[] bytesOrNull(String s) {
        return s == null || s.equals(nullMarker) ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private String section(boolean enabled, String line, int start, String separator, String name) {
        if (!enabled) {
            return null;
        }
        int index = line.indexOf(separator, start);
        if (index < 0) {
            if (ignoreError) {
                return null;
            }
            throw new CommandException("No " + name + " found on line number " + lineNumber + ": '" + line + "'");
        }
        return line.substring(start, index);
    }
}
