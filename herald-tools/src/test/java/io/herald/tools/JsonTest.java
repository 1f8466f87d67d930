package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JsonTest {
    @Test
    void roundTrips() {
        var map = new LinkedHashMap<String, Object>();
        map.put("a", List.of(1L, 2.5, "x\"y\n", true));
        map.put("b", null);
        map.put("c", Map.of());
        String text = Json.write(map);
        assertThat(text).isEqualTo("{\"a\":[1,2.5,\"x\\\"y\\n\",true],\"b\":null,\"c\":{}}");
        assertThat(Json.parse(text)).isEqualTo(map);
        assertThat(Json.parse(" [ {\"k\" : \"\\u0041\"} , -3 ] ")).isEqualTo(Arrays.asList(Map.of("k", "A"), -3L));
    }

    @Test
    void rejectsBadJson() {
        for (String bad : List.of("{", "[1,]", "{\"a\" 1}", "tru", "1 2", "\"open")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
