package io.herald.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VerifiableConsumerTest {
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    private final TopicPartition tp = new TopicPartition("t", 0);

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> object(String json) {
        return (Map<Object, Object>) Json.parse(json);
    }

    @Test
    void printsGroupAndConsumptionEvents() {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(tp));
            consumer.updateBeginningOffsets(Map.of(tp, 0L));
            consumer.seek(tp, 0);
            for (int i = 0; i < 3; i++) {
                consumer.addRecord(new ConsumerRecord<>("t", 0, i, "k" + i, "v" + i));
            }
        });
        var r = ToolOutput.run(
                (a, o, e) -> VerifiableConsumer.run(a, o, e, p -> consumer, () -> 42L, c -> {}),
                "--bootstrap-server",
                "h:9092",
                "--topic",
                "t",
                "--group-id",
                "g",
                "--max-messages",
                "2",
                "--verbose");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<Map<Object, Object>> events = Arrays.stream(r.out().split("\n"))
                .map(VerifiableConsumerTest::object)
                .toList();
        assertThat(events.stream().map(e -> e.get("name")).toList())
                .containsExactly(
                        "startup_complete",
                        "partitions_assigned",
                        "record_data",
                        "record_data",
                        "records_consumed",
                        "offsets_committed",
                        "shutdown_complete");
        assertThat(r.out().split("\n")[0]).isEqualTo("{\"timestamp\":42,\"name\":\"startup_complete\"}");
        assertThat(r.out())
                .contains(
                        "\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"count\":2,\"minOffset\":0,\"maxOffset\":1}]")
                .contains("\"offsets\":[{\"topic\":\"t\",\"partition\":0,\"offset\":2}],\"success\":true}");
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void requiresTopicAndGroup() {
        assertThat(ToolOutput.run(VerifiableConsumer::run, "--bootstrap-server", "h", "--topic", "t")
                        .err())
                .isEqualTo("verifiable-consumer: error: argument --group-id is required\n");
    }
}
