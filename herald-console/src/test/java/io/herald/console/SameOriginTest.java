package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A form post is accepted only from a page of the console's own origin. */
@Timeout(30)
class SameOriginTest {
    private static Request post(String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return new Request("POST", "/topics", Map.of(), map);
    }

    @Test
    void sameOriginIsAllowed() {
        assertThat(SameOrigin.allowed(post("Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080")))
                .isTrue();
        assertThat(SameOrigin.allowed(post("Host", "localhost:8080", "Referer", "http://localhost:8080/topics")))
                .isTrue();
    }

    @Test
    void otherOriginsAndMissingHeadersAreRefused() {
        assertThat(SameOrigin.allowed(post("Host", "127.0.0.1:8080", "Origin", "http://evil.example")))
                .isFalse();
        assertThat(SameOrigin.allowed(post("Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:9999")))
                .isFalse();
        assertThat(SameOrigin.allowed(post("Host", "127.0.0.1:8080"))).isFalse();
        assertThat(SameOrigin.allowed(post("Host", "127.0.0.1:8080", "Origin", "null")))
                .isFalse();
        assertThat(SameOrigin.allowed(post(
                        "Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080", "Sec-Fetch-Site", "cross-site")))
                .isFalse();
    }
}
