package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VerifiableProducerTest {
    private final MockProducer<String, String> producer =
            new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    private final AtomicLong now = new AtomicLong(1000);

    private ToolOutput verifiable(String... args) {
        return ToolOutput.run(
                (a, o, e) ->
                        VerifiableProducer.run(a, o, e, p -> producer, () -> now.addAndGet(5), new AtomicBoolean()),
                args);
    }

    @Test
    void printsJsonEvents() {
        var r = verifiable(
                "--topic",
                "t",
                "--bootstrap-server",
                "h:9092",
                "--max-messages",
                "3",
                "--value-prefix",
                "7",
                "--repeating-keys",
                "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        var lines = r.out().split("\n");
        assertThat(lines).hasSize(6);
        List<Map<Object, Object>> events = java.util.Arrays.stream(lines)
                .map(VerifiableProducerTest::object)
                .toList();
        assertThat(events.get(0).get("name")).isEqualTo("startup_complete");
        assertThat(events.get(1))
                .containsEntry("name", "producer_send_success")
                .containsEntry("key", "0")
                .containsEntry("value", "7.0")
                .containsEntry("topic", "t");
        assertThat(events.get(3)).containsEntry("key", "0").containsEntry("value", "7.2");
        assertThat(events.get(4).get("name")).isEqualTo("shutdown_complete");
        assertThat(events.get(5))
                .containsEntry("name", "tool_data")
                .containsEntry("sent", 3L)
                .containsEntry("acked", 3L);
        assertThat(lines[1]).startsWith("{\"timestamp\":");
        assertThat(producer.history().stream().map(rec -> rec.value()).toList())
                .isEqualTo(List.of("7.0", "7.1", "7.2"));
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> object(String json) {
        return (Map<Object, Object>) Json.parse(json);
    }

    @Test
    void argumentErrors() {
        assertThat(verifiable("--bootstrap-server", "h").err())
                .isEqualTo("verifiable-producer: error: argument --topic is required\n");
        assertThat(verifiable("--topic", "t", "--bootstrap-server", "h", "--acks", "2")
                        .err())
                .isEqualTo("verifiable-producer: error: argument --acks: invalid choice: '2' (choose from 0, 1, -1)\n");
        var noBootstrap = verifiable("--topic", "t");
        assertThat(noBootstrap.exitCode()).isEqualTo(1);
        assertThat(noBootstrap.err())
                .isEqualTo("verifiable-producer: error: one of the arguments --bootstrap-server is required\n");
    }
}
