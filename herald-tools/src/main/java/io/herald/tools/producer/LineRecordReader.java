package io.herald.tools.producer;

import io.herald.tools.CommandException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Turns console input lines into records. A line reads {@code [headers DELIMITER][key SEPARATOR]value}, each optional
 * part enabled by a property of Kafka's {@code LineMessageReader}: {@code parse.headers} (with
 * {@code headers.delimiter}, {@code headers.separator} between pairs, {@code headers.key.separator} inside one),
 * {@code parse.key} (with {@code key.separator}), {@code null.marker} (text that stands for null) and
 * {@code ignore.error} (a missing separator leaves the part out instead of failing).
 */
public final class LineRecordReader {
    private static final Map<String, String> DEFAULTS = Map.of(
            "key.separator", "\t",
            "headers.delimiter", "\t",
            "headers.separator", ",",
            "headers.key.separator", ":");
    /** Properties whose values must differ, or lines would be ambiguous; checked in this order. */
    private static final List<List<String>> MUST_DIFFER = List.of(
            List.of("headers.delimiter", "headers.separator"),
            List.of("headers.delimiter", "headers.key.separator"),
            List.of("headers.separator", "headers.key.separator"),
            List.of("null.marker", "key.separator"),
            List.of("null.marker", "headers.separator"),
            List.of("null.marker", "headers.delimiter"),
            List.of("null.marker", "headers.key.separator"));

    private final String topic;
    private final boolean parseKey;
    private final boolean parseHeaders;
    private final boolean ignoreError;
    private final String keySeparator;
    private final String headersDelimiter;
    private final Pattern headersSeparator;
    private final String headersKeySeparator;
    private final String nullMarker;
    private int lineNumber;

    public LineRecordReader(String topic, Map<String, String> props) {
        var settings = new HashMap<>(DEFAULTS);
        settings.putAll(props);
        for (List<String> pair : MUST_DIFFER) {
            String a = settings.get(pair.get(0));
            if (a != null && a.equals(settings.get(pair.get(1)))) {
                throw new CommandException(pair.get(0) + " and " + pair.get(1) + " may not be equal");
            }
        }
        this.topic = topic;
        parseKey = isTrue(settings.get("parse.key"));
        parseHeaders = isTrue(settings.get("parse.headers"));
        ignoreError = isTrue(settings.get("ignore.error"));
        keySeparator = settings.get("key.separator");
        headersDelimiter = settings.get("headers.delimiter");
        headersSeparator = Pattern.compile(settings.get("headers.separator"));
        headersKeySeparator = settings.get("headers.key.separator");
        nullMarker = settings.get("null.marker");
    }

    private static boolean isTrue(String value) {
        return value != null && value.trim().equalsIgnoreCase("true");
    }

    /** Parses the next input line into a record. */
    public ProducerRecord<byte[], byte[]> toRecord(String line) {
        lineNumber++;
        var rest = new Remainder(line);
        String headers = parseHeaders ? rest.takeUpTo(headersDelimiter, "headers delimiter") : null;
        String key = parseKey ? rest.takeUpTo(keySeparator, "key separator") : null;
        return new ProducerRecord<>(topic, null, null, bytes(key), bytes(rest.text), headers(headers));
    }

    /** What is left of a line as its leading parts are taken off. */
    private final class Remainder {
        private final String line;
        private String text;

        Remainder(String line) {
            this.line = line;
            this.text = line;
        }

        /** The text before {@code separator}, consuming both; null (consuming nothing) if lenient and it is absent. */
        String takeUpTo(String separator, String name) {
            int at = text.indexOf(separator);
            if (at < 0) {
                if (ignoreError) {
                    return null;
                }
                throw new CommandException("No " + name + " found on line number " + lineNumber + ": '" + line + "'");
            }
            String taken = text.substring(0, at);
            text = text.substring(at + separator.length());
            return taken;
        }
    }

    private List<Header> headers(String text) {
        var headers = new ArrayList<Header>();
        if (text == null || text.equals(nullMarker)) {
            return headers;
        }
        for (String pair : headersSeparator.split(text)) {
            int at = pair.indexOf(headersKeySeparator);
            if (at < 0 && ignoreError) {
                headers.add(new RecordHeader(pair, null));
            } else if (at < 0) {
                throw new CommandException(
                        "No header key separator found in pair '" + pair + "' on line number " + lineNumber);
            } else {
                headers.add(header(pair.substring(0, at), pair.substring(at + headersKeySeparator.length())));
            }
        }
        return headers;
    }

    private Header header(String key, String value) {
        if (key.equals(nullMarker)) {
            throw new CommandException(
                    "Header keys should not be equal to the null marker '" + nullMarker + "' as they can't be null");
        }
        return new RecordHeader(key, bytes(value));
    }

    private byte[] bytes(String text) {
        return text == null || text.equals(nullMarker) ? null : text.getBytes(StandardCharsets.UTF_8);
    }
}
