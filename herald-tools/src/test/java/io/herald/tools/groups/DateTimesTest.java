package io.herald.tools.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.tools.CommandException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DateTimesTest {
    private static final long UTC = Instant.parse("2020-11-10T16:51:38.198Z").toEpochMilli();

    @Test
    void acceptsKafkasFormats() {
        assertThat(DateTimes.parse("2020-11-10T16:51:38.198")).isEqualTo(UTC);
        assertThat(DateTimes.parse("2020-11-10T16:51:38.198Z")).isEqualTo(UTC);
        long eight = UTC - 8 * 3600_000L;
        assertThat(DateTimes.parse("2020-11-10T16:51:38.198+08:00")).isEqualTo(eight);
        assertThat(DateTimes.parse("2020-11-10T16:51:38.198+0800")).isEqualTo(eight);
        assertThat(DateTimes.parse("2020-11-10T16:51:38.198+08")).isEqualTo(eight);
    }

    @Test
    void rejectsOthers() {
        assertThatThrownBy(() -> DateTimes.parse("2020-11-10T16:51:38"))
                .isInstanceOf(CommandException.class)
                .hasMessage("java.text.ParseException: Unparseable date: \"2020-11-10T16:51:38Z\"");
        assertThatThrownBy(() -> DateTimes.parse("2020-02-30T00:00:00.000")).isInstanceOf(CommandException.class);
    }
}
