package io.herald.tools.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LineRecordReaderTest {
    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void plainLineIsValueOnly() {
        var r = new LineRecordReader("t", Map.of()).toRecord("hello\tworld");
        assertThat(r.topic()).isEqualTo("t");
        assertThat(r.key()).isNull();
        assertThat(s(r.value())).isEqualTo("hello\tworld");
    }

    @Test
    void keysHeadersAndNullMarker() {
        var reader = new LineRecordReader(
                "t", Map.of("parse.key", "true", "parse.headers", "true", "key.separator", "|", "null.marker", "<n>"));
        var r = reader.toRecord("h1:v1,h2:<n>\tk|v");
        assertThat(s(r.key())).isEqualTo("k");
        assertThat(s(r.value())).isEqualTo("v");
        assertThat(r.headers().toArray()).hasSize(2);
        assertThat(s(r.headers().lastHeader("h1").value())).isEqualTo("v1");
        assertThat(r.headers().lastHeader("h2").value()).isNull();
        var nulls = reader.toRecord("<n>\t<n>|<n>");
        assertThat(nulls.key()).isNull();
        assertThat(nulls.value()).isNull();
        assertThat(nulls.headers().toArray()).isEmpty();
    }

    @Test
    void errorsNameTheLine() {
        var reader = new LineRecordReader("t", Map.of("parse.key", "true"));
        reader.toRecord("a\tb");
        assertThatThrownBy(() -> reader.toRecord("novalue"))
                .hasMessage("No key separator found on line number 2: 'novalue'");
        var lenient = new LineRecordReader("t", Map.of("parse.key", "true", "ignore.error", "true"));
        var r = lenient.toRecord("novalue");
        assertThat(r.key()).isNull();
        assertThat(s(r.value())).isEqualTo("novalue");
        assertThatThrownBy(() -> new LineRecordReader("t", Map.of("parse.headers", "true")).toRecord("x\tv"))
                .hasMessage("No header key separator found in pair 'x' on line number 1");
        assertThatThrownBy(() -> new LineRecordReader("t", Map.of("null.marker", "\t")))
                .hasMessage("null.marker and key.separator may not be equal");
    }
}
