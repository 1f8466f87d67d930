package io.herald.tools.groups;

import io.herald.tools.CommandException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * {@code --to-datetime} values as Kafka accepts them: {@code yyyy-MM-dd'T'HH:mm:ss.SSS}, optionally followed by a zone
 * ({@code Z}, {@code +08}, {@code +0800} or {@code +08:00}); without a zone the time is UTC.
 */
final class DateTimes {
    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter[] ZONED = {
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withResolverStyle(ResolverStyle.STRICT),
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXX").withResolverStyle(ResolverStyle.STRICT),
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withResolverStyle(ResolverStyle.STRICT),
    };

    private DateTimes() {}

    /** Milliseconds since the epoch. */
    static long parse(String value) {
        int t = value.indexOf('T');
        if (t < 0) {
            throw new CommandException("java.text.ParseException: Error parsing timestamp. It does not contain a 'T'"
                    + " according to ISO8601 format");
        }
        String time = value.substring(t + 1);
        if (!(time.contains("+") || time.contains("-") || time.contains("Z"))) {
            try {
                return LocalDateTime.parse(value, LOCAL)
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            } catch (DateTimeParseException e) {
                // Kafka appends "Z" to a value without a zone before parsing, so its error shows that.
                throw unparseable(value + "Z");
            }
        }
        for (DateTimeFormatter f : ZONED) {
            try {
                return OffsetDateTime.parse(value, f).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // try the next zone form
            }
        }
        throw unparseable(value);
    }

    private static CommandException unparseable(String value) {
        return new CommandException("java.text.ParseException: Unparseable date: \"" + value + "\"");
    }
}
