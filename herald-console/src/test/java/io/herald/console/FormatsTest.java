package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How values are shown and how form input is read, without a cluster. */
@Timeout(30)
class FormatsTest {
    @Test
    void jsonIsPrettyPrintedTextKeptAndBinaryShownAsHex() {
        assertThat(RecordFormat.show("{\"a\":1,\"b\":[true]}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new RecordFormat.Shown("json", "{\n  \"a\" : 1,\n  \"b\" : [ true ]\n}"));
        assertThat(RecordFormat.show("{not json".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new RecordFormat.Shown("text", "{not json"));
        assertThat(RecordFormat.show("héllo\nworld".getBytes(StandardCharsets.UTF_8))
                        .kind())
                .isEqualTo("text");
        assertThat(RecordFormat.show(new byte[] {0, 1, (byte) 0xff}))
                .isEqualTo(new RecordFormat.Shown("binary", "00000000  00 01 ff\n"));
        assertThat(RecordFormat.show(null)).isEqualTo(new RecordFormat.Shown("null", "null"));
    }

    @Test
    void largeValuesAreBounded() {
        byte[] binary = new byte[RecordFormat.MAX_HEX_BYTES + 10];
        assertThat(RecordFormat.show(binary).text()).endsWith("… 10 more bytes\n");
        String text = "x".repeat(RecordFormat.MAX_TEXT_CHARS + 5);
        assertThat(RecordFormat.show(text.getBytes(StandardCharsets.UTF_8)).text())
                .endsWith("… 5 more characters");
    }

    @Test
    void configLinesAreParsedAndBadOnesNamed() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("retention.ms", "1000");
        expected.put("cleanup.policy", "compact,delete");
        assertThat(TopicPages.parseConfigs("retention.ms=1000\n\n# comment\ncleanup.policy = compact,delete\n"))
                .isEqualTo(expected);
        assertThatThrownBy(() -> TopicPages.parseConfigs("novalue")).hasMessageContaining("name=value");
        assertThatThrownBy(() -> TopicPages.optionalInt("Partitions", "three"))
                .hasMessage("Partitions must be a whole number, not 'three'");
    }

    @Test
    void topicFormsAreCheckedAsKafkasToolChecksThemBeforeAskingTheCluster() {
        // No Admin is needed: these are refused before any call (a null Admin would fail otherwise).
        assertThatThrownBy(() -> TopicPages.create(null, new TopicPages.CreateForm("t", "0", "", "")))
                .hasMessage("The partitions must be greater than 0");
        assertThatThrownBy(() -> TopicPages.create(null, new TopicPages.CreateForm("t", "1", "40000", "")))
                .hasMessage("The replication factor must be between 1 and 32767 inclusive");
        assertThatThrownBy(() -> TopicPages.delete(null, "orders", "order"))
                .hasMessageContaining("nothing was deleted");
        assertThatThrownBy(() -> TopicPages.delete(null, "__consumer_offsets", "__consumer_offsets"))
                .hasMessageContaining("is a kafka internal topic");
    }

    @Test
    void timestampsAreEpochMillisInstantsOrUtcDateTimes() {
        assertThat(MessagePages.parseTime("1700000000000")).isEqualTo(1_700_000_000_000L);
        assertThat(MessagePages.parseTime("2024-05-01T12:00:00Z")).isEqualTo(1_714_564_800_000L);
        assertThat(MessagePages.parseTime("2024-05-01T12:00")).isEqualTo(1_714_564_800_000L);
        assertThatThrownBy(() -> MessagePages.parseTime("yesterday")).isInstanceOf(ActionFailed.class);
    }

    @Test
    void jaasValuesAreQuotedSoAPasswordCannotAddOptions() {
        assertThat(Sessions.jaasQuote("a\"b\\c")).isEqualTo("a\\\"b\\\\c");
    }

    @Test
    void lagHistoryKeepsABoundedSeriesPerPartition() {
        LagHistory history = new LagHistory();
        TopicPartition tp = new TopicPartition("t", 0);
        long now = 0;
        for (int i = 0; i < LagHistory.SAMPLES + 5; i++) {
            now += LagHistory.MIN_INTERVAL_NANOS;
            history.record("g", Map.of(tp, (long) i), now);
        }
        List<Long> series = history.record("g", Map.of(tp, 999L), now).get(tp);
        assertThat(series).hasSize(LagHistory.SAMPLES).endsWith((long) LagHistory.SAMPLES + 4);
    }

    @Test
    void topicRatesComeFromEndOffsetGrowthBetweenViews() {
        TopicRates rates = new TopicRates();
        assertThat(rates.update(Map.of("t", 100L), 0)).isEmpty();
        assertThat(rates.update(Map.of("t", 300L), 2_000_000_000L)).containsEntry("t", 100.0);
    }
}
